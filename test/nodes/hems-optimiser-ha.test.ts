import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiscovery, checkState } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { helper, runtimeWithBroker } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-ha', 'hems-optimiser', 'hems-load'].map((name) => require(join(DIST, `${name}.js`)));

const OPTIMISER_CONFIG = 'homeassistant/device/hems_optimiser/config';
const LOAD_CONFIG = 'homeassistant/device/hems_boiler/config';

const env = runtimeWithBroker();
let recorder: MqttRecorder;

function flow() {
  return [
    { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
    { id: 'opt', type: 'hems-optimiser', name: 'Optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', pvPeakW: 10000, ha: 'ha', wires: [['cycles']] },
    { id: 'cycles', type: 'helper' },
    { id: 'boiler_node', type: 'hems-load', name: 'Boiler', loadId: 'boiler', optimiser: 'opt', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus', enableDelaySeconds: 0, feedback: 'commanded', wires: [[]] },
  ];
}

type Component = Record<string, unknown> & { stat_t?: string };

function components(topic: string): Record<string, Component> {
  return JSON.parse(recorder.payload(topic)!).cmps;
}

/** Every state we published for a device, checked against the component that shows it. */
function stateProblems(configTopic: string): string[] {
  return Object.entries(components(configTopic)).flatMap(([key, component]) => {
    if (!component.stat_t) return [];
    const payload = recorder.payload(component.stat_t);
    if (payload === undefined) return [`${key}: no state published on ${component.stat_t}`];
    const problem = checkState(component, payload);
    return problem ? [`${key}: ${problem}`] : [];
  });
}

async function command(topic: string, payload: string) {
  await recorder.client.publishAsync(topic, payload, { qos: 1 });
}

describe('optimiser and load in Home Assistant, through a real broker', () => {
  it('publishes conforming devices for the optimiser and each load, with a valid state for every entity', async () => {
    recorder = await env.record(['homeassistant/#', 'hems/#']);
    await helper.load(nodes, flow());
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -3000 } } });
    await waitFor(() => recorder.payload(OPTIMISER_CONFIG) && recorder.payload(LOAD_CONFIG), 5000, 'both device configs');
    expect(checkDiscovery(OPTIMISER_CONFIG, recorder.payload(OPTIMISER_CONFIG)!)).toEqual([]);
    expect(checkDiscovery(LOAD_CONFIG, recorder.payload(LOAD_CONFIG)!)).toEqual([]);
    expect(Object.keys(components(OPTIMISER_CONFIG)).sort()).toEqual(['alarm', 'export_limit_w', 'import_cap_w', 'projected_grid_power_w', 'reason', 'strategy', 'surplus_w']);
    expect(Object.keys(components(LOAD_CONFIG)).sort()).toEqual([
      'energy_today_kwh', 'mode', 'override', 'power_w', 'priority', 'reason', 'running', 'runtime_today_min', 'starts_today',
    ]);
    expect(JSON.parse(recorder.payload(LOAD_CONFIG)!).dev.via_device).toBe('hems_site');

    await waitFor(() => recorder.payload('hems/boiler/reason')?.startsWith('on:'), 5000, 'the boiler switched on');
    await waitFor(() => recorder.payload('hems/boiler/starts_today') === '1', 3000, 'one start counted');
    expect(recorder.payload('hems/boiler/running')).toBe('ON');
    expect(recorder.payload('hems/boiler/power_w')).toBe('2000');
    expect(recorder.payload('hems/optimiser/surplus_w')).toBe('3000');
    expect(recorder.payload('hems/optimiser/export_limit_w')).toBe('100000');
    const withState = (topic: string) => Object.values(components(topic)).filter((c) => c.stat_t).length;
    expect([withState(OPTIMISER_CONFIG), withState(LOAD_CONFIG)]).toEqual([7, 9]);
    expect(stateProblems(OPTIMISER_CONFIG)).toEqual([]);
    expect(stateProblems(LOAD_CONFIG)).toEqual([]);
  });

  it('acts on mode, priority, override and site commands from HA and echoes the new state', async () => {
    recorder = await env.record(['homeassistant/#', 'hems/#']);
    await helper.load(nodes, flow());
    const cycles: Array<{ payload: any }> = [];
    helper.getNode('cycles').on('input', (m: { payload: any }) => cycles.push(m));
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -3000 } } });
    await waitFor(() => recorder.payload('hems/status') === 'online' && recorder.payload('hems/boiler/reason'), 5000, 'bridge online and a first cycle');

    await command('hems/boiler/mode/set', 'off');
    await waitFor(() => recorder.payload('hems/boiler/mode') === 'off', 3000, 'mode echoed');
    await waitFor(() => recorder.payload('hems/boiler/reason') === 'off: mode off', 3000, 'the boiler off by mode');

    await command('hems/boiler/priority/set', '7');
    await waitFor(() => recorder.payload('hems/boiler/priority') === '7', 3000, 'priority echoed');

    await command('hems/boiler/override/set', 'on for 1 h');
    await waitFor(() => recorder.payload('hems/boiler/override') === 'on for 1 h', 3000, 'override echoed');
    await waitFor(() => /^override on until \d\d:\d\d$/.test(recorder.payload('hems/boiler/reason') ?? ''), 3000, 'the override acting');
    await command('hems/boiler/override/set', 'auto');
    await waitFor(() => recorder.payload('hems/boiler/reason') === 'off: mode off', 3000, 'back to the mode');
    expect(recorder.payload('hems/boiler/override')).toBe('auto');

    await command('hems/optimiser/export_limit_w/set', '2000');
    await command('hems/optimiser/strategy/set', 'no_control');
    await waitFor(() => recorder.payload('hems/optimiser/export_limit_w') === '2000', 3000, 'export limit echoed');
    await waitFor(() => recorder.payload('hems/optimiser/strategy') === 'no_control', 3000, 'strategy echoed');
    await waitFor(() => cycles.at(-1)?.payload.strategy === 'no_control', 3000, 'a cycle under the new strategy');
    expect(cycles.at(-1)!.payload.commands[0].reason).toBe('on: mode on');

    await command('hems/optimiser/import_cap_w/set', '0');
    await command('hems/optimiser/strategy/set', 'greedy');
    await waitFor(() => recorder.payload('hems/site/error')?.includes('greedy'), 3000, 'the bad strategy refused by the bridge');
    expect(recorder.payload('hems/optimiser/import_cap_w')).toBe('100000');
    const warnings = helper.log().args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0]).filter((e: { level: number; id: string }) => e.level === 30 && e.id === 'opt');
    expect(warnings.map((w: { msg: unknown }) => String(w.msg))).toContain('Home Assistant import_cap_w: importCapW = 0: must be a power in W above 0');
    expect(stateProblems(OPTIMISER_CONFIG)).toEqual([]);
    expect(stateProblems(LOAD_CONFIG)).toEqual([]);
  });
});

