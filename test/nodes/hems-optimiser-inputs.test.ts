/**
 * The optimiser's other inputs: ripple-control contacts (from a message or polled over Modbus),
 * the current price from the price forecast, an EV's demand; the stale site data alarm; run-time
 * changes and allocator memory kept across a restart.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorsLogged, helper } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-modbus', 'hems-optimiser', 'hems-load'].map((name) => require(join(DIST, `${name}.js`)));

const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
});
afterEach(async () => {
  await helper.unload();
  helper.settings({ userDir: undefined });
  while (cleanup.length) await cleanup.pop()!();
});
afterAll(async () => {
  await new Promise<void>((done) => helper.stopServer(done));
});

type Msg = { topic?: string; payload: any };

function collect(id: string): Msg[] {
  const received: Msg[] = [];
  helper.getNode(id).on('input', (m: Msg) => received.push(m));
  return received;
}

const RIPPLE_RULES = JSON.stringify([
  { inputs: '00', feedInPct: 100 },
  { inputs: '10', feedInPct: 60 },
  { inputs: '01', feedInPct: 30, dimConsumption: true },
  { inputs: '11', feedInPct: 0, lockHeatPumps: true },
]);

const TAB = { id: 'tab', type: 'tab', label: 'optimiser' };
const OPTIMISER = {
  id: 'opt', z: 'tab', type: 'hems-optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', staleAfterSeconds: 30, pvPeakW: 10000,
  rippleInputs: 'k1, k2', rippleRules: RIPPLE_RULES, wires: [['cycles']],
};

function load(id: string, extra: Record<string, unknown>) {
  return {
    id: `${id}_node`, z: 'tab', type: 'hems-load', loadId: id, optimiser: 'opt', priority: 1, mode: 'surplus', feedback: 'commanded',
    enableDelaySeconds: 0, disableDelaySeconds: 0, wires: [[`${id}_out`]], ...extra,
  };
}

function flow(optimiser: Record<string, unknown> = {}, loads: Array<Record<string, unknown>> = []) {
  return [TAB, { ...OPTIMISER, ...optimiser }, { id: 'cycles', z: 'tab', type: 'helper' }, ...loads, ...loads.map((l) => ({ id: String(l.wires && (l.wires as string[][])[0][0]), z: 'tab', type: 'helper' }))];
}

const reading = (values: Record<string, number>, atMs = Date.now()) => ({ topic: 'grid', payload: { device: 'grid', timestamp: new Date(atMs).toISOString(), values } });

describe('ripple control', () => {
  it('contacts from a message select the feed-in percentage', async () => {
    await helper.load(nodes, flow());
    const cycles = collect('cycles');
    const opt = helper.getNode('opt');
    opt.receive(reading({ power_w: -8000, pv_power_w: 8000 }));
    opt.receive({ topic: 'ripple', payload: { k1: true, k2: false } });
    const limited = await waitFor(() => cycles.find((c) => c.payload.site.feedInLimitPct === 60), 3000, 'feed-in ≤ 60 %');
    expect(limited.payload.inputs.rippleInputs).toEqual([true, false]);
    expect(limited.payload.site).toMatchObject({ inverterLimitW: 6000, maxExportW: 6000 });
    expect(limited.payload.site.reasons).toContain('ripple control 10: feed-in ≤ 60 %');
    opt.receive({ topic: 'ripple', payload: [false, true] });
    await waitFor(() => cycles.find((c) => c.payload.site.dimming14aActive && c.payload.site.feedInLimitPct === 30), 3000, '§14a dimming and 30 %');
  });

  it('a change of the contacts is decided on at once, not at the next cycle', async () => {
    await helper.load(nodes, flow({ cycleSeconds: 60 }));
    const cycles = collect('cycles');
    const opt = helper.getNode('opt');
    opt.receive(reading({ power_w: -2000, pv_power_w: 5000 }));
    opt.receive({ topic: 'ripple', payload: { k1: true, k2: false } });
    await waitFor(() => cycles.find((c) => c.payload.site.feedInLimitPct === 60), 2000, 'the decision for 10');
    opt.receive({ topic: 'ripple', payload: { k1: true, k2: true } });
    await waitFor(() => cycles.find((c) => c.payload.site.feedInLimitPct === 0 && c.payload.site.heatPumpLockActive), 2000, 'the decision for 11, after the hold-off');
    opt.receive({ topic: 'ripple', payload: { k1: true, k2: true } });
    await new Promise((r) => setTimeout(r, 400));
    expect(cycles).toHaveLength(2);
  });

  it('refuses contacts it cannot map, naming the input and the shape', async () => {
    await helper.load(nodes, flow());
    helper.getNode('opt').receive({ topic: 'ripple', payload: { k1: true, k2: 'on' } });
    await waitFor(() => errorsLogged('opt').length > 0 || undefined, 2000, 'a refusal');
    expect(errorsLogged('opt')[0]).toContain('hems-optimiser "opt": msg.payload.k2 = "on": input k2 must be true (closed) or false (open), e.g. { k1: true, k2: false }');
  });

  it.each([
    [{ rippleRules: '[{ "inputs": "1", "feedInPct": 60 }]' }, 'rippleRules[0].inputs = "1": must have one 0 (open) or 1 (closed) per named input (k1, k2)'],
    [{ rippleRules: '{ inputs: 10 }' }, 'rippleRules = "{ inputs: 10 }": must be a list of rules'],
    [{ rippleRules: '[{ "inputs": "10", "feedInPct": 50 }]' }, 'rippleRules[0].feedInPct = 50: must be one of 0, 30, 60, 100'],
  ])('configuration %j → %s', async (extra, message) => {
    await helper.load(nodes, flow(extra));
    expect(errorsLogged('opt').join('\n')).toContain(message);
  });

  it.skipIf(pymodbusSkipReason())('contacts polled from Modbus discrete inputs every cycle', async () => {
    const peer = await startModbusPeer({ units: [3], size: { discrete: 16 }, registers: [], bits: [{ table: 'discrete', address: 5, value: true }] });
    cleanup.push(() => peer.stop());
    await helper.load(nodes, [
      ...flow({ rippleBus: 'bus', rippleUnitId: 3, rippleAddress: 4 }),
      { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: peer.port, timeoutMs: 300, retries: 0 },
    ]);
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading({ power_w: -8000 }));
    const polled = await waitFor(() => cycles.find((c) => c.payload.inputs.rippleInputs), 3000, 'polled contacts');
    expect(polled.payload.inputs.rippleInputs).toEqual([false, true]);
    expect(polled.payload.site).toMatchObject({ feedInLimitPct: 30, dimming14aActive: true });
  });
});

describe('prices', () => {
  it('the slot containing now reaches the allocator: a negative price forces the heat pump on', async () => {
    await helper.load(nodes, flow({}, [load('hp', { kind: 'sg_ready', recommendThresholdW: 1500, forceOnThresholdW: 4000, boostPowerW: 1000 })]));
    const cycles = collect('cycles');
    const hour = 3_600_000;
    const start = Math.floor(Date.now() / hour) * hour;
    const slot = (fromMs: number, price: number) => ({ start: new Date(fromMs).toISOString(), end: new Date(fromMs + hour).toISOString(), importEurPerKwh: price });
    helper.getNode('opt').receive({ topic: 'prices', payload: { unit: 'EUR/kWh', slots: [slot(start + hour, 0.3), slot(start, -0.05), slot(start - hour, 0.2)] } });
    helper.getNode('opt').receive(reading({ power_w: 200 }));
    const decided = await waitFor(() => cycles.at(-1), 3000, 'a cycle');
    expect(decided.payload.inputs.importPriceEurPerKwh).toBe(-0.05);
    expect(decided.payload.commands[0]).toMatchObject({ sgReadyState: 'force_on', reason: 'force_on: price -0.050 €/kWh < 0.000 €/kWh' });
  });

  it('refuses a forecast it cannot read, naming the slot', async () => {
    await helper.load(nodes, flow());
    helper.getNode('opt').receive({ topic: 'prices', payload: { slots: [{ start: 'x', end: 'y', importEurPerKwh: 0.1 }] } });
    await waitFor(() => errorsLogged('opt').length > 0 || undefined, 2000, 'a refusal');
    expect(errorsLogged('opt')[0]).toContain('msg.payload.slots[0]: start "x" / end "y" must be ISO times with end after start');
  });
});

describe('EV demand', () => {
  it('an unplugged high-priority EV no longer holds back the surplus', async () => {
    await helper.load(nodes, flow({}, [
      load('ev', { kind: 'ev', minCurrentA: 6, maxCurrentA: 16, phases: '1', priority: 1 }),
      load('rod', { kind: 'on_off', powerW: 2000, priority: 2 }),
    ]));
    const cycles = collect('cycles');
    helper.getNode('ev_node').receive({ payload: { demand: false } });
    helper.getNode('opt').receive(reading({ power_w: -3000 }));
    const decided = await waitFor(() => cycles.at(-1), 3000, 'a cycle');
    const byId = Object.fromEntries(decided.payload.commands.map((c: any) => [c.loadId, c]));
    expect(byId.ev).toMatchObject({ on: false, reason: 'off: no demand (unplugged or satisfied)' });
    expect(byId.rod).toMatchObject({ on: true, reason: 'on: surplus 3.0 kW ≥ 2.0 kW' });
    helper.getNode('ev_node').receive({ topic: 'demand', payload: true });
    await waitFor(() => cycles.at(-1)!.payload.commands[0].on === true || undefined, 3000, 'the EV charging again');
  });
});

describe('stale site data alarm', () => {
  it('is raised in the cycle message while the readings are stale, and cleared when they are fresh', async () => {
    await helper.load(nodes, flow({ staleAfterSeconds: 5 }));
    const cycles = collect('cycles');
    helper.getNode('opt').receive(reading({ power_w: -1000 }, Date.now() - 60_000));
    const stale = await waitFor(() => cycles.find((c) => c.payload.alarms.length > 0), 3000, 'the alarm');
    expect(stale.payload.alarms[0]).toMatchObject({ id: 'stale_site_data', severity: 'critical', source: 'optimiser' });
    expect(stale.payload.alarms[0].detail).toMatch(/^readings \d+ s old > 5 s: all loads in safe state$/);
    helper.getNode('opt').receive(reading({ power_w: -1000 }));
    await waitFor(() => (cycles.at(-1)!.payload.alarms.length === 0 ? true : undefined), 3000, 'cleared');
  });
});

describe('kept across a restart', () => {
  it('mode, priority, override, site settings and the allocator memory; a changed configuration wins over an old run-time change', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-optimiser-'));
    helper.settings({ userDir });
    const heater = load('heater', { kind: 'on_off', powerW: 1000, minOnSeconds: 600 });
    await helper.load(nodes, flow({}, [heater]));
    helper.getNode('heater_node').receive({ topic: 'priority', payload: 4 });
    helper.getNode('heater_node').receive({ topic: 'override', payload: { on: true, minutes: 30 } });
    helper.getNode('opt').receive({ topic: 'importCapW', payload: 6000 });
    helper.getNode('opt').receive({ topic: 'strategy', payload: 'no_control' });
    helper.getNode('opt').receive(reading({ power_w: -3000 }));
    const cycles = collect('cycles');
    await waitFor(() => cycles.find((c) => c.payload.commands[0]?.on), 3000, 'the heater on');
    await helper.unload();

    const state = (key: string) => JSON.parse(readFileSync(join(userDir, 'hems-state', `${key}.json`), 'utf8'));
    expect(state('optimiser-optimiser').settings).toEqual({
      configured: { strategy: 'pv_surplus', exportLimitW: null, importCapW: null },
      changed: { strategy: 'no_control', importCapW: 6000 },
    });
    expect(state('optimiser-optimiser').memory.loads.heater.switchedOnAtMs).toEqual(expect.any(Number));
    expect(state('load-heater')).toMatchObject({ settings: { configured: { mode: 'surplus', priority: 1 }, changed: { priority: 4 } }, override: { on: true }, overrideLabel: 'on' });

    helper.settings({ userDir });
    await helper.load(nodes, flow({}, [{ ...heater, mode: 'on' }]));
    const again = collect('cycles');
    helper.getNode('opt').receive(reading({ power_w: 500 }));
    const decided = await waitFor(() => again.at(-1), 3000, 'a cycle after the restart');
    expect(decided.payload.strategy).toBe('no_control');
    // no_control ignores overrides, as it would run without an energy manager; back to pv_surplus the kept override acts.
    helper.getNode('opt').receive({ topic: 'strategy', payload: 'pv_surplus' });
    await waitFor(() => (again.at(-1)!.payload.strategy === 'pv_surplus' ? true : undefined), 3000, 'pv_surplus again');
    expect(again.at(-1)!.payload.commands[0].reason).toMatch(/^override on until \d\d:\d\d$/);
    await helper.unload();
    // The configured mode changed from surplus to on: the kept priority change belonged to the old configuration.
    const kept = state('load-heater');
    expect(kept.settings).toEqual({ configured: { mode: 'on', priority: 1 }, changed: {} });
  });
});
