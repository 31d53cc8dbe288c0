import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsLogged, helper, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';
import { pvForecastFromHa } from '../../src/engine/forecast';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-optimiser', 'hems-load', 'hems-planner'].map((name) => require(join(DIST, `${name}.js`)));

const SLOT_MS = 15 * 60_000;
/** A plan comes from a freshly started plan process (HiGHS compiled anew): seconds on a busy machine. */
const PLAN_WAIT_MS = 25_000;

runtimeAroundTests();

// Node ids differ from every other string property: Node-RED takes a property equal to a node id for a config-node reference.

/** Prices from the slot holding now: `now` for the first `nowSlots`, `later` for the rest of 24 h. */
function prices(now: number, later: number, nowSlots = 2) {
  const firstMs = Math.floor(Date.now() / SLOT_MS) * SLOT_MS;
  const slots = Array.from({ length: 96 }, (_, i) => ({
    start: new Date(firstMs + i * SLOT_MS).toISOString(),
    end: new Date(firstMs + (i + 1) * SLOT_MS).toISOString(),
    importEurPerKwh: i < nowSlots ? now : later,
  }));
  return { topic: 'prices', payload: { unit: 'EUR/kWh', slots } };
}

const gridImport = (powerW: number) => ({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: powerW } } });

interface Sent {
  payload: any;
}

function flow(load: Record<string, unknown>, planner: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'planner' },
    { id: 'opt', z: 'tab', type: 'hems-optimiser', name: 'Optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', wires: [['cycles']] },
    { id: 'cycles', z: 'tab', type: 'helper' },
    { id: 'load', z: 'tab', type: 'hems-load', optimiser: 'opt', priority: 1, mode: 'surplus', enableDelaySeconds: 0, feedback: 'commanded', wires: [['commands']], ...load },
    { id: 'commands', z: 'tab', type: 'helper' },
    { id: 'planner_node', z: 'tab', type: 'hems-planner', name: 'Planner', deviceId: 'planner', optimiser: 'opt', timeZone: 'UTC', wires: [['plans']], ...planner },
    { id: 'plans', z: 'tab', type: 'helper' },
  ];
}

function collect(id: string): Sent[] {
  const messages: Sent[] = [];
  helper.getNode(id).on('input', (m: Sent) => messages.push(m));
  return messages;
}

