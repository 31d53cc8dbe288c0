/** The HA devices of the site's optimiser, the loads, the planner, the inverter limit, the meters and the pulse counter pass HA's discovery rules, with the entities they promise. */
import { describe, expect, it } from 'vitest';
import type { LoadConfig } from '../../src/engine/allocator';
import { buildDeviceConfig } from '../../src/ha-discovery/device-config';
import { batteryDevice } from '../../src/ha-discovery/devices/battery';
import { inverterLimitDevice } from '../../src/ha-discovery/devices/inverter-limit';
import { LOAD_OVERRIDES, loadDevice } from '../../src/ha-discovery/devices/load';
import { mqttMeterDevice, polledMeterDevice } from '../../src/ha-discovery/devices/meter';
import { optimiserDevice } from '../../src/ha-discovery/devices/optimiser';
import { plannerDevice } from '../../src/ha-discovery/devices/planner';
import { pulseCounterDevice } from '../../src/ha-discovery/devices/pulse-counter';
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

  it('battery: the mode select (auto or by hand), its power, the command now and the alarm', () => {
    const device = batteryDevice('battery', 'Battery', 'Huawei SUN2000 + LUNA2000');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['select:mode', 'number:power_w', 'sensor:command', 'sensor:command_power_w', 'sensor:reason', 'binary_sensor:alarm']);
    expect(device.entities[0]).toMatchObject({ options: ['auto', 'self_consumption', 'hold', 'charge', 'discharge'] });
  });

  it('polled meter: its values, Read now and the alarm; named by make and model unless given a name', () => {
    const device = polledMeterDevice('grid', undefined, { manufacturer: 'Eastron', model: 'SDM630' }, ['power_w', 'energy_import_kwh'], 'quiet');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['sensor:power_w', 'sensor:energy_import_kwh', 'button:read_now', 'binary_sensor:alarm']);
    expect(device).toMatchObject({ name: 'Eastron SDM630 grid', manufacturer: 'Eastron', model: 'SDM630', states: 'quiet' });
  });

  it('MQTT meter without a known maker: its values only', () => {
    const device = mqttMeterDevice('garage', 'Garage', { model: 'MQTT JSON meter' }, ['power_w'], 'all');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(['sensor:power_w']);
    expect(device).not.toHaveProperty('manufacturer');
    expect(mqttMeterDevice('m', undefined, { model: 'MQTT JSON meter' }, [], 'quiet').name).toBe('MQTT JSON meter m');
  });

  it.each([
    [false, ['sensor:pulse_total', 'sensor:pulse_count']],
    [true, ['sensor:pulse_total', 'sensor:pulse_count', 'binary_sensor:input']],
  ])('pulse counter (input level seen: %s)', (hasLevel, entityKeys) => {
    const device = pulseCounterDevice('water', undefined, { label: 'Water', unit: 'L', deviceClass: 'water', precision: 0 }, hasLevel, 'quiet');
    expect(valid(device)).toEqual([]);
    expect(keys(device)).toEqual(entityKeys);
    expect(device.entities[0]).toMatchObject({ deviceClass: 'water', stateClass: 'total_increasing', unit: 'L' });
    expect(device.name).toBe('Water pulse counter water');
  });
});