describe('alarm and availability in Home Assistant', () => {
  const onTab = (staleAfterSeconds: number, feedback: string) => [
    { id: 'tab', type: 'tab', label: 'optimiser' },
    ...flow().map((n) => (n.type === 'hems-ha' ? n : { ...n, z: 'tab' })).map((n) => (n.id === 'opt' ? { ...n, staleAfterSeconds } : n.id === 'boiler_node' ? { ...n, feedback } : n)),
  ];

  it('the stale site data alarm turns the optimiser’s problem sensor on with its details, and off when readings are fresh', async () => {
    recorder = await env.record(['homeassistant/#', 'hems/#']);
    await helper.load(nodes, onTab(5, 'commanded'));
    await waitFor(() => recorder.payload('hems/optimiser/alarm') === 'OFF' || undefined, 5000, 'alarm off at start');
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date(Date.now() - 60_000).toISOString(), values: { power_w: -3000 } } });
    await waitFor(() => recorder.payload('hems/optimiser/alarm') === 'ON' || undefined, 3000, 'alarm on');
    const [alarm] = JSON.parse(recorder.payload('hems/optimiser/alarm/attributes')!).alarms;
    expect(alarm).toMatchObject({ id: 'stale_site_data', name: 'Stale site data', severity: 'critical', source: 'optimiser' });
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -3000 } } });
    await waitFor(() => recorder.payload('hems/optimiser/alarm') === 'OFF' || undefined, 3000, 'alarm off again');
    expect(stateProblems(OPTIMISER_CONFIG)).toEqual([]);
  });

  it('a load shows unavailable while its read-back is stale, and while its optimiser is gone', async () => {
    recorder = await env.record(['homeassistant/#', 'hems/#']);
    const deployed = onTab(2, 'measured');
    await helper.load(nodes, deployed);
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -3000 } } });
    helper.getNode('boiler_node').receive({ payload: { on: false, powerW: 0 } });
    await waitFor(() => recorder.payload('hems/boiler/availability') === 'online' || undefined, 3000, 'online with a fresh read-back');
    await waitFor(() => recorder.payload('hems/boiler/availability') === 'offline' || undefined, 5000, 'offline once the read-back is 2 s old');
    helper.getNode('boiler_node').receive({ payload: { on: false, powerW: 0 } });
    await waitFor(() => recorder.payload('hems/boiler/availability') === 'online' || undefined, 3000, 'online again');

    await helper.setFlows(deployed.filter((n) => n.id !== 'opt'), 'nodes');
    await waitFor(() => recorder.payload('hems/boiler/availability') === 'offline' || undefined, 3000, 'offline without its optimiser');
  });

  it("keeps a load's figures for today across a restart: HA's starts and energy today do not fall back to 0", async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-load-stats-'));
    helper.settings({ userDir });
    recorder = await env.record(['hems/boiler/#']);
    const deployed = flow().map((n) => (n.id === 'boiler_node' ? { ...n, mode: 'on' } : n));
    const grid = () => helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -3000 } } });
    await helper.load(nodes, deployed);
    grid();
    await waitFor(() => recorder.payload('hems/boiler/starts_today') === '1' || undefined, 5000, 'one start today');
    await new Promise((r) => setTimeout(r, 1500));
    await helper.unload();
    const kept = JSON.parse(readFileSync(join(userDir, 'hems-state', 'load-stats-boiler.json'), 'utf8'));
    expect(kept).toMatchObject({ starts: 1, energyKwh: expect.any(Number) });
    expect(kept.energyKwh).toBeGreaterThan(0);

    const seen = recorder.all.length;
    await helper.load(nodes, deployed);
    grid();
    await waitFor(() => recorder.all.slice(seen).find((m) => m.topic === 'hems/boiler/starts_today'), 5000, 'starts today after the restart');
    // Running on after the restart is no new start, and no figure goes back to 0.
    expect(recorder.all.slice(seen).filter((m) => m.topic === 'hems/boiler/starts_today').map((m) => m.payload)).toEqual(['1']);
    helper.settings({});
  });
});
