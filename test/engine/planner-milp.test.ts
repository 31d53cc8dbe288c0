/**
 * The MILP planner on small cases whose optimum is known by hand: one row per case, the planned
 * slots (as slot indices) and, where it matters, the site flows or the promise text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, plan, type MilpSolver, type Plan, type PlannerInput, type PlannerLoad, type PlannerSlot } from '../../src/engine/planner';

const T0 = Date.parse('2026-03-02T00:00:00Z'); // a Monday
const SLOT = 15 * 60_000;
const HOUR = 3_600_000;

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

function slots(importPrices: (number | null)[], extra: Partial<Record<'exportEurPerKwh' | 'pvForecastW' | 'baseLoadForecastW', number[]>> = {}): PlannerSlot[] {
  return importPrices.map((price, t) => ({
    startMs: T0 + t * SLOT,
    importEurPerKwh: price,
    exportEurPerKwh: extra.exportEurPerKwh?.[t] ?? 0,
    pvForecastW: extra.pvForecastW?.[t] ?? 0,
    baseLoadForecastW: extra.baseLoadForecastW?.[t] ?? 0,
  }));
}

function input(slotList: PlannerSlot[], loads: PlannerLoad[], more: Partial<PlannerInput> = {}): PlannerInput {
  return { nowMs: T0, timeZone: 'UTC', slots: slotList, site: {}, loads, ...more };
}

const byDeadline = (deadlineSlots: number, earliestSlot = 0) => ({ kind: 'once' as const, deadlineMs: T0 + deadlineSlots * SLOT, earliestStartMs: T0 + earliestSlot * SLOT });

function heater(runtimeMinutes: number, deadlineSlots: number, more: Partial<PlannerLoad> = {}, interruptible = true): PlannerLoad {
  return { id: 'heater', power: { kind: 'on_off', powerW: 2000 }, jobs: [{ id: 'job', kind: 'runtime', runtimeMinutes, interruptible, window: byDeadline(deadlineSlots) }], ...more };
}

function ev(energyWh: number, deadlineSlots: number, maxPowerW = 10_000, more: Partial<PlannerLoad> = {}): PlannerLoad {
  return { id: 'ev', name: 'EV', power: { kind: 'modulating', minPowerW: 1000, maxPowerW }, jobs: [{ id: 'job', kind: 'energy', energyWh, window: byDeadline(deadlineSlots) }], ...more };
}

function slotIndices(p: Plan, loadId: string): number[] {
  return p.loads.find((l) => l.loadId === loadId)!.slots.map((s) => (s.startMs - T0) / SLOT);
}

function powers(p: Plan, loadId: string): number[] {
  return p.loads.find((l) => l.loadId === loadId)!.slots.map((s) => s.powerW);
}

interface Row {
  name: string;
  input: () => PlannerInput;
  slots: Record<string, number[]>;
  powersW?: Record<string, number[]>;
  check?: (p: Plan) => void;
}

const ROWS: Row[] = [
  {
    name: 'an interruptible runtime job takes the cheapest slots before its deadline',
    input: () => input(slots([0.3, 0.1, 0.4, 0.2, 0.15, 0.5, 0.12, 0.35]), [heater(60, 8)]),
    slots: { heater: [1, 3, 4, 6] },
  },
  {
    name: 'slots after the deadline do not count, however cheap',
    input: () => input(slots([0.3, 0.2, 0.4, 0.25, 0.01, 0.01]), [heater(30, 4)]),
    slots: { heater: [1, 3] },
  },
  {
    name: 'an EV energy job fills the cheapest slots at full power and the next cheapest partly',
    input: () => input(slots([0.3, 0.1, 0.2, 0.4]), [ev(6000, 4)]),
    slots: { ev: [0, 1, 2] },
    powersW: { ev: [4000, 10_000, 10_000] },
  },
  {
    name: 'a non-interruptible run takes the cheapest contiguous block, not the cheapest slots',
    input: () => input(slots([0.1, 0.5, 0.1, 0.25, 0.2, 0.5]), [heater(30, 6, {}, false)]),
    slots: { heater: [2, 3] },
  },
  {
    name: 'own PV worth 0.05 EUR/kWh at export beats importing at 0.10',
    input: () => input(slots([0.1, 0.1, 0.3, 0.3], { pvForecastW: [0, 0, 3000, 3000], exportEurPerKwh: [0.05, 0.05, 0.05, 0.05] }), [heater(30, 4)]),
    slots: { heater: [2, 3] },
  },
  {
    name: 'a negative import price pulls a flexible load in and, with room for more, as much as it can take',
    input: () =>
      input(slots([0.2, -0.05, 0.1, -0.02, 0.3]), [
        { ...heater(15, 5), jobs: [{ id: 'job', kind: 'runtime', runtimeMinutes: 15, upToMinutes: 60, interruptible: true, window: byDeadline(5) }] },
      ]),
    slots: { heater: [1, 3] },
  },
  {
    name: 'a demand charge spreads two loads that would share the cheapest slot',
    input: () =>
      input(
        slots([0.3, 0.1, 0.12, 0.4]),
        [heater(15, 4), { ...heater(15, 4), id: 'pump', power: { kind: 'on_off', powerW: 1000 } }],
        { site: { demandCharge: { eurPerKw: 1, peakSoFarW: 0 } } },
      ),
    slots: { heater: [1], pump: [2] },
    check: (p) => expect(p.cost.demandChargeEur).toBeCloseTo(2, 6),
  },
  {
    name: 'minimum on-time of 30 min makes a 30-min job run in one block although single slots are cheaper',
    input: () => input(slots([0.1, 0.4, 0.1, 0.3, 0.15, 0.2]), [heater(30, 6, { minOnSeconds: 1800 })]),
    slots: { heater: [4, 5] },
  },
  {
    name: 'a non-interruptible run already under way stays on for its minutes left',
    input: () =>
      input(slots([0.9, 0.9, 0.1, 0.1]), [
        { ...heater(60, 4), jobs: [{ id: 'job', kind: 'runtime', runtimeMinutes: 60, interruptible: false, runningMinutesLeft: 30, window: byDeadline(4, -4) }] },
      ]),
    slots: { heater: [0, 1] },
  },
  {
    name: 'with no prices at all the load starts as late as it can',
    input: () => input(slots([null, null, null, null, null, null]), [heater(30, 6)]),
    slots: { heater: [4, 5] },
  },
];

describe('MILP planner: known optima', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const p = plan(row.input(), { solver });
    expect(p.planner).toBe('milp');
    for (const [loadId, expected] of Object.entries(row.slots)) expect(slotIndices(p, loadId)).toEqual(expected);
    for (const [loadId, expected] of Object.entries(row.powersW ?? {})) expect(powers(p, loadId)).toEqual(expected);
    row.check?.(p);
  });
});

describe('MILP planner: site flows', () => {
  it('curtails PV instead of exporting at a negative export price', () => {
    const p = plan(input(slots([0.3, 0.3], { pvForecastW: [5000, 5000], exportEurPerKwh: [-0.1, 0.05], baseLoadForecastW: [500, 500] }), []), { solver });
    expect(p.site.map((s) => [Math.round(s.gridW), Math.round(s.pvCurtailedW)])).toEqual([
      [0, 4500],
      [-4500, 0],
    ]);
  });

  it('keeps export under the export limit by curtailing', () => {
    const p = plan(input(slots([0.3], { pvForecastW: [8000], exportEurPerKwh: [0.08] }), [], { site: { exportLimitW: 3000 } }), { solver });
    expect(Math.round(p.site[0].gridW)).toBe(-3000);
    expect(Math.round(p.site[0].pvCurtailedW)).toBe(5000);
  });

  it('charges the battery when cheap and discharges into the expensive hour', () => {
    const battery = { capacityWh: 1000, maxChargeW: 4000, maxDischargeW: 4000, roundTripEfficiency: 1, minSocPct: 0, maxSocPct: 100, socPct: 0, endValueEurPerKwh: 0 };
    const p = plan(input(slots([0.1, 0.5], { baseLoadForecastW: [0, 4000] }), [], { battery }), { solver });
    expect(p.site.map((s) => [Math.round(s.batteryW), Math.round(s.gridW)])).toEqual([
      [4000, 4000],
      [-4000, 0],
    ]);
    expect(p.site[0].socPct).toBeCloseTo(100, 6);
  });
});

describe('MILP planner: the grid connection', () => {
  it('keeps grid charging of the battery and the EV together under the import cap', () => {
    const battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 0, maxSocPct: 100, socPct: 0 };
    const p = plan(input(slots([0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.5], { baseLoadForecastW: [1000, 1000, 1000, 1000, 3000, 3000, 3000, 3000] }), [ev(8000, 4)], { battery, site: { importCapW: 11_000 } }), { solver });
    expect(p.loads[0].jobs[0].kept).toBe(true);
    expect(Math.max(...p.site.map((s) => s.gridW))).toBeLessThanOrEqual(11_000 + 1e-6);
    expect(p.site[0].batteryW).toBeGreaterThan(0);
  });
});

describe('MILP planner: promises it cannot keep', () => {
  it('an EV that cannot get its energy in time gets what fits, and says why', () => {
    const evLoad = { ...ev(20_000, 28, 3700), jobs: [{ id: 'commute', kind: 'energy' as const, energyWh: 20_000, window: { kind: 'once' as const, deadlineMs: T0 + 7 * HOUR, earliestStartMs: T0 + 2 * HOUR } }] };
    const p = plan(input(slots(new Array(32).fill(0.3)), [evLoad]), { solver });
    const job = p.loads[0].jobs[0];
    expect(job.kept).toBe(false);
    expect(job.planned).toBe(18_500);
    expect(job.reason).toBe('EV: 18.5 of 20.0 kWh by 07:00 — only 5 h between 02:00 and 07:00 at 3.7 kW');
  });

  it('the import cap limits an EV, and the reason names the cap', () => {
    const p = plan(input(slots([0.3, 0.3, 0.3, 0.3], { baseLoadForecastW: [2000, 2000, 2000, 2000] }), [ev(10_000, 4)], { site: { importCapW: 6000 } }), { solver });
    const job = p.loads[0].jobs[0];
    expect(job.kept).toBe(false);
    expect(job.planned).toBe(4000);
    expect(job.reason).toBe('EV: 4.0 of 10.0 kWh by 01:00 — import cap 6.0 kW leaves no room for more');
    expect(Math.max(...p.site.map((s) => s.gridW))).toBeCloseTo(6000, 3);
  });

  it('a non-interruptible run that cannot fit runs from its earliest start and says how late', () => {
    const load = heater(120, 6, {}, false);
    const p = plan(input(slots(new Array(12).fill(0.3)), [load]), { solver });
    load.jobs[0].window = byDeadline(6, 2);
    const late = plan(input(slots(new Array(12).fill(0.3)), [load]), { solver });
    expect(p.loads[0].jobs[0].kept).toBe(false);
    expect(slotIndices(late, 'heater')).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(late.loads[0].jobs[0].reason).toBe('heater: 2 h run finishes 02:30, 1 h after 01:30 — only 1 h between 00:30 and 01:30');
  });

  it('a job whose deadline has no time left is reported, not infeasible', () => {
    const load = { ...ev(5000, 1), jobs: [{ id: 'job', kind: 'energy' as const, energyWh: 5000, window: { kind: 'once' as const, deadlineMs: T0 + 10 * 60_000 } }] };
    const p = plan(input(slots([0.3, 0.3]), [load]), { solver });
    expect(p.planner).toBe('milp');
    expect(p.loads[0].jobs[0].reason).toBe('EV: 0.0 of 5.0 kWh by 00:10 — no time left before 00:10');
  });
});

describe('MILP planner: output', () => {
  it('gives next start and finish, cost, solver and solve time', () => {
    // The clock reads 100 when planning starts and 107 at every later look.
    const p = plan(input(slots([0.3, 0.1, 0.2, 0.4]), [ev(6000, 4)]), { solver, clockMs: (() => { let reads = 0; return () => (reads++ === 0 ? 100 : 107); })() });
    expect(p).toMatchObject({ planner: 'milp', solver: 'highs', method: 'relax_and_round', stoppedAtWorkLimit: false, solveMs: 7 });
    expect(p.loads[0]).toMatchObject({ nextStartMs: T0, finishMs: T0 + 3 * SLOT });
    expect(p.cost.totalEur).toBeCloseTo(1 * 0.3 + 2.5 * 0.1 + 2.5 * 0.2, 6);
    expect(p.loads[0].jobs[0]).toMatchObject({ kept: true, required: 6000, planned: 6000, reason: 'EV: 6.0 of 6.0 kWh by 01:00' });
  });

  it('is deterministic: the same input gives the same plan', () => {
    const make = () => input(slots([0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]), [heater(60, 8), ev(5000, 8)], { site: { importCapW: 9000 } });
    const first = plan(make(), { solver, clockMs: () => 0 });
    const second = plan(make(), { solver, clockMs: () => 0 });
    expect(second).toEqual(first);
  });
});
