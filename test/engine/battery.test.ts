/**
 * The battery as it is told: planned flows → modes (with the real MILP on a case known by hand),
 * the mode the optimiser's cycle carries, and what the battery node writes when anything is in doubt.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { batteryActuation, batteryCommandAt, batteryPlanOf, type BatteryActuationInput, type BatteryCommand, type BatteryPlan, type PlannedBatterySlot } from '../../src/engine/battery';
import { OptimiserSession } from '../../src/engine/optimiser';
import { loadHighsSolver, plan, type MilpSolver, type Plan, type PlannerBattery, type PlannerInput, type PlannerSlot, type SitePlanSlot } from '../../src/engine/planner';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const SLOT = 15 * 60_000;

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

const BATTERY: PlannerBattery = { capacityWh: 4000, maxChargeW: 4000, maxDischargeW: 4000, roundTripEfficiency: 1, minSocPct: 0, maxSocPct: 100, socPct: 0, endValueEurPerKwh: 0 };

function inputOf(specs: Array<{ importEurPerKwh: number; baseW?: number }>, battery: PlannerBattery = BATTERY): PlannerInput {
  const slots: PlannerSlot[] = specs.map((s, t) => ({ startMs: T0 + t * SLOT, importEurPerKwh: s.importEurPerKwh, exportEurPerKwh: 0, pvForecastW: 0, baseLoadForecastW: s.baseW ?? 0 }));
  return { nowMs: T0, timeZone: 'Europe/Berlin', slots, site: {}, battery, loads: [] };
}

/** A plan made by hand: one site slot per [batteryW, gridW, socPct at the slot's end]. */
function handPlan(planner: Plan['planner'], flows: Array<[number, number, number]>): Plan {
  const site: SitePlanSlot[] = flows.map(([batteryW, gridW, socPct], t) => ({ startMs: T0 + t * SLOT, batteryW, gridW, socPct, pvUsedW: 0, pvCurtailedW: 0 }));
  return { planner, solver: planner === 'milp' ? 'highs' : 'greedy', stoppedAtWorkLimit: false, solveMs: 1, cost: { importEur: 0, exportEur: 0, demandChargeEur: 0, wearEur: 0, totalEur: 0 }, loads: [], site };
}

const modes = (slots: readonly PlannedBatterySlot[] | undefined) => slots?.map((s) => [s.mode, s.powerW]);
const plannedBatterySlots = (p: Plan, input: PlannerInput) => batteryPlanOf(p, input)?.slots;

describe('planned battery flows as modes', () => {
  it('cheap night, dear evening (real MILP): charge from the grid at night, then self-consumption covers the evening', () => {
    const input = inputOf([...new Array(4).fill({ importEurPerKwh: 0.1 }), ...new Array(4).fill({ importEurPerKwh: 0.4, baseW: 4000 })]);
    const slots = plannedBatterySlots(plan(input, { solver }), input)!;
    expect(slots.slice(0, 4).every((s) => s.mode === 'charge')).toBe(true);
    expect(slots.slice(0, 4).reduce((sum, s) => sum + s.powerW, 0)).toBeCloseTo(16_000, -2);
    expect(modes(slots.slice(4))).toEqual(new Array(4).fill(['self_consumption', 0]));
    expect(slots[0].reason).toMatch(/^planned: charge \d\.\d kW, slot 01:00–01:15 at 0\.10 €\/kWh, SoC 0 → \d+ %$/);
  });

  it('holds where the plan imports without discharging, caps a partial discharge, leaves an empty battery alone', () => {
    const input = inputOf(new Array(5).fill({ importEurPerKwh: 0.3, baseW: 2000 }), { ...BATTERY, socPct: 50, minSocPct: 10, maxDischargeW: 3000 });
    const slots = plannedBatterySlots(handPlan('milp', [[0, 2000, 50], [-1000, 1000, 43.75], [-2000, 0, 31.25], [-3000, 500, 10.5], [0, 2000, 10.5]]), input);
    expect(modes(slots)).toEqual([['hold', 0], ['discharge', 1000], ['self_consumption', 0], ['self_consumption', 0], ['self_consumption', 0]]);
    expect(slots![0].reason).toBe('planned: hold, slot 01:00–01:15 at 0.30 €/kWh, SoC 50 → 50 %');
    expect(slots![1].endMs).toBe(T0 + 2 * SLOT);
  });

  it('a greedy plan leaves the battery to itself; a plan without a battery has no battery slots', () => {
    const input = inputOf(new Array(2).fill({ importEurPerKwh: 0.3, baseW: 2000 }));
    const slots = plannedBatterySlots(handPlan('greedy', [[0, 2000, 50], [3000, 3000, 60]]), input);
    expect(modes(slots)).toEqual([['self_consumption', 0], ['self_consumption', 0]]);
    expect(slots![0].reason).toContain('greedy plan, the battery runs on its own');
    expect(plannedBatterySlots(handPlan('milp', [[0, 2000, 0]]), { ...input, battery: undefined })).toBeUndefined();
  });
});

