/**
 * The example flows shipped in examples/ (Node-RED's Import → Examples), deployed in the test helper:
 * every node type of the package is in some example, and every example deploys without an error
 * and does what its description says, against what a user can run (the demo's simulated meter, a
 * broker) or, where the example needs a device, an independent stand-in (pymodbus, a fake Home Assistant).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { EXAMPLES, readExample, startExamplePeers, type ExamplePeers, type FlowNode } from '../helpers/example-peers';
import { helper, NODE_RED_DIR, runtimeWithBroker } from '../helpers/node-red-helper';
import { pymodbusSkipReason, waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');
const CORE = join(NODE_RED_DIR, '..', '@node-red', 'nodes', 'core');
const NODE_TYPES = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))['node-red'].nodes);
const CORE_NODES = ['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js', 'network/10-mqtt.js'];
const nodes = [...NODE_TYPES.map((type) => require(join(ROOT, 'dist', 'nodes', `${type}.js`))), ...CORE_NODES.map((file) => require(join(CORE, file)))];

const env = runtimeWithBroker();
let peers: ExamplePeers;

beforeAll(async () => {
  peers = await startExamplePeers(env.broker.port);
}, 30_000);
afterAll(async () => {
  await peers?.stop();
});

const wired = (name: string): FlowNode[] => peers.wired(name);
const credentialsOf = (flow: FlowNode[]) => peers.credentialsOf(flow);

/** Every log entry at error level or worse (fatal 10, error 20), from any node or the runtime. */
function errorsAndWorse(): unknown[] {
  return helper.log().args.map((a: Array<{ level: number }>) => a[0]).filter((e: { level: number }) => e.level <= 20);
}

/** Deploys an example and records what reaches the given nodes. */
async function deploy(name: string, watched: string[]) {
  const flow = wired(name);
  await helper.load(nodes, flow, credentialsOf(flow));
  const seen: Record<string, Array<{ payload: any }>> = Object.fromEntries(watched.map((id) => [id, []]));
  for (const id of watched) helper.getNode(id).on('input', (m: { payload: any }) => seen[id].push(m));
  return seen;
}

describe('the examples (Import → Examples → node-red-contrib-hems)', () => {
  it('use every node type of the package', () => {
    const used = new Set(EXAMPLES.flatMap((name) => readExample(name).map((n) => n.type)));
    expect(NODE_TYPES.filter((type) => !used.has(type))).toEqual([]);
    expect(NODE_TYPES).toHaveLength(17);
  });

  it('each come with a comment node and a tab description, and every node help names an example that exists', () => {
    for (const name of EXAMPLES) {
      const flow = readExample(name);
      expect(flow.filter((n) => n.type === 'comment').length, name).toBeGreaterThan(0);
      expect(flow.find((n) => n.type === 'tab')?.info, name).toBeTruthy();
    }
    for (const type of NODE_TYPES) {
      const help = (lang: string) => readFileSync(join(ROOT, 'nodes', 'locales', lang, `${type}.html`), 'utf8');
      const example = /Example: Import → Examples → node-red-contrib-hems → <i>([a-z0-9-]+)<\/i>/.exec(help('en-US'))?.[1];
      expect(example, `${type}'s help names its example`).toBeDefined();
      expect(help('de'), `${type}'s German help names the same example`).toContain(`Beispiel: Importieren → Beispiele → node-red-contrib-hems → <i>${example}</i>`);
      expect(readExample(`${example}.json`).some((n) => n.type === type), `${example}.json uses ${type}`).toBe(true);
    }
  });
});

