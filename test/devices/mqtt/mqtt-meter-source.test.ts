import { describe, expect, it } from 'vitest';
import { countValues, derivesTotals, NEW_COUNTER_MEMORY, resumedMemory } from '../../../src/devices/mqtt/meter-counters';
import { createMqttMeterSource, type MqttMeterSettings } from '../../../src/devices/mqtt/mqtt-meter-source';
import { EM_STATUS, EMDATA_STATUS, notifyStatus, SHELLY_PREFIX as P } from '../../fixtures/shelly-pro-3em';

describe('createMqttMeterSource', () => {
  it.each<[Partial<MqttMeterSettings>, string]>([
    [{ format: 'modbus' as never }, 'format "modbus" is not one of shelly-pro-3em, tasmota-sml, smappee-genius, json'],
    [{ format: 'shelly-pro-3em', topic: '' }, 'topic "" is not a device topic: enter the device\'s own topic without "+", "#" or a leading or trailing "/"'],
    [{ format: 'shelly-pro-3em', topic: 'shellies/#' }, 'topic "shellies/#" is not a device topic'],
    [{ format: 'tasmota-sml', topic: 'tele/x/' }, 'topic "tele/x/" is not a device topic'],
    [{ format: 'shelly-pro-3em', topic: 'x', shellyProfile: 'duophase' as never }, 'Shelly profile "duophase" is not one of triphase, monophase'],
    [{ format: 'json', topic: 'a/b', paths: [] }, 'no values mapped'],
    [{ format: 'json', topic: 'a/+', paths: [{ measurement: 'power_w', path: 'p' }] }, 'has a wildcard'],
  ])('%j is refused: %s', (settings, message) => {
    expect(() => createMqttMeterSource({ topic: 'x', format: 'json', ...settings })).toThrow(message);
  });

  it('a Shelly source keeps the last full status and overlays notifications', () => {
    const source = createMqttMeterSource({ format: 'shelly-pro-3em', topic: P });
    expect(source.filters).toEqual([`${P}/status/+`, `${P}/events/rpc`, `${P}/online`]);
    expect(source.take(`${P}/status/em:0`, JSON.stringify(EM_STATUS)).reading?.values.power_w).toBe(750.5);
    source.take(`${P}/status/emdata:0`, JSON.stringify(EMDATA_STATUS));
    const update = source.take(`${P}/events/rpc`, notifyStatus({ 'em:0': { total_act_power: -20 } }));
    expect(update.reading?.values).toMatchObject({ power_w: -20, power_l1_w: 900.5, energy_export_kwh: 3.5 });
    expect(update.reading?.quality).toEqual({});
    expect(source.take(`${P}/events/rpc`, '{oops').reading).toBeUndefined();
    expect(source.take(`${P}/online`, 'false')).toEqual({ online: false, problem: undefined, reading: undefined });
  });

  it('a Tasmota source without a mapping uses the common example names', () => {
    const source = createMqttMeterSource({ format: 'tasmota-sml', topic: 'tasmota_sml', paths: [] });
    expect(source.filters).toEqual(['tele/tasmota_sml/SENSOR', 'tele/tasmota_sml/LWT']);
    expect(source.measurements).toEqual(['power_w', 'energy_import_kwh', 'energy_export_kwh']);
  });
});

describe('meter counters', () => {
  it.each([
    [['power_w'], true],
    [['power_w', 'voltage_l1_v'], true],
    [['power_w', 'energy_import_kwh'], false],
    [['power_w', 'energy_export_kwh'], false],
    [['voltage_l1_v'], false],
  ])('%j derives totals: %s', (names, expected) => {
    expect(derivesTotals(names)).toBe(expected);
  });

  it('drops a total that goes backwards and remembers the highest', () => {
    const first = countValues(NEW_COUNTER_MEMORY, { power_w: 5, energy_import_kwh: 100 }, 0, false);
    const second = countValues(first.memory, { power_w: 6, energy_import_kwh: 99.5 }, 1000, false);
    expect(second.values).toEqual({ power_w: 6 });
    expect(second.dropped).toEqual([{ name: 'energy_import_kwh', previous: 100, value: 99.5 }]);
    expect(second.memory).toEqual({ highest: { energy_import_kwh: 100 } });
  });

  const MIN = 60_000;
  it('integrates import and export from power, continuing from a remembered state', () => {
    const start = countValues(NEW_COUNTER_MEMORY, { power_w: 1200 }, 0, true);
    expect(start.values).toEqual({ power_w: 1200, energy_import_kwh: 0, energy_export_kwh: 0 });
    const later = countValues(start.memory, { power_w: 1200 }, 5 * MIN, true);
    expect(later.values).toEqual({ power_w: 1200, energy_import_kwh: 0.1, energy_export_kwh: 0 });
    const restored = JSON.parse(JSON.stringify(later.memory));
    const exporting = countValues(restored, { power_w: -1200 }, 6 * MIN, true);
    expect(exporting.values.energy_import_kwh).toBeCloseTo(0.105, 9);
    expect(exporting.values.energy_export_kwh).toBeCloseTo(0.005, 9);
    expect(exporting.memory.highest.energy_import_kwh).toBe(exporting.values.energy_import_kwh);
  });

  it('after a restart integrates from the next sample, not across the time it was down', () => {
    const before = countValues(countValues(NEW_COUNTER_MEMORY, { power_w: 1200 }, 0, true).memory, { power_w: 1200 }, 5 * MIN, true);
    const resumed = resumedMemory(JSON.parse(JSON.stringify(before.memory)));
    const after = countValues(resumed, { power_w: 1200 }, 6 * MIN, true);
    expect(after.values.energy_import_kwh).toBe(before.values.energy_import_kwh);
    expect(countValues(after.memory, { power_w: 1200 }, 7 * MIN, true).values.energy_import_kwh).toBeCloseTo(0.12, 9);
  });

  it('keeps the derived totals when a message has no power', () => {
    const later = countValues(countValues(NEW_COUNTER_MEMORY, { power_w: 1200 }, 0, true).memory, { power_w: 1200 }, 5 * MIN, true);
    expect(countValues(later.memory, { voltage_l1_v: 230 }, 6 * MIN, true).values).toEqual({ voltage_l1_v: 230, energy_import_kwh: 0.1, energy_export_kwh: 0 });
  });
});
