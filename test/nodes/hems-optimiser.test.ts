import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsLogged, helper, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-ha', 'hems-optimiser', 'hems-load'].map((name) => require(join(DIST, `${name}.js`)));

runtimeAroundTests();

type Msg = { topic?: string; payload: any };

function collect(id: string): Msg[] {
  const received: Msg[] = [];
  helper.getNode(id).on('input', (m: Msg) => received.push(m));
  return received;
}

const OPTIMISER = { id: 'opt', type: 'hems-optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', staleAfterSeconds: 30, wires: [['cycles']] };
const FAST = { enableDelaySeconds: 0, disableDelaySeconds: 0 };

/** Node ids differ from load ids, as in a real flow (Node-RED would read a property equal to its own id as a self-reference). */
function load(id: string, extra: Record<string, unknown>) {
  return { id: `${id}_node`, type: 'hems-load', loadId: id, optimiser: 'opt', priority: 1, mode: 'surplus', feedback: 'commanded', ...FAST, wires: [[`${id}_out`]], ...extra };
}

function threeLoads() {
  return [
    OPTIMISER,
    { id: 'cycles', type: 'helper' },
    load('heater', { kind: 'on_off', powerW: 1000, priority: 1 }),
    load('rod', { kind: 'stepped', stagePowersW: '2000, 2000', priority: 2 }),
    load('ev', { kind: 'ev', minCurrentA: 6, maxCurrentA: 16, phases: '1', priority: 3 }),
    { id: 'heater_out', type: 'helper' },
    { id: 'rod_out', type: 'helper' },
    { id: 'ev_out', type: 'helper' },
  ];
}

const reading = (device: string, values: Record<string, number>, atMs = Date.now()) => ({
  topic: device,
  payload: { device, timestamp: new Date(atMs).toISOString(), values },
});

describe('hems-load: configuration errors name the field and the fix', () => {
  it.each([
    [{ kind: 'on_off', powerW: 'abc' }, 'powerW = "abc": must be the load’s power in W, above 0'],
    [{ kind: 'stepped', stagePowersW: '' }, 'stagePowersW = []'],
    [{ kind: 'ev', minCurrentA: 4, maxCurrentA: 16 }, 'minCurrentA = 4'],
    [{ kind: 'on_off', powerW: 500, mode: 'min_surplus' }, 'mode = "min_surplus"'],
    [{ kind: 'toaster' }, 'kind = "toaster": choose one of on_off, stepped, modulating_power, ev, sg_ready'],
    [{ kind: 'on_off', powerW: 500, loadId: 'my load' }, 'load id "my load" may only contain letters, digits'],
    [{ kind: 'on_off', powerW: 500, optimiser: '' }, 'no site selected'],
  ])('%j', async (extra, message) => {
    await helper.load(nodes, [OPTIMISER, { id: 'cycles', type: 'helper' }, load('bad', extra), { id: 'bad_out', type: 'helper' }]);
    expect(errorsLogged('bad_node').join('\n')).toContain(message);
    expect(lastStatus(helper.getNode('bad_node'))).toMatchObject({ fill: 'red', shape: 'ring' });
  });
});

describe('hems-optimiser: configuration errors', () => {
  it.each([
    [{ gridDevice: '' }, 'grid meter device id is empty'],
    [{ exportLimitW: 0 }, 'pvPeakW = missing: must be the installed PV peak power in W'],
    [{ importCapW: -5 }, 'importCapW = -5: must be a power in W above 0'],
    [{ cycleSeconds: 0.1 }, 'cycle 0.1 s: use 1 to 300 s'],
    [{ strategy: 'greedy' }, 'strategy = "greedy": must be one of pv_surplus, no_control'],
    [{ batteryPolicy: 'battery_first_until_soc', batterySocPct: '' }, 'battery.socPct = missing'],
  ])('%j', async (extra, message) => {
    await helper.load(nodes, [{ ...OPTIMISER, ...extra }, { id: 'cycles', type: 'helper' }]);
    expect(errorsLogged('opt').join('\n')).toContain(message);
    expect(lastStatus(helper.getNode('opt'))).toMatchObject({ fill: 'red' });
  });
});

