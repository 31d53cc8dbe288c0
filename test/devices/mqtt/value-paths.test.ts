import { describe, expect, it } from 'vitest';
import { parseGenericJson, validateValueTopic } from '../../../src/devices/mqtt/generic-json';
import { parseTasmotaMessage, TASMOTA_SML_DEFAULT_PATHS, TASMOTA_SML_EXAMPLE_PATHS } from '../../../src/devices/mqtt/tasmota-sml';
import { pathSteps, pickValues, validateValuePaths, valueAt } from '../../../src/devices/mqtt/value-paths';

describe('value paths', () => {
  const json = { SML: { Total_in: 12.5, 'Power-curr': -300 }, meters: [{ power: 1 }, { power: 2, phases: [[7, 8]] }] };
  it.each([
    ['SML.Total_in', 12.5],
    ['SML.Power-curr', -300],
    ['meters[1].power', 2],
    ['meters[1].phases[0][1]', 8],
    ['meters[5].power', undefined],
    ['SML.Total_in.deeper', undefined],
    ['nothing', undefined],
  ])('%s → %j', (path, expected) => {
    expect(valueAt(json, path)).toEqual(expected);
  });

  it.each(['', 'SML..Total_in', 'meters[x]', 'a.[0]', 'a[0'])('"%s" is refused with an example of a path', (path) => {
    expect(() => pathSteps(path)).toThrow(`"${path}" is not a value path: write it like SML.Total_in or meters[0].power`);
  });

  it('picks, scales and brings values to canonical form; names what is missing or no number', () => {
    const payload = { e: { wh: 1500, i: -3.2, pf: -0.9, pv: -4, v: '230.4', bad: 'n/a', nul: null } };
    const picked = pickValues(
      payload,
      [
        { measurement: 'energy_import_kwh', path: 'e.wh', scale: 0.001 },
        { measurement: 'current_l1_a', path: 'e.i' },
        { measurement: 'power_factor', path: 'e.pf' },
        { measurement: 'pv_power_w', path: 'e.pv' },
        { measurement: 'voltage_l1_v', path: 'e.v' },
        { measurement: 'voltage_l2_v', path: 'e.bad' },
        { measurement: 'voltage_l3_v', path: 'e.nul' },
        { measurement: 'power_w', path: 'e.power' },
      ],
      'meters/garage',
    );
    expect(picked).toEqual({
      values: { energy_import_kwh: 1.5, current_l1_a: 3.2, power_factor: 0.9, pv_power_w: 0, voltage_l1_v: 230.4 },
      quality: {
        voltage_l2_v: 'e.bad in meters/garage is "n/a", not a number',
        voltage_l3_v: 'e.nul in meters/garage is null, not a number',
        power_w: 'e.power is not in the payload of meters/garage',
      },
    });
  });

  it.each([
    [[], 'no values mapped: add at least one JSON path and the measurement it gives'],
    [[{ measurement: 'watts', path: 'a' }], '"watts" (for a) is not a canonical measurement: pick one such as power_w or energy_import_kwh'],
    [[{ measurement: 'power_w', path: 'a..b' }], '"a..b" is not a value path'],
    [[{ measurement: 'power_w', path: 'a', scale: 0 }], 'scale 0 for power_w is not a factor: use a number other than 0, e.g. 0.001 for Wh → kWh'],
    [[{ measurement: 'power_w', path: 'a', scale: Number.NaN }], 'scale NaN for power_w is not a factor'],
    [[{ measurement: 'power_w', path: 'a' }, { measurement: 'power_w', path: 'b' }], 'power_w is mapped twice: map each measurement from one path'],
  ])('mapping %j is refused', (paths, message) => {
    expect(() => validateValuePaths(paths)).toThrow(message);
  });
});

describe('Tasmota SML', () => {
  const SENSOR = 'tele/tasmota_sml/SENSOR';
  const frame = JSON.stringify({ Time: '2026-11-21T01:00:00', SML: { Total_in: 4567.8912, Total_out: 123.4, Power_curr: -812, Meter_Id: '0a01454d48' } });

  it('offers the example scripts names, the three common ones as defaults', () => {
    expect(TASMOTA_SML_DEFAULT_PATHS).toEqual([
      { measurement: 'power_w', path: 'SML.Power_curr' },
      { measurement: 'energy_import_kwh', path: 'SML.Total_in' },
      { measurement: 'energy_export_kwh', path: 'SML.Total_out' },
    ]);
    expect(TASMOTA_SML_EXAMPLE_PATHS.map((p) => p.path)).toContain('SML.current_l3');
    expect(() => validateValuePaths(TASMOTA_SML_EXAMPLE_PATHS)).not.toThrow();
  });

  it.each([
    [SENSOR, frame, { reading: { values: { power_w: -812, energy_import_kwh: 4567.8912, energy_export_kwh: 123.4 }, quality: {} } }],
    [SENSOR, '{"Time":"x","ENERGY":{"Power":5}}', { reading: { values: {}, quality: {
      power_w: `SML.Power_curr is not in the payload of ${SENSOR}`,
      energy_import_kwh: `SML.Total_in is not in the payload of ${SENSOR}`,
      energy_export_kwh: `SML.Total_out is not in the payload of ${SENSOR}`,
    } } }],
    [SENSOR, 'Online', { problem: expect.stringMatching(/^tele\/tasmota_sml\/SENSOR: payload "Online" is not JSON \(/) }],
    ['tele/tasmota_sml/LWT', 'Online', { online: true }],
    ['tele/tasmota_sml/LWT', 'Offline', { online: false }],
    ['tele/tasmota_sml/LWT', 'gone', { problem: 'tele/tasmota_sml/LWT: "gone" is neither Online nor Offline' }],
    ['tele/tasmota_sml/STATE', '{}', {}],
  ])('%s %s', (topic, payload, expected) => {
    expect(parseTasmotaMessage('tasmota_sml', TASMOTA_SML_DEFAULT_PATHS, topic, payload)).toEqual(expected);
  });

  it('shortens a long bad payload in the problem', () => {
    const { problem } = parseTasmotaMessage('t', TASMOTA_SML_DEFAULT_PATHS, 'tele/t/SENSOR', 'x'.repeat(500));
    expect(problem).toContain(`"${'x'.repeat(60)}…"`);
  });
});

describe('generic JSON', () => {
  const paths = [{ measurement: 'power_w', path: 'data.p' }, { measurement: 'energy_import_kwh', path: 'data.e[0]', scale: 0.001 }];
  it.each([
    ['meters/garage', '{"data":{"p":42,"e":[2500]}}', { reading: { values: { power_w: 42, energy_import_kwh: 2.5 }, quality: {} } }],
    ['meters/garage', '42', { reading: { values: {}, quality: {
      power_w: 'data.p is not in the payload of meters/garage',
      energy_import_kwh: 'data.e[0] is not in the payload of meters/garage',
    } } }],
    ['meters/garage', '{"data":', { problem: expect.stringMatching(/^meters\/garage: payload "\{\\"data\\":" is not JSON/) }],
    ['meters/other', '{}', {}],
  ])('%s %s', (topic, payload, expected) => {
    expect(parseGenericJson('meters/garage', paths, topic, payload)).toEqual(expected);
  });

  it.each([
    ['', 'no topic: enter the topic the device publishes its JSON on'],
    ['meters/+/state', 'topic "meters/+/state" has a wildcard: enter the one topic of this device, e.g. meters/garage/state'],
    ['meters/#', 'topic "meters/#" has a wildcard'],
  ])('topic "%s" is refused', (topic, message) => {
    expect(() => validateValueTopic(topic)).toThrow(message);
  });
});
