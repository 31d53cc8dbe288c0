import { describe, expect, it } from 'vitest';
import { entityReading, entityValue, validateMappings, type EntityMapping, type EntityState } from '../../src/io/ha-entity-reading';

const state = (s: string, unit?: string): EntityState => ({ state: s, attributes: unit === undefined ? {} : { unit_of_measurement: unit } });

describe('entityValue', () => {
  it.each<[string, EntityMapping, EntityState | undefined, ReturnType<typeof entityValue>]>([
    ['W as is', { entity: 'sensor.p', measurement: 'power_w' }, state('1234.5', 'W'), { value: 1234.5 }],
    ['kW → W', { entity: 'sensor.p', measurement: 'power_w' }, state('1.2345', 'kW'), { value: 1234.5 }],
    ['export-positive meter, inverted', { entity: 'sensor.p', measurement: 'power_w', invert: true }, state('0.8', 'kW'), { value: -800 }],
    ['Wh → kWh', { entity: 'sensor.e', measurement: 'energy_import_kwh' }, state('12345678', 'Wh'), { value: 12345.678 }],
    ['MWh → kWh', { entity: 'sensor.e', measurement: 'energy_import_kwh' }, state('1.5', 'MWh'), { value: 1500 }],
    ['no unit: taken as canonical', { entity: 'sensor.v', measurement: 'voltage_l1_v' }, state('230.4'), { value: 230.4 }],
    ['current is unsigned', { entity: 'sensor.i', measurement: 'current_l1_a' }, state('-5.2', 'A'), { value: 5.2 }],
    ['power factor in % → 0 … 1', { entity: 'sensor.pf', measurement: 'power_factor' }, state('-95', '%'), { value: 0.95 }],
    ['PV night noise → 0', { entity: 'sensor.pv', measurement: 'pv_power_w' }, state('-3', 'W'), { value: 0 }],
    ['battery keeps its sign', { entity: 'sensor.b', measurement: 'battery_power_w' }, state('-2.5', 'kW'), { value: -2500 }],
    ['unavailable', { entity: 'sensor.p', measurement: 'power_w' }, state('unavailable', 'W'), { problem: 'sensor.p is "unavailable"' }],
    ['unknown', { entity: 'sensor.p', measurement: 'power_w' }, state('unknown', 'W'), { problem: 'sensor.p is "unknown"' }],
    ['empty', { entity: 'sensor.p', measurement: 'power_w' }, state('', 'W'), { problem: 'sensor.p is ""' }],
    ['missing entity', { entity: 'sensor.p', measurement: 'power_w' }, undefined, { problem: 'sensor.p does not exist in Home Assistant: check the entity id' }],
    [
      'unit that does not fit',
      { entity: 'sensor.t', measurement: 'power_w' },
      state('21', '°C'),
      { problem: 'sensor.t is in "°C", which hems cannot convert to W for power_w: map it to a measurement in that unit' },
    ],
  ])('%s', (_name, mapping, entity, expected) => {
    expect(entityValue(mapping, entity)).toEqual(expected);
  });
});

describe('entityReading', () => {
  it('puts values under canonical names and names what is missing in quality', () => {
    const mappings: EntityMapping[] = [
      { entity: 'sensor.grid_power', measurement: 'power_w', invert: true },
      { entity: 'sensor.grid_import', measurement: 'energy_import_kwh' },
      { entity: 'sensor.grid_voltage', measurement: 'voltage_l1_v' },
    ];
    const entities = new Map([
      ['sensor.grid_power', state('-1.5', 'kW')],
      ['sensor.grid_import', state('4200', 'Wh')],
      ['sensor.grid_voltage', state('unavailable', 'V')],
    ]);
    expect(entityReading('grid', mappings, entities, Date.UTC(2026, 0, 15, 12))).toEqual({
      device: 'grid',
      timestamp: '2026-01-15T12:00:00.000Z',
      values: { power_w: 1500, energy_import_kwh: 4.2 },
      quality: { voltage_l1_v: 'sensor.grid_voltage is "unavailable"' },
    });
  });

  it('has no quality when every value is there', () => {
    const reading = entityReading('pv', [{ entity: 'sensor.pv', measurement: 'pv_power_w' }], new Map([['sensor.pv', state('800', 'W')]]), 0);
    expect(reading).toEqual({ device: 'pv', timestamp: '1970-01-01T00:00:00.000Z', values: { pv_power_w: 800 } });
  });
});

describe('validateMappings', () => {
  it.each<[EntityMapping[], string]>([
    [[], 'no entities mapped: add at least one entity and the measurement it gives'],
    [[{ entity: 'grid power', measurement: 'power_w' }], 'entity id "grid power" is not an HA entity id: use the form domain.object_id, like sensor.grid_power'],
    [[{ entity: 'sensor.p', measurement: 'power_kw' }], '"power_kw" (for sensor.p) is not a canonical measurement: pick one such as power_w or energy_import_kwh'],
    [
      [
        { entity: 'sensor.a', measurement: 'power_w' },
        { entity: 'sensor.b', measurement: 'power_w' },
      ],
      'power_w is mapped twice: map each measurement from one entity',
    ],
  ])('%j is refused with the fix', (mappings, message) => expect(() => validateMappings(mappings)).toThrow(message));
});