/** A 2 kW boiler with a 30-minute job, two cheap slots from now and no surplus (300 W import): only the plan can switch it on. */
async function boilerWithJob(plannerConfig: Record<string, unknown> = {}) {
  await helper.load(nodes, flow({ name: 'Boiler', loadId: 'boiler', kind: 'on_off', powerW: 2000 }, plannerConfig));
  const plans = collect('plans');
  const commands = collect('commands');
  const planner = helper.getNode('planner_node');
  helper.getNode('opt').receive(gridImport(300));
  planner.receive(prices(0.05, 0.4));
  planner.receive({ topic: 'job', payload: { loadId: 'boiler', runtimeMinutes: 30, by: new Date(Date.now() + 6 * 3_600_000).toISOString() } });
  planner.receive({ topic: 'replan' });
  return { planner, commands, plan: await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan') };
}

// Room for a plan from a fresh plan process on a busy machine (PLAN_WAIT_MS) and what follows it.
describe('hems-planner with an optimiser and a load', { timeout: 60_000 }, () => {
  it('plans a job into the cheap slots and the load runs there, with "planned" as its reason', async () => {
    // Kathmandu is UTC+5:45: its clock differs from UTC in the minutes too.
    const { planner, commands, plan } = await boilerWithJob({ timeZone: 'Asia/Kathmandu' });
    // Planned by HiGHS in the planner's child process.
    expect(plan.payload).toMatchObject({ planner: 'milp', solver: 'highs' });
    const boiler = plan.payload.loads.find((l: { loadId: string }) => l.loadId === 'boiler');
    expect(boiler.promise).toBe('kept');
    expect(boiler.slots).toHaveLength(2);
    expect(Date.parse(boiler.slots[0].start)).toBeLessThanOrEqual(Date.now());
    expect(boiler.reason).toBe(boiler.jobs[0].reason);
    expect(plan.payload.price).toMatchObject({ importEurPerKwh: 0.05, cheap: true, negative: false });

    const on = await waitFor(() => commands.find((c) => c.payload.on), 5000, 'the boiler switched on');
    expect(on.payload.reason).toMatch(/^on: planned, Boiler: 30 min of 30 min by \d\d:\d\d, slot \d\d:\d\d–\d\d:\d\d at 0\.05 €\/kWh$/);
    expect(lastStatus(planner)).toMatchObject({ fill: 'green', shape: 'dot' });
    // People read the status in the site's local time.
    const nextStart = new Date(boiler.nextStart);
    const localClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kathmandu', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(nextStart);
    expect(lastStatus(planner)!.text).toContain(`next boiler ${localClock}`);
  });

  it('pulls a flexible load into a negative price slot', async () => {
    await helper.load(nodes, flow({ name: 'Heater', loadId: 'heater', kind: 'modulating_power', minPowerW: 1000, maxPowerW: 3000 }));
    const plans = collect('plans');
    const commands = collect('commands');
    const planner = helper.getNode('planner_node');
    helper.getNode('opt').receive(gridImport(300));
    planner.receive(prices(-0.1, 0.3));
    // The job itself needs little and may take much more when it pays.
    planner.receive({ topic: 'job', payload: { loadId: 'heater', energyKwh: 0.5, upToKwh: 5, by: new Date(Date.now() + 12 * 3_600_000).toISOString() } });
    planner.receive({ topic: 'replan' });

    const plan = await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan');
    expect(plan.payload.price).toMatchObject({ negative: true });
    const heater = plan.payload.loads[0];
    expect(heater.slots.map((s: { powerW: number }) => s.powerW)).toEqual([3000, 3000]);
    const on = await waitFor(() => commands.find((c) => c.payload.on), 5000, 'the heater switched on');
    expect(on.payload.powerW).toBe(3000);
    expect(on.payload.reason).toMatch(/^.*: planned, Heater: .* at -0\.10 €\/kWh$/);
  });

  it('plans into the hours of forecast PV, with the forecast as hems-ha-pv-forecast sends it', async () => {
    await helper.load(nodes, flow({ name: 'Boiler', loadId: 'boiler', kind: 'on_off', powerW: 2000 }, { exportEurPerKwh: 0.08 }));
    const plans = collect('plans');
    const planner = helper.getNode('planner_node');
    // 5 kWh an hour of sun from three to four hours from now, as Home Assistant's Energy dashboard lists it.
    const hourMs = 3_600_000;
    const sunMs = Math.floor(Date.now() / hourMs) * hourMs + 3 * hourMs;
    const forecast = pvForecastFromHa({ roof: { wh_hours: { [new Date(sunMs - hourMs).toISOString()]: 0, [new Date(sunMs).toISOString()]: 5000, [new Date(sunMs + hourMs).toISOString()]: 0 } } });
    if (!forecast.ok) throw new Error(forecast.error);
    planner.receive(prices(0.3, 0.3));
    planner.receive({ topic: 'pv_forecast', payload: forecast.value });
    planner.receive({ topic: 'job', payload: { loadId: 'boiler', runtimeMinutes: 60, by: new Date(Date.now() + 8 * hourMs).toISOString() } });
    planner.receive({ topic: 'replan' });

    const plan = await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan');
    const boiler = plan.payload.loads.find((l: { loadId: string }) => l.loadId === 'boiler');
    expect(boiler.slots.map((slot: { start: string }) => Date.parse(slot.start))).toEqual([0, 1, 2, 3].map((i) => sunMs + i * SLOT_MS));
  });

  it('takes weekly jobs from its configuration and says when a promise cannot be kept', async () => {
    const jobs = JSON.stringify([{ loadId: 'pump', runtimeMinutes: 24 * 60, by: '24:00' }]);
    await helper.load(nodes, flow({ name: 'Pump', loadId: 'pump', kind: 'on_off', powerW: 500 }, { jobs, tariff: JSON.stringify([{ from: '00:00', to: '24:00', importEurPerKwh: 0.3 }]) }));
    const plans = collect('plans');
    helper.getNode('planner_node').receive({ topic: 'replan' });
    const plan = await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan');
    const pump = plan.payload.loads[0];
    // Less than a whole day is left before midnight, unless it is exactly midnight.
    expect(pump.promise).toBe('at_risk');
    expect(pump.reason).toMatch(/^Pump: .* by 00:00 — /);
  });

  it('refuses bad jobs: red status and an error naming the field', async () => {
    const jobs = JSON.stringify([{ loadId: 'ev', energyKwh: 20, by: '7 am' }]);
    await helper.load(nodes, flow({ name: 'EV', loadId: 'ev', kind: 'on_off', powerW: 2000 }, { jobs }));
    const planner = helper.getNode('planner_node');
    expect(lastStatus(planner)).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(lastStatus(planner)!.text).toContain('jobs[0].by = "7 am"');
    expect(errorsLogged('planner_node')[0]).toMatch(/^hems-planner "Planner": jobs\[0\]\.by = "7 am": must be a local clock time "HH:MM"/);
  });

  it('refuses a battery target SoC without the time it is due by: red status and an error naming the field', async () => {
    await helper.load(nodes, flow({ name: 'EV', loadId: 'ev', kind: 'on_off', powerW: 2000 }, { batteryCapacityWh: '10000', batteryHoldOnly: true, batteryTargetSocPct: '80' }));
    const planner = helper.getNode('planner_node');
    expect(lastStatus(planner)).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(errorsLogged('planner_node')[0]).toContain('battery target SoC by = "": give the local time the target is due, "HH:MM", or clear the target SoC');
  });

  it('refuses a bad job message, naming the field, and keeps planning', async () => {
    await helper.load(nodes, flow({ name: 'EV', loadId: 'ev', kind: 'on_off', powerW: 2000 }));
    const planner = helper.getNode('planner_node');
    planner.receive({ topic: 'job', payload: { loadId: 'ev', energyKwh: -3, by: '07:00' } });
    await waitFor(() => errorsLogged('planner_node').length > 0 || undefined, 3000, 'the refusal');
    expect(errorsLogged('planner_node')[0]).toContain('msg.payload.energyKwh = -3: must be the energy in kWh, above 0');
  });

  it('plans greedily, says why and keeps the loads planned when its plan process crashes', async () => {
    // The plan process inherits the environment; this test-only fault makes it exit when asked for a MILP plan.
    process.env.HEMS_PLANNER_TEST_FAULT = 'crash';
    try {
      const { planner, commands, plan } = await boilerWithJob();
      expect(plan.payload).toMatchObject({ planner: 'greedy', fallbackReason: 'the plan process ended (exit code 70) before answering' });
      expect(plan.payload.loads[0].slots).toHaveLength(2);
      expect(lastStatus(planner)).toMatchObject({ fill: 'yellow', shape: 'dot' });
      expect(lastStatus(planner)!.text).toContain('greedy: the plan process ended (exit code 70)');
      expect(await waitFor(() => commands.find((c) => c.payload.on), 5000, 'the boiler switched on')).toBeDefined();
    } finally {
      delete process.env.HEMS_PLANNER_TEST_FAULT;
    }
  });

  it.each([
    ['0 (greedy plans only)', 0, { planner: 'greedy', fallbackReason: 'time limit 0 ms leaves no time for the MILP' }],
    ['1000 ms (its default then, a compromise of planning on Node-RED\'s thread)', 1000, { planner: 'milp', solver: 'highs' }],
  ])('keeps the meaning of a 0.1.0 flow\'s time budget of %s', async (_name, timeBudgetMs, expected) => {
    const { planner, plan } = await boilerWithJob({ timeBudgetMs });
    expect(plan.payload).toMatchObject(expected);
    // Greedy by choice is no fallback to warn about.
    expect(lastStatus(planner)).toMatchObject({ fill: 'green', shape: 'dot' });
  });

  it('keeps one-off jobs across a restart in its state file', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-planner-'));
    helper.settings({ userDir });
    try {
      await helper.load(nodes, flow({ name: 'EV', loadId: 'ev', kind: 'on_off', powerW: 2000 }));
      helper.getNode('planner_node').receive({ topic: 'job', payload: { loadId: 'ev', energyKwh: 2, by: new Date(Date.now() + 3 * 3_600_000).toISOString() } });
      await waitFor(() => errorsLogged('planner_node').length === 0 || undefined, 500, 'nothing refused');
      await helper.unload();
      await helper.load(nodes, flow({ name: 'EV', loadId: 'ev', kind: 'on_off', powerW: 2000 }));
      const plans = collect('plans');
      helper.getNode('planner_node').receive({ topic: 'replan' });
      const plan = await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan after the restart');
      expect(plan.payload.loads.map((l: { loadId: string }) => l.loadId)).toEqual(['ev']);
    } finally {
      helper.settings({});
    }
  });
});