describe('hems-optimiser with three loads', () => {
  it('sends nothing before the first grid reading, then one message per cycle with every command and reason', async () => {
    await helper.load(nodes, threeLoads());
    const cycles = collect('cycles');
    await new Promise((r) => setTimeout(r, 1300));
    expect(cycles).toHaveLength(0);
    expect(lastStatus(helper.getNode('opt'))?.text).toBe('waiting for a reading from "grid"');

    helper.getNode('opt').receive(reading('grid', { power_w: -3500 }));
    const first = await waitFor(() => cycles[0], 3000, 'a cycle message');
    expect(first.topic).toBe('optimiser');
    expect(first.payload.strategy).toBe('pv_surplus');
    expect(first.payload.inputs).toMatchObject({ gridPowerW: -3500, pvPowerW: 0 });
    expect(first.payload.site.surplusW).toBe(3500);
    const byId = Object.fromEntries(first.payload.commands.map((c: any) => [c.loadId, c]));
    expect(Object.keys(byId)).toEqual(['heater', 'rod', 'ev']);
    expect(byId.heater).toMatchObject({ on: true, powerW: 1000, reason: 'on: surplus 3.5 kW ≥ 1.0 kW' });
    expect(byId.rod).toMatchObject({ stage: 1, powerW: 2000 });
    expect(byId.ev).toMatchObject({ on: false, reason: 'waiting: surplus 0.5 kW < 1.4 kW' });
  });

  it('each load sends its command on its output when it changes, in the documented shape', async () => {
    await helper.load(nodes, threeLoads());
    const heater = collect('heater_out');
    const rod = collect('rod_out');
    const ev = collect('ev_out');
    helper.getNode('opt').receive(reading('grid', { power_w: -8000 }));
    await waitFor(() => heater.length > 0 && rod.length > 0 && ev.length > 0, 3000, 'commands on all outputs');
    expect(heater[0]).toMatchObject({ topic: 'heater', payload: { on: true, powerW: 1000, reasonCode: expect.any(String) } });
    expect(rod[0].payload).toMatchObject({ on: true, stage: 2, powerW: 4000 });
    expect(ev[0].payload).toMatchObject({ on: true, currentA: 13, phases: 1 });
    expect(ev[0].payload.reason).toMatch(/^13 A × 1 ph/);
    // The meter now sees the loads drawing; the surplus is unchanged, so the outputs stay quiet.
    const counts = [heater.length, rod.length, ev.length];
    const drawW = heater[0].payload.powerW + rod[0].payload.powerW + ev[0].payload.powerW;
    helper.getNode('opt').receive(reading('grid', { power_w: -8000 + drawW }));
    await new Promise((r) => setTimeout(r, 2200));
    expect([heater.length, rod.length, ev.length]).toEqual(counts);
  });

  it('puts every load in its safe state when the grid reading is older than the stale timeout', async () => {
    const flow = threeLoads().map((n) => (n.id === 'opt' ? { ...n, staleAfterSeconds: 1 } : n.id === 'ev_node' ? { ...n, safeState: 'on' } : n));
    await helper.load(nodes, flow);
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading('grid', { power_w: -3000 }, Date.now() - 5000));
    const stale = await waitFor(() => cycles.find((c) => c.payload.site.stale), 3000, 'a stale cycle');
    const byId = Object.fromEntries(stale.payload.commands.map((c: any) => [c.loadId, c]));
    expect(byId.heater.reason).toMatch(/^off: readings \d+ s old > 1 s, safe state off$/);
    expect(byId.ev).toMatchObject({ on: true });
    expect(byId.ev.reason).toMatch(/safe state on$/);
    expect(lastStatus(helper.getNode('opt'))).toMatchObject({ fill: 'red' });
  });

  it('a load with read-back goes to its safe state until its measured state arrives, then follows it', async () => {
    const flow = [OPTIMISER, { id: 'cycles', type: 'helper' }, load('pump', { kind: 'on_off', powerW: 800, feedback: 'measured' }), { id: 'pump_out', type: 'helper' }];
    await helper.load(nodes, flow);
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading('grid', { power_w: -2000 }));
    const blind = await waitFor(() => cycles[0], 3000, 'first cycle');
    expect(blind.payload.commands[0].reason).toBe('off: no reading for this load, safe state off');
    helper.getNode('pump_node').receive({ payload: { device: 'pump_plug', timestamp: new Date().toISOString(), values: { power_w: 0 } } });
    const seen = await waitFor(() => cycles.find((c) => c.payload.commands[0].on), 3000, 'pump switched on');
    expect(seen.payload.commands[0].reason).toBe('on: surplus 2.0 kW ≥ 0.8 kW');
  });

  it('takes mode, priority and override from messages, and refuses bad ones with the reason', async () => {
    await helper.load(nodes, threeLoads());
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading('grid', { power_w: 0 }));
    helper.getNode('ev_node').receive({ topic: 'mode', payload: 'on' });
    helper.getNode('heater_node').receive({ topic: 'override', payload: { on: true, minutes: 30 } });
    const decided = await waitFor(() => cycles.at(-1), 3000, 'a cycle');
    const byId = Object.fromEntries(decided.payload.commands.map((c: any) => [c.loadId, c]));
    expect(byId.ev).toMatchObject({ on: true, currentA: 16, reason: '16 A × 1 ph (3.7 kW): mode on' });
    expect(byId.heater.reason).toMatch(/^override on until \d\d:\d\d$/);

    helper.getNode('rod_node').receive({ topic: 'mode', payload: 'turbo' });
    helper.getNode('rod_node').receive({ topic: 'override', payload: { on: true, minutes: -1 } });
    helper.getNode('rod_node').receive({ payload: { on: 'yes' } });
    await waitFor(() => errorsLogged('rod_node').length === 3, 2000, 'three refusals');
    const errors = errorsLogged('rod_node');
    expect(errors[0]).toContain('mode = "turbo": must be one of off, surplus, min_surplus, on');
    expect(errors[1]).toContain('msg.payload.minutes = -1: must be a number of minutes above 0');
    expect(errors[2]).toContain('payload.on = "yes": must be true or false');
  });

  it('changes strategy, export limit and import cap from messages', async () => {
    const flow = threeLoads().map((n) => (n.id === 'opt' ? { ...n, pvPeakW: 10000 } : n));
    await helper.load(nodes, flow);
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading('grid', { power_w: 500 }));
    helper.getNode('opt').receive({ topic: 'strategy', payload: 'no_control' });
    helper.getNode('opt').receive({ topic: 'importCapW', payload: 4000 });
    const decided = await waitFor(() => cycles.at(-1), 3000, 'a cycle');
    expect(decided.payload.strategy).toBe('no_control');
    const shed = decided.payload.commands.filter((c: any) => c.reason.includes('import cap 4.0 kW'));
    expect(shed.length).toBeGreaterThan(0);
    helper.getNode('opt').receive({ topic: 'exportLimitW', payload: -1 });
    await waitFor(() => errorsLogged('opt').length > 0, 2000, 'refusal');
    expect(errorsLogged('opt')[0]).toContain('exportLimitW = -1: must be a power in W of 0 or more');
  });

  it('re-joins an optimiser that was redeployed on its own', async () => {
    await helper.load(nodes, threeLoads());
    const renamed = threeLoads().map((n) => (n.id === 'opt' ? { ...n, name: 'Main optimiser' } : n));
    await helper.setFlows(renamed, 'nodes');
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading('grid', { power_w: -3500 }));
    const decided = await waitFor(() => cycles.find((c) => c.payload.commands.length === 3), 4000, 'all three loads back');
    expect(decided.payload.commands.map((c: any) => c.loadId)).toEqual(['heater', 'rod', 'ev']);
  });
});

