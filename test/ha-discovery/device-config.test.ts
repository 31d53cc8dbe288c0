import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/ha-discovery/commands';
import { buildDeviceConfig, withRemovedComponents } from '../../src/ha-discovery/device-config';
import type { EntitySpec, HaDeviceSpec } from '../../src/ha-discovery/entities';
import { measurementSensor } from '../../src/ha-discovery/measurement-entities';
import { siteDevice } from '../../src/ha-discovery/site-device';
import { PROFILES } from '../../src/devices/profiles';
import { PACKAGE_VERSION } from '../../src/package-info';
import { checkDiscovery } from '../ha-conformance/checker';

const roots = { discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
const cmp = (spec: EntitySpec) => buildDeviceConfig(roots, { deviceId: 'd', name: 'D', entities: [spec] }).payload.cmps as Record<string, unknown>;

/** One golden payload per entity kind, compared whole. */
describe('component builders (golden)', () => {
  it.each<[string, EntitySpec, Record<string, unknown>]>([
    ['sensor', measurementSensor('energy_import_kwh'), {
      p: 'sensor', uniq_id: 'hems_d_energy_import_kwh', def_ent_id: 'sensor.hems_d_energy_import_kwh', obj_id: 'hems_d_energy_import_kwh', name: 'Energy import', stat_t: 'hems/d/energy_import_kwh',
      dev_cla: 'energy', stat_cla: 'total_increasing', unit_of_meas: 'kWh', sug_dsp_prc: 2,
    }],
    ['sensor, hidden, no device class', measurementSensor('reactive_energy_export_kvarh'), {
      p: 'sensor', uniq_id: 'hems_d_reactive_energy_export_kvarh', def_ent_id: 'sensor.hems_d_reactive_energy_export_kvarh', obj_id: 'hems_d_reactive_energy_export_kvarh', name: 'Reactive energy export', stat_t: 'hems/d/reactive_energy_export_kvarh',
      stat_cla: 'total_increasing', unit_of_meas: 'kvarh', sug_dsp_prc: 2, en: false,
    }],
    ['binary_sensor', { kind: 'binary_sensor', key: 'alarm', name: 'Alarm', deviceClass: 'problem', attributes: true }, {
      p: 'binary_sensor', uniq_id: 'hems_d_alarm', def_ent_id: 'binary_sensor.hems_d_alarm', obj_id: 'hems_d_alarm', name: 'Alarm', stat_t: 'hems/d/alarm', json_attr_t: 'hems/d/alarm/attributes',
      dev_cla: 'problem', pl_on: 'ON', pl_off: 'OFF',
    }],
    ['switch', { kind: 'switch', key: 'relay', name: 'Relay', deviceClass: 'outlet' }, {
      p: 'switch', uniq_id: 'hems_d_relay', def_ent_id: 'switch.hems_d_relay', obj_id: 'hems_d_relay', name: 'Relay', stat_t: 'hems/d/relay', cmd_t: 'hems/d/relay/set',
      dev_cla: 'outlet', pl_on: 'ON', pl_off: 'OFF',
    }],
    ['select', { kind: 'select', key: 'mode', name: 'Mode', options: ['off', 'surplus', 'on'], icon: 'mdi:tune' }, {
      p: 'select', uniq_id: 'hems_d_mode', def_ent_id: 'select.hems_d_mode', obj_id: 'hems_d_mode', name: 'Mode', stat_t: 'hems/d/mode', cmd_t: 'hems/d/mode/set', ic: 'mdi:tune',
      ops: ['off', 'surplus', 'on'],
    }],
    ['number', { kind: 'number', key: 'export_limit', name: 'Export limit', min: 0, max: 10000, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' }, {
      p: 'number', uniq_id: 'hems_d_export_limit', def_ent_id: 'number.hems_d_export_limit', obj_id: 'hems_d_export_limit', name: 'Export limit', stat_t: 'hems/d/export_limit', cmd_t: 'hems/d/export_limit/set',
      ent_cat: 'config', min: 0, max: 10000, step: 100, unit_of_meas: 'W', dev_cla: 'power', mode: 'box',
    }],
    ['button', { kind: 'button', key: 'read_now', name: 'Read now', category: 'diagnostic' }, {
      p: 'button', uniq_id: 'hems_d_read_now', def_ent_id: 'button.hems_d_read_now', obj_id: 'hems_d_read_now', name: 'Read now', ent_cat: 'diagnostic', cmd_t: 'hems/d/read_now/set', pl_prs: 'PRESS',
    }],
    ['text', { kind: 'text', key: 'note', name: null, max: 40, pattern: '[a-z ]*' }, {
      p: 'text', uniq_id: 'hems_d_note', def_ent_id: 'text.hems_d_note', obj_id: 'hems_d_note', name: null, stat_t: 'hems/d/note', cmd_t: 'hems/d/note/set', max: 40, ptrn: '[a-z ]*',
    }],
  ])('%s', (_kind, spec, expected) => {
    expect(cmp(spec)[spec.key]).toEqual(expected);
  });
});

describe('buildDeviceConfig', () => {
  it('builds the device block, origin and availability (golden)', () => {
    const { topic, payload } = buildDeviceConfig(roots, { deviceId: 'grid', name: 'Grid meter', manufacturer: 'Eastron', model: 'SDM630', viaDeviceId: 'site', entities: [] });
    expect(topic).toBe('homeassistant/device/hems_grid/config');
    expect(payload).toEqual({
      dev: { ids: ['hems_grid'], name: 'Grid meter', mf: 'Eastron', mdl: 'SDM630', sw: PACKAGE_VERSION, via_device: 'hems_site' },
      o: { name: 'node-red-contrib-hems', sw: PACKAGE_VERSION },
      avty: [{ t: 'hems/status' }, { t: 'hems/grid/availability' }],
      avty_mode: 'all',
      qos: 1,
      cmps: {},
    });
  });

  it.each([
    [{ deviceId: 'grid meter' }, 'device id "grid meter" may only contain letters, digits, "_" and "-" (Home Assistant ignores other topics); for example "grid_meter"'],
    [{ entities: [measurementSensor('power_w'), measurementSensor('power_w')] }, 'device "d" declares entity "power_w" twice'],
    [{ entities: [{ kind: 'button', key: 'Read-Now', name: 'x' } as EntitySpec] }, 'entity key "Read-Now" may only contain a-z, 0-9 and "_"'],
  ])('refuses %j', (override, message) => {
    expect(() => buildDeviceConfig(roots, { deviceId: 'd', name: 'D', entities: [], ...override } as HaDeviceSpec)).toThrow(message);
  });

  it('lists a component that disappeared with its platform alone, so HA removes it', () => {
    const before = buildDeviceConfig(roots, { deviceId: 'd', name: 'D', entities: [measurementSensor('power_w'), { kind: 'button', key: 'b', name: 'B' }] });
    const after = buildDeviceConfig(roots, { deviceId: 'd', name: 'D', entities: [measurementSensor('power_w')] });
    const merged = withRemovedComponents(before.payload, after);
    expect(Object.keys(merged.payload.cmps as object)).toEqual(['power_w', 'b']);
    expect((merged.payload.cmps as Record<string, unknown>).b).toEqual({ p: 'button' });
    // Once removed, the platform-only entry is not carried on for ever.
    expect(withRemovedComponents(merged.payload, after)).toEqual(after);
  });
});

describe('several sites in one HA', () => {
  const meter = (deviceId: string): HaDeviceSpec => ({ deviceId, name: 'Meter', viaDeviceId: 'site', entities: [measurementSensor('power_w')] });

  it('keeps the unscoped ids of the default base topic, so saved installations keep their entities', () => {
    const { topic, payload } = buildDeviceConfig(roots, meter('grid'));
    expect(topic).toBe('homeassistant/device/hems_grid/config');
    expect(payload.dev).toMatchObject({ ids: ['hems_grid'], via_device: 'hems_site' });
    expect((payload.cmps as Record<string, { uniq_id: string }>).power_w.uniq_id).toBe('hems_grid_power_w');
  });

  it('scopes ids and the discovery topic by any other base topic, under a node id level of the site', () => {
    const house = { discoveryPrefix: 'homeassistant', baseTopic: 'house' };
    const { topic, payload } = buildDeviceConfig(house, meter('grid'));
    expect(topic).toBe('homeassistant/device/hems-house/grid/config');
    expect(payload.dev).toMatchObject({ ids: ['hems-house-grid'], via_device: 'hems-house-site' });
    expect((payload.cmps as Record<string, { uniq_id: string; stat_t: string }>).power_w).toMatchObject({ uniq_id: 'hems-house-grid_power_w', stat_t: 'house/grid/power_w' });
    // A scoped site's entities take the ids HA derives from their names, which they had before sites were scoped.
    expect((payload.cmps as Record<string, Record<string, unknown>>).power_w).not.toHaveProperty('def_ent_id');
    expect((payload.cmps as Record<string, Record<string, unknown>>).power_w).not.toHaveProperty('obj_id');
    expect(checkDiscovery(topic, JSON.stringify(payload))).toEqual([]);
    expect(buildDeviceConfig({ discoveryPrefix: 'homeassistant', baseTopic: 'homes/Garage-2' }, meter('grid')).topic).toBe('homeassistant/device/hems-homes_garage_2/grid/config');
  });

  it('shares no device id, unique id or topic between sites, not even where a device id looks like a site', () => {
    const configs = [
      buildDeviceConfig(roots, siteDevice('hems')),
      buildDeviceConfig(roots, meter('house_grid')),
      buildDeviceConfig({ discoveryPrefix: 'homeassistant', baseTopic: 'house' }, { ...siteDevice('house'), viaDeviceId: undefined }),
      buildDeviceConfig({ discoveryPrefix: 'homeassistant', baseTopic: 'house' }, meter('grid')),
      buildDeviceConfig({ discoveryPrefix: 'homeassistant', baseTopic: 'house_grid' }, meter('x')),
      buildDeviceConfig({ discoveryPrefix: 'homeassistant', baseTopic: 'house' }, meter('grid-x')),
    ];
    const ids = configs.flatMap((c) => [c.topic, ...(c.payload.dev as { ids: string[] }).ids, ...Object.values(c.payload.cmps as Record<string, { uniq_id: string }>).map((e) => e.uniq_id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(configs.map((c) => (c.payload.dev as { name: string }).name).slice(0, 3)).toEqual(['HEMS', 'Meter', 'HEMS house']);
  });
});

describe('every payload we can produce passes the conformance checker', () => {
  const devices: HaDeviceSpec[] = [
    siteDevice('hems'),
    ...Object.values(PROFILES).map((p) => ({ deviceId: p.id.replace(/[^a-z0-9_-]/gi, '_'), name: p.model, viaDeviceId: 'site', entities: p.registers.map((r) => measurementSensor(r.name)) })),
    { deviceId: 'all_kinds', name: 'All kinds', entities: [
      { kind: 'binary_sensor', key: 'b', name: 'B', deviceClass: 'problem', attributes: true },
      { kind: 'switch', key: 's', name: 'S' },
      { kind: 'select', key: 'm', name: 'M', options: ['a', 'b'] },
      { kind: 'number', key: 'n', name: 'N', min: 0, max: 1, step: 0.01 },
      { kind: 'button', key: 'p', name: 'P' },
      { kind: 'text', key: 't', name: 'T', max: 10 },
    ] },
  ];
  it.each(devices.map((d) => [d.deviceId, d] as const))('%s', (_id, device) => {
    const { topic, payload } = buildDeviceConfig(roots, device);
    expect(checkDiscovery(topic, JSON.stringify(payload))).toEqual([]);
  });

  it('every canonical measurement makes a valid sensor', async () => {
    const { MEASUREMENTS } = await import('../../src/engine/measurements');
    const { topic, payload } = buildDeviceConfig(roots, { deviceId: 'all', name: 'All', entities: Object.keys(MEASUREMENTS).map(measurementSensor) });
    expect(checkDiscovery(topic, JSON.stringify(payload))).toEqual([]);
  });
});

describe('validateCommand', () => {
  const number: EntitySpec = { kind: 'number', key: 'n', name: 'N', min: 0, max: 100, step: 1 };
  it.each<[EntitySpec, string, unknown]>([
    [{ kind: 'switch', key: 's', name: 'S' }, 'ON', { ok: true, value: true }],
    [{ kind: 'switch', key: 's', name: 'S' }, 'OFF', { ok: true, value: false }],
    [{ kind: 'switch', key: 's', name: 'S' }, 'on', { ok: false, error: '"on" is not ON or OFF' }],
    [{ kind: 'select', key: 'm', name: 'M', options: ['off', 'on'] }, 'auto', { ok: false, error: '"auto" is not one of off, on' }],
    [number, '42.5', { ok: true, value: 42.5 }],
    [number, '101', { ok: false, error: '101 is outside 0 … 100' }],
    [number, 'lots', { ok: false, error: '"lots" is not a number' }],
    [{ kind: 'button', key: 'b', name: 'B' }, 'PRESS', { ok: true, value: 'PRESS' }],
    [{ kind: 'button', key: 'b', name: 'B' }, 'press', { ok: false, error: '"press" is not PRESS' }],
    [{ kind: 'text', key: 't', name: 'T', pattern: '[0-9]+' }, '12a', { ok: false, error: '"12a" does not match [0-9]+' }],
    [{ kind: 'sensor', key: 'x', name: 'X' }, '1', { ok: false, error: 'sensor "x" takes no commands' }],
  ])('%j gets %s', (spec, payload, expected) => {
    expect(validateCommand(spec, payload)).toEqual(expected);
  });
});