describe('the mode for this cycle', () => {
  const slots: BatteryPlan = { plannedAtMs: T0, slots: [{ startMs: T0, endMs: T0 + SLOT, mode: 'charge', powerW: 3000, reason: 'planned: charge 3.0 kW' }] };

  it('follows the slot holding now; stale readings and an ended plan give self-consumption with the reason', () => {
    expect(batteryCommandAt(slots, T0 + 60_000, {})).toEqual({ mode: 'charge', powerW: 3000, reason: 'planned: charge 3.0 kW' });
    expect(batteryCommandAt(slots, T0 + 60_000, { staleReason: 'grid reading 40 s old' })).toEqual({
      mode: 'self_consumption',
      powerW: 0,
      reason: 'site readings stale (grid reading 40 s old): self-consumption until they are fresh',
    });
    expect(batteryCommandAt(slots, T0 + SLOT + 20 * 60_000, {}).reason).toBe('the battery plan has run out (no new plan): self-consumption');
    const long: BatteryPlan = { plannedAtMs: T0, slots: [{ ...slots.slots[0], endMs: T0 + 24 * 60 * 60_000 }] };
    expect(batteryCommandAt(long, T0 + 60 * 60_000, {}).mode).toBe('charge');
    expect(batteryCommandAt(long, T0 + 60 * 60_000 + 1, {}).reason).toBe('the battery plan is more than 60 min old (no new plan since): self-consumption');
    expect(batteryCommandAt(slots, T0 - 1, {}).mode).toBe('self_consumption');
  });

  it('the optimiser cycle carries it while a plan with a battery is followed, and drops it with the plan', () => {
    const session = new OptimiserSession({ deviceId: 'optimiser', site: {}, strategy: 'pv_surplus', sources: { gridDevice: 'grid' } }, T0, () => 'day');
    const grid = (atMs: number) => session.siteReading({ device: 'grid', timestamp: new Date(atMs).toISOString(), values: { power_w: 500 } }, atMs);
    grid(T0);
    expect(session.cycle(T0 + 1000).message.payload.battery).toBeUndefined();
    session.followPlan('planner', {}, slots);
    grid(T0 + 2000);
    expect(session.cycle(T0 + 3000).message.payload.battery).toMatchObject({ mode: 'charge', powerW: 3000 });
    expect(session.cycle(T0 + 120_000).message.payload.battery).toMatchObject({ mode: 'self_consumption', reason: expect.stringMatching(/^site readings stale/) });
    session.stopFollowingPlan('planner');
    expect(session.cycle(T0 + 121_000).message.payload.battery).toBeUndefined();
  });
});

describe('what the battery node writes', () => {
  const charge: BatteryCommand = { mode: 'charge', powerW: 3000, reason: 'planned: charge 3.0 kW' };
  const base: BatteryActuationInput = {
    nowMs: T0 + 100_000,
    startedAtMs: T0,
    optimiser: { command: charge, receivedAtMs: T0 + 95_000 },
    commandTimeoutMs: 60_000,
    readBackAtMs: T0 + 98_000,
    readBackMaxAgeMs: 30_000,
    retryMs: 10_000,
    supported: ['self_consumption', 'hold', 'charge', 'discharge'],
    driverLabel: 'Huawei SUN2000 + LUNA2000',
  };
  const actuate = (change: Partial<BatteryActuationInput>) => batteryActuation({ ...base, ...change });

  it('the plan, when everything is fresh', () => {
    expect(actuate({})).toEqual(charge);
  });

  it.each<[string, Partial<BatteryActuationInput>, string]>([
    ['no optimiser message yet', { optimiser: undefined }, 'no optimiser message since the start: self-consumption until the plan arrives'],
    ['the optimiser went silent', { optimiser: { command: charge, receivedAtMs: T0 + 30_000 } }, 'no optimiser message for more than 60 s: the plan is lost, self-consumption'],
    ['no battery plan', { optimiser: { receivedAtMs: T0 + 99_000, missingReason: 'no battery plan from a hems-planner: self-consumption' } }, 'no battery plan from a hems-planner: self-consumption'],
    ['stale read-back', { readBackAtMs: T0 + 50_000 }, 'no read-back from the battery for more than 30 s: self-consumption instead of charge 3.0 kW'],
    ['never read back', { readBackAtMs: undefined }, 'nothing read back from the battery for more than 30 s: self-consumption instead of charge 3.0 kW'],
    ['a failed write', { writeFailure: { command: charge, atMs: T0 + 96_000, error: 'Timed out' } }, 'writing charge 3.0 kW failed (Timed out): self-consumption, tried again after 10 s'],
    ['a mode the driver cannot do', { supported: ['self_consumption'], driverLabel: 'Huawei EMMA' }, 'Huawei EMMA cannot charge 3.0 kW (its published registers do not allow it): self-consumption'],
  ])('self-consumption with the reason: %s', (_case, change, reason) => {
    expect(actuate(change)).toEqual({ mode: 'self_consumption', powerW: 0, reason });
  });

  it('the failed mode is tried again after the retry interval; a mode set by hand wins over the plan', () => {
    expect(actuate({ writeFailure: { command: charge, atMs: T0 + 90_000, error: 'Timed out' } })).toEqual(charge);
    expect(actuate({ manual: { mode: 'hold', powerW: 0, reason: 'Home Assistant' } })).toEqual({ mode: 'hold', powerW: 0, reason: 'set by hand: Home Assistant' });
  });

  it('without read-back (a generic output) staleness of read-back does not apply', () => {
    expect(actuate({ readBackMaxAgeMs: undefined, readBackAtMs: undefined })).toEqual(charge);
  });
});