describe('example flow optimiser-pv-surplus.json (shipped as an example)', () => {
  it('deploys without errors; the simulated meter drives the optimiser, every load gets a command on its output', async () => {
    const flow = JSON.parse(readFileSync(join(ROOT, 'examples', 'optimiser-pv-surplus.json'), 'utf8'));
    await helper.load(nodes, flow);
    const seen: Record<string, Array<{ payload: any }>> = { hems_pv_cycle_debug: [], hems_pv_rod_out: [], hems_pv_ev_out: [], hems_pv_pool_out: [] };
    for (const id of Object.keys(seen)) helper.getNode(id).on('input', (m: { payload: any }) => seen[id].push(m));
    await waitFor(() => Object.values(seen).every((list) => list.length > 0), 15_000, 'a cycle and a command on every load output');
    const cycle = seen.hems_pv_cycle_debug[0].payload;
    expect(cycle.commands.map((c: { loadId: string }) => c.loadId)).toEqual(['heating_rod', 'ev', 'pool_pump']);
    expect(seen.hems_pv_ev_out[0].payload).toHaveProperty('currentA');
    expect(seen.hems_pv_rod_out[0].payload).toHaveProperty('reason');
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);
});

interface PlanLoad {
  loadId: string;
  promise: string;
  reason: string;
  slots: unknown[];
}

describe('example flow planner-deadlines.json (shipped as an example)', () => {
  it('deploys without errors, plans the configured jobs from the example prices and forecast, and takes the EV job from its inject', async () => {
    const flow = JSON.parse(readFileSync(join(ROOT, 'examples', 'planner-deadlines.json'), 'utf8'));
    await helper.load(nodes, flow);
    const plans: Array<{ payload: { solver: string; loads: PlanLoad[] } }> = [];
    helper.getNode('hems_plan_plan_debug').on('input', (m: (typeof plans)[number]) => plans.push(m));
    // The first plan comes from a freshly started plan process (HiGHS compiled anew): seconds on a busy machine.
    const first = await waitFor(() => plans.at(-1), 30_000, 'a plan');
    expect(first.payload.solver).toBe('highs');
    expect(first.payload.loads.map((l) => l.loadId).sort()).toEqual(['pool_pump', 'water_heater']);

    helper.getNode('hems_plan_ev_job').receive({});
    const withEv = await waitFor(() => plans.find((p) => p.payload.loads.some((l) => l.loadId === 'ev')), 20_000, 'a plan with the EV job');
    const ev = withEv.payload.loads.find((l) => l.loadId === 'ev')!;
    // 20 kWh at 11 kW take under 2 h: kept unless the next 07:00 (Node-RED's local time) is closer.
    const next7 = new Date();
    next7.setHours(7, 0, 0, 0);
    if (next7.getTime() <= Date.now()) next7.setDate(next7.getDate() + 1);
    const hoursLeft = (next7.getTime() - Date.now()) / 3_600_000;
    expect(ev.reason).toMatch(/^EV charger: [\d.]+ of 20\.0 kWh by 07:00/);
    if (hoursLeft > 2.5) expect(ev.promise).toBe('kept');
    if (hoursLeft < 1.5) expect(ev.promise).toBe('at_risk');
    expect(errorsAndWorse()).toEqual([]);
  }, 60_000);
});

describe.skipIf(pymodbusSkipReason())('the examples for devices, against the demo and stand-ins for the devices', () => {
  it('demo-meter-to-ha.json: the demo meter is read and its readings reach the debug node', async () => {
    const seen = await deploy('demo-meter-to-ha.json', ['hems_demo_debug']);
    const reading = await waitFor(() => seen.hems_demo_debug[0], 10_000, 'a reading of the demo meter');
    expect(reading.payload.values).toHaveProperty('power_w');
    expect(errorsAndWorse()).toEqual([]);
  }, 20_000);

  it('demo-household.json: every simulated device is read, the optimiser decides for four loads, the inverter limit is written', async () => {
    const seen = await deploy('demo-household.json', ['hems_house_cycle_debug', 'hems_house_limit_debug', 'hems_house_relays_debug', 'hems_house_sg_state']);
    const cycle = await waitFor(() => seen.hems_house_cycle_debug.find((m) => m.payload.inputs.batterySocPct !== undefined && m.payload.inputs.pvPowerW !== undefined), 20_000, 'a cycle with grid, PV and battery');
    expect(cycle.payload.commands.map((c: { loadId: string }) => c.loadId)).toEqual(['hot_water', 'heat_pump', 'car', 'pool']);
    expect(cycle.payload.site.maxExportW).toBe(5600);
    await waitFor(() => seen.hems_house_limit_debug[0], 15_000, 'the export limit written to the SUN2000');
    await waitFor(() => seen.hems_house_relays_debug.length >= 4 || undefined, 15_000, 'the board relays and the Shelly reporting');
    await waitFor(() => seen.hems_house_sg_state[0], 15_000, 'an SG Ready state');
    expect(errorsAndWorse()).toEqual([]);
  }, 40_000);

  it('sg-ready-heat-pump.json: the optimiser wish becomes an SG Ready state and two relay commands', async () => {
    const seen = await deploy('sg-ready-heat-pump.json', ['hems_sg_state', 'hems_sg_relay_debug']);
    const state = await waitFor(() => seen.hems_sg_state[0], 15_000, 'an SG Ready state');
    expect(['lock', 'normal', 'recommend', 'force_on']).toContain(state.payload.state);
    await waitFor(() => seen.hems_sg_relay_debug.length >= 2 || undefined, 10_000, 'both relays reporting');
    helper.getNode('hems_sg_lock').receive({});
    await waitFor(() => seen.hems_sg_state.find((m) => m.payload.mode === 'lock'), 10_000, 'the lock from the inject taken as the mode');
    expect(errorsAndWorse()).toEqual([]);
  }, 40_000);

  it('relay-shelly-tasmota-modbus.json: each inject switches its relay: the board coil, the Shelly RPC and the Tasmota command on the broker', async () => {
    const commands = await env.record(['shellyplus1pm-water-heater/rpc', 'cmnd/tasmota_pool/#']);
    const seen = await deploy('relay-shelly-tasmota-modbus.json', ['hems_relay_debug']);
    const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peers.relayAndInverter!.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    env.cleanup.push(() => probe.close());
    helper.getNode('hems_relay_modbus_on').receive({});
    await waitFor(async () => (await probe.readBits(1, 'coil', 0, 1))[0] || undefined, 10_000, 'coil 0 on');
    helper.getNode('hems_relay_shelly_on').receive({});
    helper.getNode('hems_relay_tasmota_on').receive({});
    await waitFor(() => seen.hems_relay_debug.find((m) => m.payload.on === true && m.payload.commanded === true), 10_000, 'the board relay reading back on');
    await waitFor(() => commands.all.find((m) => m.topic === 'cmnd/tasmota_pool/POWER' && m.payload === 'ON'), 10_000, 'Tasmota POWER ON');
    // The first Switch.Set is the safe state at start (off); then the inject's on.
    await waitFor(() => commands.all.find((m) => /"method":"Switch.Set".*"on":true/.test(m.payload)), 10_000, 'Shelly Switch.Set on');
    helper.getNode('hems_relay_modbus_off').receive({});
    await waitFor(async () => ((await probe.readBits(1, 'coil', 0, 1))[0] ? undefined : true), 10_000, 'coil 0 off');
    expect(errorsAndWorse()).toEqual([]);
  }, 40_000);

  it('mqtt-meter-shelly-pro-3em.json: the made-up Shelly messages become a grid reading', async () => {
    const seen = await deploy('mqtt-meter-shelly-pro-3em.json', ['hems_3em_reading']);
    const reading = await waitFor(() => seen.hems_3em_reading.find((m) => 'energy_import_kwh' in m.payload.values), 15_000, 'a reading with the totals');
    expect(reading.payload.device).toBe('grid');
    expect(Object.keys(reading.payload.values)).toEqual(expect.arrayContaining(['power_w', 'power_l1_w', 'power_l2_w', 'power_l3_w', 'energy_import_kwh', 'energy_export_kwh']));
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);

  it('pulse-water-meter.json: the simulated contact counts litres', async () => {
    const seen = await deploy('pulse-water-meter.json', ['hems_pulse_reading']);
    const counted = await waitFor(() => seen.hems_pulse_reading.find((m) => m.payload.values.pulse_count >= 2), 15_000, 'two pulses');
    expect(counted.payload.values.pulse_total).toBeCloseTo(counted.payload.values.pulse_count / 1000, 9);
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);

  it('home-assistant-websocket.json: HA entities become a reading, the inject switches the HA switch', async () => {
    const seen = await deploy('home-assistant-websocket.json', ['hems_haws_reading', 'hems_haws_prices', 'hems_haws_forecast', 'hems_haws_relay_state']);
    const reading = await waitFor(() => seen.hems_haws_reading[0], 10_000, 'a reading from the HA entities');
    expect(reading.payload.values).toEqual({ power_w: 850, energy_import_kwh: 4321.5 });
    await waitFor(() => seen.hems_haws_prices[0], 10_000, 'the price forecast');
    await waitFor(() => seen.hems_haws_forecast[0], 10_000, 'the PV forecast');
    helper.getNode('hems_haws_on').receive({});
    await waitFor(() => peers.ha.calls.find((c) => c.domain === 'switch' && c.service === 'turn_on'), 10_000, 'switch.turn_on');
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);

  it('inverter-limit-export.json: the optimiser cycle reaches the inverter limit, which talks to the inverter', async () => {
    const seen = await deploy('inverter-limit-export.json', ['hems_limit_cycle', 'hems_limit_applied']);
    const cycle = await waitFor(() => seen.hems_limit_cycle[0], 15_000, 'an optimiser cycle');
    expect(cycle.payload.site.maxExportW).toBe(4200);
    const applied = await waitFor(() => seen.hems_limit_applied[0], 15_000, 'the limit node answering the cycle');
    expect(applied.payload).toHaveProperty('text');
    expect(errorsAndWorse()).toEqual([]);
  }, 40_000);
});

describe.skipIf(pymodbusSkipReason())('battery-plan.json against a SUN2000 + LUNA2000 (pymodbus)', () => {
  it('the plan reaches the battery through the optimiser, which writes its mode and reads back its state of charge', async () => {
    const seen = await deploy('battery-plan.json', ['hems_batt_cycle', 'hems_batt_command', 'hems_batt_plan']);
    const cycle = await waitFor(() => seen.hems_batt_cycle.find((m) => m.payload.battery), 30_000, 'a cycle with the battery plan');
    expect(['self_consumption', 'hold', 'charge', 'discharge']).toContain(cycle.payload.battery.mode);
    expect(cycle.payload.battery.reason).toMatch(/^planned: /);
    // The planner's output shows the battery's mode per slot of the horizon.
    const plan = await waitFor(() => seen.hems_batt_plan.find((m) => m.payload.battery), 5000, 'the plan with the battery');
    expect(plan.payload.battery.length).toBeGreaterThanOrEqual(96);
    expect(plan.payload.battery[0]).toEqual({ start: expect.any(String), end: expect.any(String), mode: expect.any(String), powerW: expect.any(Number) });
    const planned = (m: { payload: any }) => m.payload.written && m.payload.socPct !== undefined && /^planned: /.test(m.payload.reason);
    const command = await waitFor(() => seen.hems_batt_command.find(planned), 30_000, 'the planned mode written and the state of charge read back');
    expect(command.payload.alarms).toEqual([]);
    expect(errorsAndWorse()).toEqual([]);
  }, 60_000);
});

describe('home-assistant-websocket.json as imported, before the user fills in the server', () => {
  it('without a token: the server and the relay through it say where to get one; the reading nodes wait quietly', async () => {
    const flow = readExample('home-assistant-websocket.json');
    await helper.load(nodes, flow);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(errorsAndWorse().map((e: any) => e.msg)).toEqual([
      'hems-ha-server "Home Assistant": no access token: create a long-lived access token in your HA profile and paste it into the server node',
      'hems-relay "Water heater (HA switch)": no access token: create a long-lived access token in your HA profile and paste it into the server node',
    ]);
  });

  it('with a token but no Home Assistant at the address: warnings while it retries, no error', async () => {
    const flow = readExample('home-assistant-websocket.json').map((n) => (n.type === 'hems-ha-server' ? { ...n, url: `http://127.0.0.1:${peers.nobody}` } : n));
    await helper.load(nodes, flow, credentialsOf(flow));
    const warnings = () => helper.log().args.map((a: Array<{ level: number; msg: unknown }>) => a[0]).filter((e: { level: number }) => e.level === 30);
    await waitFor(() => warnings().length > 0 || undefined, 10_000, 'a warning about the unreachable HA');
    expect(errorsAndWorse()).toEqual([]);
  });
});

describe.skipIf(pymodbusSkipReason())('all the examples imported into one Node-RED', () => {
  it('deploy together without an error (the shared bridge once)', async () => {
    const all = [...new Map(EXAMPLES.flatMap((name) => wired(name)).map((n) => [n.id, n])).values()];
    await helper.load(nodes, all, credentialsOf(all));
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);
});