describe('the site\'s time zone', { timeout: 60_000 }, () => {
  const siteNodes = [...nodes, require(join(DIST, 'hems-site.js'))];
  const kathmanduClock = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kathmandu', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

  it('a planner without a zone of its own and a load\'s override speak the site\'s clock (Kathmandu, UTC+5:45)', async () => {
    await helper.load(siteNodes, [
      { id: 'tab', type: 'tab', label: 'site clock' },
      { id: 'home_site', type: 'hems-site', version: 2, deviceId: 'optimiser', gridDevice: 'grid', strategy: 'pv_surplus', timeZone: 'Asia/Kathmandu' },
      { id: 'opt', z: 'tab', type: 'hems-optimiser', version: 1, name: 'Optimiser', site: 'home_site', cycleSeconds: 1, wires: [['cycles']] },
      { id: 'cycles', z: 'tab', type: 'helper' },
      { id: 'load', z: 'tab', type: 'hems-load', version: 1, site: 'home_site', name: 'Boiler', loadId: 'boiler', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus', feedback: 'commanded', wires: [[]] },
      { id: 'planner_node', z: 'tab', type: 'hems-planner', version: 1, name: 'Planner', deviceId: 'planner', site: 'home_site', timeZone: '', wires: [['plans']] },
      { id: 'plans', z: 'tab', type: 'helper' },
    ]);
    const plans = collect('plans');
    const cycles = collect('cycles');
    const planner = helper.getNode('planner_node');
    helper.getNode('opt').receive(gridImport(300));
    planner.receive(prices(0.05, 0.4));
    // "by" as a local clock time: 5 h from now on Kathmandu's clock, rounded to the minute.
    const byMs = Math.ceil((Date.now() + 5 * 3_600_000) / 60_000) * 60_000;
    planner.receive({ topic: 'job', payload: { loadId: 'boiler', runtimeMinutes: 30, by: kathmanduClock(byMs) } });
    planner.receive({ topic: 'replan' });
    const plan = await waitFor(() => plans.at(-1), PLAN_WAIT_MS, 'a plan');
    const boiler = plan.payload.loads.find((l: { loadId: string }) => l.loadId === 'boiler');
    expect(boiler.jobs[0].deadlineMs).toBe(byMs);
    expect(boiler.reason).toBe(`Boiler: 30 min of 30 min by ${kathmanduClock(byMs)}`);
    expect(lastStatus(planner)!.text).toContain(`next boiler ${kathmanduClock(Date.parse(boiler.nextStart))}`);

    const untilMs = Date.now() + 90 * 60_000;
    helper.getNode('load').receive({ topic: 'override', payload: { on: false, minutes: 90 } });
    const boilerIn = (cycle: Sent) => cycle.payload.commands.find((c: { loadId: string }) => c.loadId === 'boiler');
    const overridden = await waitFor(() => cycles.map(boilerIn).find((c) => c?.reasonCode === 'override'), 5000, 'the override');
    expect([kathmanduClock(untilMs), kathmanduClock(untilMs + 60_000)]).toContain(overridden.reason.replace('override off until ', ''));
  });
});
