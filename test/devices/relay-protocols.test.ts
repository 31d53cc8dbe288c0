import { describe, expect, it } from 'vitest';
import { haEntityDomain, parseHaState, shellyGen2, tasmota } from '../../src/devices/relays/protocols';

describe('Shelly Gen2', () => {
  it('switches with Switch.Set over the rpc topic', () => {
    expect(shellyGen2.commandTopic('shellypro1-abc')).toBe('shellypro1-abc/rpc');
    expect(JSON.parse(shellyGen2.command(0, true, 'hems-boiler', 7))).toEqual({ id: 7, src: 'hems-boiler', method: 'Switch.Set', params: { id: 0, on: true } });
  });

  it.each([
    ['p/status/switch:0', '{"id":0,"output":true,"source":"MQTT"}', 0, true],
    ['p/events/rpc', '{"src":"p","method":"NotifyStatus","params":{"ts":1,"switch:1":{"id":1,"output":false}}}', 1, false],
    ['p/events/rpc', '{"src":"p","method":"NotifyStatus","params":{"ts":1,"switch:0":{"id":0,"apower":12}}}', 0, undefined],
  ])('%s %s → %s', (topic, payload, channel, expected) => {
    expect(shellyGen2.parseState(topic, payload, channel)).toBe(expected);
  });
});

describe('Tasmota', () => {
  it('uses POWER for one relay and POWERn for more', () => {
    expect(tasmota.commandTopic('boiler', 1)).toBe('cmnd/boiler/POWER');
    expect(tasmota.commandTopic('board', 3)).toBe('cmnd/board/POWER3');
  });

  it.each([
    ['stat/boiler/POWER', 'ON', 1, true],
    ['stat/boiler/RESULT', '{"POWER":"OFF"}', 1, false],
    ['tele/board/STATE', '{"Time":"x","POWER2":"ON","POWER1":"OFF"}', 2, true],
    ['stat/boiler/RESULT', '{"Dimmer":50}', 1, undefined],
  ])('%s %s (channel %d) → %s', (topic, payload, channel, expected) => {
    expect(tasmota.parseState(topic, payload, channel)).toBe(expected);
  });
});

describe('Home Assistant entities', () => {
  it('accepts switch, light and input_boolean, and refuses others with the fix', () => {
    expect(haEntityDomain('input_boolean.heater')).toBe('input_boolean');
    expect(() => haEntityDomain('sensor.power')).toThrow('"sensor.power" is not a switch, light or input_boolean entity: choose one of those (e.g. switch.boiler)');
    expect([parseHaState('on'), parseHaState('off'), parseHaState('unavailable')]).toEqual([true, false, undefined]);
  });
});
