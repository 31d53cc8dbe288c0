/** The greedy planner on its own and as the fallback when the MILP fails or has no time. */
import { describe, expect, it } from 'vitest';
import { plan, planGreedy, type MilpSolver, type Plan, type PlannerInput, type PlannerLoad } from '../../src/engine/planner';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const SLOT = 15 * 60_000;

function input(prices: (number | null)[], loads: PlannerLoad[], more: Partial<PlannerInput> = {}): PlannerInput {
  return {
    nowMs: T0,
    timeZone: 'UTC',
    slots: prices.map((price, t) => ({ startMs: T0 + t * SLOT, importEurPerKwh: price, exportEurPerKwh: 0, pvForecastW: 0, baseLoadForecastW: 0 })),
    site: {},
    loads,
    ...more,
  };
}

const window = (deadlineSlots: number, earliestSlot = 0) => ({ kind: 'once' as const, deadlineMs: T0 + deadlineSlots * SLOT, earliestStartMs: T0 + earliestSlot * SLOT });

function heater(runtimeMinutes: number, deadlineSlots: number, interruptible = true, earliestSlot = 0): PlannerLoad {
  return { id: 'heater', power: { kind: 'on_off', powerW: 2000 }, jobs: [{ id: 'job', kind: 'runtime', runtimeMinutes, interruptible, window: window(deadlineSlots, earliestSlot) }] };
}

function ev(energyWh: number, deadlineSlots: number): PlannerLoad {
  return { id: 'ev', name: 'EV', power: { kind: 'modulating', minPowerW: 1400, maxPowerW: 8000 }, jobs: [{ id: 'job', kind: 'energy', energyWh, window: window(deadlineSlots) }] };
}

const slotIndices = (p: Plan, id: string) => p.loads.find((l) => l.loadId === id)!.slots.map((s) => (s.startMs - T0) / SLOT);

const throwingSolver: MilpSolver = {
  name: 'broken',
  solve: () => {
    throw new Error('wasm trap');
  },
};
const failingSolver: MilpSolver = { name: 'stuck', solve: () => ({ status: 'failed', message: 'no feasible point' }) };
/** Runs into the wall clock with a point: what it found depends on the machine's speed, so the planner must not use it. */
const lateSolver: MilpSolver = { name: 'late', solve: (model) => ({ status: 'time_limit', values: model.columns.map((c) => Math.max(0, Math.min(c.upper, 1))) }) };

describe('greedy planner', () => {
  it.each([
    ['cheapest slots before the deadline, later one on a tie', [0.3, 0.1, 0.2, 0.1, 0.4], heater(30, 5), [1, 3]],
    ['latest slots when a price in the window is unknown', [0.3, 0.1, null, 0.1, 0.4], heater(30, 5), [3, 4]],
    ['cheapest contiguous block for a non-interruptible run', [0.1, 0.5, 0.2, 0.2, 0.5], heater(30, 5, false), [2, 3]],
    ['latest block ending by the deadline when prices are unknown', [null, null, null, null, null, null], heater(30, 5, false), [3, 4]],
    ['earliest block after the window when the run cannot end in time', [0.1, 0.1, 0.1, 0.1, 0.1, 0.1], heater(60, 4, false, 2), [2, 3, 4, 5]],
  ] as const)('%s', (_name, prices, load, expected) => {
    expect(slotIndices(planGreedy(input([...prices], [load])), 'heater')).toEqual(expected);
  });

  it('gives an EV full power in the cheapest slots and the rest in the next', () => {
    const p = planGreedy(input([0.3, 0.1, 0.2, 0.4], [ev(3000, 4)]));
    expect(p.loads[0].slots.map((s) => [(s.startMs - T0) / SLOT, s.powerW])).toEqual([
      [1, 8000],
      [2, 4000],
    ]);
    expect(p.loads[0].jobs[0]).toMatchObject({ kept: true, reason: 'EV: 3.0 of 3.0 kWh by 01:00' });
  });

  it('stays under the import cap and says so when that breaks a promise', () => {
    const p = planGreedy(input([0.1, 0.1], [ev(4000, 2)], { site: { importCapW: 4000 } }));
    expect(p.loads[0].slots.map((s) => s.powerW)).toEqual([4000, 4000]);
    expect(p.loads[0].jobs[0].reason).toBe('EV: 2.0 of 4.0 kWh by 00:30 — import cap 4.0 kW leaves no room for more');
  });
});

describe('fallback to greedy', () => {
  it.each([
    ['a solver that throws', { solver: throwingSolver }, 'broken failed: wasm trap'],
    ['a solver that fails', { solver: failingSolver }, 'stuck found no plan: no feasible point'],
    ['a solver stopped by the wall clock', { solver: lateSolver, timeLimitMs: 2000 }, 'late was still solving at the time limit of 2 s (a safety net: the machine is too slow or too busy for this plan)'],
    ['a zero time limit', { solver: failingSolver, timeLimitMs: 0 }, 'time limit 0 ms leaves no time for the MILP'],
    ['no solver', {}, 'no MILP solver given'],
  ] as const)('%s', (_name, options, reason) => {
    const p = plan(input([0.3, 0.1, 0.2, 0.1, 0.4], [heater(30, 5)]), options);
    expect(p).toMatchObject({ planner: 'greedy', solver: 'greedy', fallbackReason: reason });
    expect(slotIndices(p, 'heater')).toEqual([1, 3]);
  });

  it('keeps a plan cut short by the work limit only when it beats the greedy one', () => {
    const poor: MilpSolver = { name: 'slow', solve: (model) => ({ status: 'work_limit', values: model.columns.map((c) => Math.max(0, Math.min(c.upper, 0))) }) };
    const p = plan(input([0.3, 0.1, 0.2, 0.1, 0.4], [heater(30, 5)]), { solver: poor });
    expect(p.planner).toBe('greedy');
    expect(p.fallbackReason).toBe('slow stopped at its work limit of 500 branch-and-cut nodes with a plan worse than the greedy one');
  });

  it('is deterministic', () => {
    const make = () => input([0.2, 0.2, 0.1, 0.1, 0.2, 0.2], [heater(30, 6), ev(2000, 6)]);
    expect(planGreedy(make(), { clockMs: () => 0 })).toEqual(planGreedy(make(), { clockMs: () => 0 }));
  });
});