describe('hems-optimiser decides between cycles when a reading crosses a limit', () => {
  /** A cycle of a minute: any command within a few seconds came from the reading, not the timer. */
  const flow = () => [
    { ...OPTIMISER, cycleSeconds: 60, importCapW: 5000 },
    { id: 'cycles', type: 'helper' },
    load('boiler', { kind: 'on_off', powerW: 2000, mode: 'on' }),
    { id: 'boiler_out', type: 'helper' },
  ];

  it('stale → fresh switches the load on; a reading over the import cap sheds it at once; the next crossing waits out the hold-off', async () => {
    await helper.load(nodes, flow());
    const commands = collect('boiler_out');
    const cycles = collect('cycles');
    const opt = helper.getNode('opt');
    opt.receive(reading('grid', { power_w: 1000 }, Date.now() - 60_000));
    opt.receive(reading('grid', { power_w: 1000 }));
    const on = await waitFor(() => commands[0], 3000, 'the load switched on when the readings were fresh again');
    expect(on.payload).toMatchObject({ on: true, reason: 'on: mode on' });

    // Over the cap, within it, over it again: one decision at once, the next when the hold-off is up
    // (counted from this extra decision: the one for fresh readings is a hold-off ago).
    await new Promise((r) => setTimeout(r, 250));
    const before = cycles.length;
    const sentAtMs = Date.now();
    opt.receive(reading('grid', { power_w: 8000 }));
    opt.receive(reading('grid', { power_w: 1000 }));
    opt.receive(reading('grid', { power_w: 9000 }));
    const shed = await waitFor(() => commands[1], 3000, 'the load shed without waiting for the cycle');
    expect(shed.payload).toMatchObject({ on: false, reason: 'shed: import cap 5.0 kW' });
    expect(cycles[before].payload.inputs.gridPowerW).toBe(8000);
    await waitFor(() => cycles.length > before + 1, 3000, 'the decision held off');
    expect(Date.now() - sentAtMs).toBeGreaterThanOrEqual(190);
    expect(cycles.at(-1)!.payload.inputs.gridPowerW).toBe(9000);
  });
});
