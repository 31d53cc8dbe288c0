/** The checker must catch what HA rejects; otherwise "every payload passes" would prove nothing. */
import { describe, expect, it } from 'vitest';
import { checkAttributes, checkDiscovery, checkState } from './checker';

const device = { dev: { ids: ['x'] }, o: { name: 'n' } };
const sensor = { p: 'sensor', uniq_id: 'u', stat_t: 's' };
const deviceConfig = (cmps: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...device, ...extra, cmps });
const rules = (topic: string, payload: string) => checkDiscovery(topic, payload).map((v) => v.rule);
const DEV_TOPIC = 'homeassistant/device/x/config';

describe('conformance checker catches what HA rejects', () => {
  it.each([
    ['a topic id with a space', 'homeassistant/device/my device/config', deviceConfig({ a: sensor }), 'R1'],
    ['a payload that is not JSON', DEV_TOPIC, '{nope', 'R3'],
    ['an origin without name', DEV_TOPIC, JSON.stringify({ dev: { ids: ['x'] }, o: {}, cmps: { a: sensor } }), 'R5'],
    ['a device without identifiers', DEV_TOPIC, JSON.stringify({ dev: { name: 'x' }, o: { name: 'n' }, cmps: { a: sensor } }), 'R6'],
    ['device discovery without cmps', DEV_TOPIC, JSON.stringify(device), 'R7'],
    ['a component without unique_id', DEV_TOPIC, deviceConfig({ a: { p: 'sensor', stat_t: 'x' } }), 'R19'],
    ['a component with an unknown platform', DEV_TOPIC, deviceConfig({ a: { p: 'toaster', uniq_id: 'u' } }), 'R7'],
    ['a sensor without state topic', DEV_TOPIC, deviceConfig({ a: { p: 'sensor', uniq_id: 'u' } }), 'R4'],
    ['a select without options', DEV_TOPIC, deviceConfig({ a: { p: 'select', uniq_id: 'u', cmd_t: 'c' } }), 'R4'],
    ['a select with one option', DEV_TOPIC, deviceConfig({ a: { p: 'select', uniq_id: 'u', cmd_t: 'c', ops: ['a'] } }), 'R4'],
    ['power in Watt', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'power', unit_of_meas: 'Watt' } }), 'R8'],
    ['reactive power in VAr', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'reactive_power', unit_of_meas: 'VAr', stat_cla: 'measurement' } }), 'R8'],
    ['water in kWh', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'water', unit_of_meas: 'kWh', stat_cla: 'total_increasing' } }), 'R8'],
    ['gas as a measurement', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'gas', unit_of_meas: 'm³', stat_cla: 'measurement' } }), 'R14'],
    ['energy as a measurement', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'energy', unit_of_meas: 'kWh', stat_cla: 'measurement' } }), 'R14'],
    ['power as total_increasing', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'power', unit_of_meas: 'W', stat_cla: 'total_increasing' } }), 'R14'],
    ['options with a unit', DEV_TOPIC, deviceConfig({ a: { ...sensor, dev_cla: 'enum', ops: ['a', 'b'], unit_of_meas: 'W' } }), 'R10'],
    ['last reset without total', DEV_TOPIC, deviceConfig({ a: { ...sensor, stat_cla: 'measurement', lrst_val_tpl: 'x' } }), 'R11'],
    ['a number with min above max', DEV_TOPIC, deviceConfig({ a: { p: 'number', uniq_id: 'u', cmd_t: 'c', min: 5, max: 1 } }), 'R15'],
    ['a number with a tiny step', DEV_TOPIC, deviceConfig({ a: { p: 'number', uniq_id: 'u', cmd_t: 'c', step: 0.0001 } }), 'R15'],
    ['a text longer than 255', DEV_TOPIC, deviceConfig({ a: { p: 'text', uniq_id: 'u', cmd_t: 'c', max: 300 } }), 'R16'],
    ['both availability forms', DEV_TOPIC, deviceConfig({ a: { ...sensor, avty_t: 'a', avty: [{ t: 'b' }] } }), 'R17'],
    ['a misspelled key', DEV_TOPIC, deviceConfig({ a: { ...sensor, unit_of_measure: 'W' } }), 'R18'],
    ['a per-entity topic for an unknown component', 'homeassistant/toaster/x/config', JSON.stringify(sensor), 'R2'],
  ])('%s', (_what, topic, payload, rule) => {
    expect(rules(topic, payload)).toContain(rule);
  });

  it('accepts the reference example and a platform-only removal entry', () => {
    const example = {
      dev: { ids: ['hems-01'], name: 'HEMS' }, o: { name: 'node-red-hems', sw: '0.1.0' }, avty_t: 'hems/status', qos: 1,
      cmps: {
        grid_power: { p: 'sensor', uniq_id: 'g', stat_t: 's', dev_cla: 'power', stat_cla: 'measurement', unit_of_meas: 'W' },
        sg_mode: { p: 'select', uniq_id: 's', cmd_t: 'c', stat_t: 's', ops: ['lock', 'normal', 'recommend', 'force_on'] },
        resync: { p: 'button' },
      },
    };
    expect(checkDiscovery(DEV_TOPIC, JSON.stringify(example))).toEqual([]);
    expect(checkDiscovery(DEV_TOPIC, '')).toEqual([]);
  });
});

describe('state checks', () => {
  it.each([
    [{ p: 'sensor', stat_cla: 'measurement' }, 'false', 'non-numeric state'],
    [{ p: 'sensor', dev_cla: 'power', unit_of_meas: 'W' }, 'unavailable', 'non-numeric state'],
    [{ p: 'select', ops: ['a', 'b'] }, 'c', 'not one of'],
    [{ p: 'switch' }, 'on', 'neither ON nor OFF'],
    [{ p: 'binary_sensor' }, 'true', 'neither ON nor OFF'],
  ])('%j refuses %s', (component, payload, message) => {
    expect(checkState(component, payload)).toContain(message);
  });

  it.each([
    [{ p: 'sensor', stat_cla: 'measurement' }, '-12.5'],
    [{ p: 'sensor' }, 'any text'],
    [{ p: 'select', ops: ['a', 'b'] }, 'b'],
    [{ p: 'switch' }, 'ON'],
  ])('%j accepts %s', (component, payload) => {
    expect(checkState(component, payload)).toBeUndefined();
  });
});

describe('attribute checks', () => {
  it.each([
    ['[1, 2]', 'R3'],
    ['not json', 'R3'],
    ['{"state": "x", "start": []}', 'R18'],
    [JSON.stringify({ start: Array.from({ length: 800 }, () => '2026-12-05T12:00:00Z') }), 'recorder'],
  ])('%s breaks %s', (payload, rule) => {
    expect(checkAttributes(payload).map((v) => v.rule)).toEqual([rule]);
  });

  it('accepts an object of series below the recorder limit', () => {
    expect(checkAttributes(JSON.stringify({ start: ['2026-12-05T12:00:00Z'], load_w: { boiler: [2000] } }))).toEqual([]);
  });
});
