/** The HA devices of the site's optimiser, the loads, the planner and the inverter limit pass HA's discovery rules, with the entities they promise. */
import { describe, expect, it } from 'vitest';
import type { LoadConfig } from '../../src/engine/allocator';
import { buildDeviceConfig } from '../../src/ha-discovery/device-config';
import { inverterLimitDevice } from '../../src/ha-discovery/devices/inverter-limit';
import { LOAD_OVERRIDES, loadDevice } from '../../src/ha-discovery/devices/load';
import { optimiserDevice } from '../../src/ha-discovery/devices/optimiser';
import { plannerDevice } from '../../src/ha-discovery/devices/planner';
import type { HaDeviceSpec } from '../../src/ha-discovery/entities';
import { checkDiscovery } from '../ha-conformance/checker';

const roots = { discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
const keys = (device: HaDeviceSpec) => device.entities.map((e) => `${e.kind}:${e.key}`);
const valid = (device: HaDeviceSpec) => {
  const { topic, payload } = buildDeviceConfig(roots, device);
  return checkDiscovery(topic, JSON.stringify(payload));
};

describe('HA devices of the optimiser, loads, planner and inverter limit', () => {
  it('optimiser', () => {
    const device = optimiserDevice('home', 'Home');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['sensor:surplus_w', 'sensor:projected_grid_power_w', 'sensor:reason', 'number:export_limit_w', 'number:import_cap_w', 'select:strategy', 'binary_sensor:alarm']);
  });

  it.each([
    [{ id: 'rod', kind: 'on_off', powerW: 2000 }, ['off', 'surplus', 'on']],
    [{ id: 'ev', kind: 'modulating', control: 'current', minCurrentA: 6, maxCurrentA: 16, phases: 1 }, ['off', 'surplus', 'min_surplus', 'on']],
  ])('load %j offers the modes it has', (load, modes) => {
    const device = loadDevice({ priority: 1, mode: 'surplus', ...load } as unknown as LoadConfig);
    expect(valid(device)).toEqual([]);
    expect(device.entities.find((e) => e.key === 'mode')).toMatchObject({ options: modes });
    expect(device.entities.find((e) => e.key === 'override')).toMatchObject({ options: Object.keys(LOAD_OVERRIDES) });
  });

  it('planner, with the entities of each planned load', () => {
    const device = plannerDevice('planner', 'Planner', [{ id: 'ev', name: 'EV' }]);
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['sensor:plan', 'binary_sensor:cheap_hour', 'binary_sensor:negative_price', 'sensor:ev_next_start', 'sensor:ev_promise']);
  });

  it('inverter limit', () => {
    const device = inverterLimitDevice('inverter', 'Inverter limit', 'Huawei SUN2000 derating (%)');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['sensor:limit_w', 'sensor:limit_pct', 'binary_sensor:alarm']);
  });
});
