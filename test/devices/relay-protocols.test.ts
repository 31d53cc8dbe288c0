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

  it.each([
    ['p/status/switch:0', 'null', 'not a JSON object'],
    ['p/events/rpc', '[1]', 'not a JSON object'],
    ['p/events/rpc', '{oops', 'not JSON'],
  ])('%s %s is refused plainly: %s', (topic, payload, problem) => {
    expect(() => shellyGen2.parseState(topic, payload, 0)).toThrow(new Error(problem));
  });

  it.each([
    ['p/events/rpc', '{"params":null}'],
    ['p/events/rpc', '{"params":"x"}'],
    ['p/events/rpc', '{"params":{"switch:0":null}}'],
  ])('%s %s carries no state', (topic, payload) => {
    expect(shellyGen2.parseState(topic, payload, 0)).toBeUndefined();
  });

  it('reads its last will', () => {
    expect(shellyGen2.availabilityTopic('p')).toBe('p/online');
    expect(['true', 'false', 'x'].map(shellyGen2.parseAvailability)).toEqual([true, false, undefined]);
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

  it.each([
    ['stat/boiler/RESULT', 'null', 'not a JSON object'],
    ['tele/boiler/STATE', '"ON"', 'not a JSON object'],
  ])('%s %s is refused plainly: %s', (topic, payload, problem) => {
    expect(() => tasmota.parseState(topic, payload, 1)).toThrow(new Error(problem));
  });

  it('reads its last will', () => {
    expect(tasmota.availabilityTopic('boiler')).toBe('tele/boiler/LWT');
    expect(['Online', 'Offline', 'x'].map(tasmota.parseAvailability)).toEqual([true, false, undefined]);
  });
});

describe('Home Assistant entities', () => {
  it('accepts switch, light and input_boolean, and refuses others with the fix', () => {
    expect(haEntityDomain('input_boolean.heater')).toBe('input_boolean');
    expect(() => haEntityDomain('sensor.power')).toThrow('"sensor.power" is not a switch, light or input_boolean entity: choose one of those (e.g. switch.boiler)');
    expect([parseHaState('on'), parseHaState('off'), parseHaState('unavailable')]).toEqual([true, false, undefined]);
  });
});
