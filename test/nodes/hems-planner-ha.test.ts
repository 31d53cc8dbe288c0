import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAttributes, checkDiscovery, checkState } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { helper, runtimeWithBroker } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-ha', 'hems-optimiser', 'hems-load', 'hems-planner'].map((name) => require(join(DIST, `${name}.js`)));

const PLANNER_CONFIG = 'homeassistant/device/hems_planner/config';
const SLOT_MS = 15 * 60_000;

const env = runtimeWithBroker();
let recorder: MqttRecorder;

// Node ids differ from every other string property: Node-RED takes a property equal to a node id for a config-node reference.
function flow() {
  return [
    { id: 'tab', type: 'tab', label: 'planner in HA' },
    { id: 'ha_bridge', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
    { id: 'opt', z: 'tab', type: 'hems-optimiser', name: 'Optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', ha: 'ha_bridge', wires: [[]] },
    { id: 'boiler_node', z: 'tab', type: 'hems-load', name: 'Boiler', loadId: 'boiler', optimiser: 'opt', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus', feedback: 'commanded', wires: [[]] },
    { id: 'planner_node', z: 'tab', type: 'hems-planner', name: 'Planner', deviceId: 'planner', optimiser: 'opt', timeZone: 'UTC', ha: 'ha_bridge', wires: [[]] },
  ];
}

type Component = Record<string, unknown> & { stat_t?: string; json_attr_t?: string };

function components(): Record<string, Component> {
  return JSON.parse(recorder.payload(PLANNER_CONFIG)!).cmps;
}

function stateProblems(): string[] {
  return Object.entries(components()).flatMap(([key, component]) => {
    const payload = recorder.payload(component.stat_t!);
    if (payload === undefined) return [`${key}: no state published on ${component.stat_t}`];
    const problem = checkState(component, payload);
    return problem ? [`${key}: ${problem}`] : [];
  });
}

describe('the planner in Home Assistant, through a real broker', { timeout: 60_000 }, () => {
  it('publishes a conforming planner device: plan, next start, promise, cheap hour and negative price', async () => {
    recorder = await env.record(['homeassistant/#', 'hems/#']);
    await helper.load(nodes, flow());
    const planner = helper.getNode('planner_node');
    const firstMs = Math.floor(Date.now() / SLOT_MS) * SLOT_MS;
    const slots = Array.from({ length: 96 }, (_, i) => ({
      start: new Date(firstMs + i * SLOT_MS).toISOString(),
      end: new Date(firstMs + (i + 1) * SLOT_MS).toISOString(),
      importEurPerKwh: i < 2 ? 0.05 : 0.35,
    }));
    planner.receive({ topic: 'prices', payload: { unit: 'EUR/kWh', slots } });
    planner.receive({ topic: 'job', payload: { loadId: 'boiler', runtimeMinutes: 30, by: new Date(Date.now() + 5 * 3_600_000).toISOString() } });
    planner.receive({ topic: 'replan' });

    await waitFor(() => recorder.payload('hems/planner/boiler_promise'), 25_000, 'the boiler promise in HA');
    await waitFor(() => (recorder.payload(PLANNER_CONFIG) !== undefined && 'boiler_next_start' in components()) || undefined, 5000, 'the device with the boiler');
    expect(checkDiscovery(PLANNER_CONFIG, recorder.payload(PLANNER_CONFIG)!)).toEqual([]);
    expect(Object.keys(components()).sort()).toEqual(['boiler_next_start', 'boiler_promise', 'cheap_hour', 'negative_price', 'plan']);
    expect(components().boiler_next_start).toMatchObject({ dev_cla: 'timestamp' });
    expect(components().boiler_promise).toMatchObject({ dev_cla: 'enum', ops: ['kept', 'at_risk', 'no_job'] });
    expect(stateProblems()).toEqual([]);

    expect(recorder.payload('hems/planner/boiler_promise')).toBe('kept');
    expect(Date.parse(recorder.payload('hems/planner/boiler_next_start')!)).toBe(firstMs);
    const attributes = JSON.parse(recorder.payload('hems/planner/boiler_next_start/attributes')!);
    expect(attributes.slots).toEqual([
      { start: new Date(firstMs).toISOString(), end: new Date(firstMs + SLOT_MS).toISOString(), power_w: 2000 },
      { start: new Date(firstMs + SLOT_MS).toISOString(), end: new Date(firstMs + 2 * SLOT_MS).toISOString(), power_w: 2000 },
    ]);
    expect(attributes.finish).toBe(new Date(firstMs + 2 * SLOT_MS).toISOString());
    expect(JSON.parse(recorder.payload('hems/planner/boiler_promise/attributes')!).reason).toMatch(/^Boiler: 30 min of 30 min by \d\d:\d\d$/);
    expect(recorder.payload('hems/planner/cheap_hour')).toBe('ON');
    expect(recorder.payload('hems/planner/negative_price')).toBe('OFF');
    expect(recorder.payload('hems/planner/plan')).toBe('0.05');
    expect(components().plan).toMatchObject({ dev_cla: 'monetary', unit_of_meas: 'EUR', json_attr_t: 'hems/planner/plan/attributes' });
    const plan = recorder.payload('hems/planner/plan/attributes')!;
    expect(checkAttributes(plan)).toEqual([]);
    const series = JSON.parse(plan);
    expect(series).toMatchObject({ shape: 1, planner: 'milp', solver: 'highs', slot_minutes: 15, slots_omitted: 0, cost_eur: { total: 0.05 } });
    // The planner's default horizon, 24 h, from the current slot; one value per slot in every column.
    expect(series.start).toHaveLength(96);
    expect(series.start[0]).toBe(new Date(firstMs).toISOString().replace('.000Z', 'Z'));
    expect(series.price_eur_per_kwh.slice(0, 3)).toEqual([0.05, 0.05, 0.35]);
    expect(series.pv_forecast_w).toHaveLength(96);
    expect(series.load_w.boiler.slice(0, 3)).toEqual([2000, 2000, 0]);
    expect(series.battery_soc_pct).toBeUndefined();
  });
});
