/**
 * Relax and round against branch and cut on sites with every load kind competing for PV: the
 * rounded plan is feasible, never beats the proven optimum, stays within the gap of it, and its
 * bound is a true lower bound. Plus the ways back to branch and cut.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, horizonOf, jobInstances, loadHighsSolver, plan, type MilpModel, type MilpSolver, type PlannerInput } from '../../src/engine/planner';
import { objectiveOf, relaxAndRound } from '../../src/engine/planner/relax-and-round';
import { pvRichSite } from '../helpers/plan-requests';

const T0 = Date.parse('2026-06-01T00:00:00Z'); // a Monday

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

/** A site with `loadCount` loads, PV (`pvPerLoadW` more for each load), a battery and prices that wander, planned from `startHour`. */
const site = (seed: number, loadCount: number, startHour: number, pvPerLoadW = 600): PlannerInput => pvRichSite(seed, loadCount, T0 + startHour * 3_600_000, pvPerLoadW);

function modelOf(input: PlannerInput) {
  const horizon = horizonOf(input);
  return buildModel(input, horizon, jobInstances(input, horizon));
}

/** Largest violation of a bound, a row or integrality at these values. */
function infeasibility(model: MilpModel, values: ArrayLike<number>): number {
  let worst = 0;
  model.columns.forEach((c, j) => {
    worst = Math.max(worst, c.lower - values[j], values[j] - c.upper);
    if (c.integer) worst = Math.max(worst, Math.abs(values[j] - Math.round(values[j])));
  });
  for (const row of model.rows) {
    const activity = row.indices.reduce((sum, j, k) => sum + row.values[k] * values[j], 0);
    worst = Math.max(worst, row.lower - activity, activity - row.upper);
  }
  return worst;
}

const CASES = [
  { seed: 1, loadCount: 4, startHour: 10, pvPerLoadW: 600 },
  { seed: 2, loadCount: 6, startHour: 6, pvPerLoadW: 600 },
  { seed: 3, loadCount: 8, startHour: 16, pvPerLoadW: 600 },
  { seed: 4, loadCount: 8, startHour: 3, pvPerLoadW: 600 },
  { seed: 5, loadCount: 12, startHour: 9, pvPerLoadW: 600 },
  { seed: 2, loadCount: 8, startHour: 0, pvPerLoadW: 0 },
  { seed: 1, loadCount: 12, startHour: 10, pvPerLoadW: 0 },
];

describe('relax and round', () => {
  // Rounding alone is not always within the gap (the plan then goes on to branch and cut), but close: a few cents over a day.
  it.each(CASES)('is feasible, never below the proven optimum and within 0.1 EUR of it (seed $seed, $loadCount loads from $startHour:00, $pvPerLoadW W PV per load)', ({ seed, loadCount, startHour, pvPerLoadW }) => {
    const { model, layout } = modelOf(site(seed, loadCount, startHour, pvPerLoadW));
    const rounded = relaxAndRound(model, layout, solver, { relativeGap: 1e-3, absoluteGap: 1e-3, timeLimitMs: 60_000, nodeLimit: 500 })!;
    const exact = solver.solve(model, { timeLimitMs: 60_000, nodeLimit: 100_000, relativeGap: 1e-5, absoluteGap: 1e-5 });
    const optimum = objectiveOf(model, exact.values!);
    expect(exact.status).toBe('optimal');
    expect(infeasibility(model, rounded.values)).toBeLessThan(1e-6);
    expect(rounded.lowerBound).toBeLessThanOrEqual(optimum + 1e-6);
    expect(rounded.objective).toBeGreaterThanOrEqual(optimum - 1e-5 * Math.abs(optimum) - 1e-5);
    expect(rounded.objective - optimum).toBeLessThanOrEqual(0.1);
  });

  it('breaks no promise the relaxation keeps, even where the rounding neighbourhood alone would have to (seed 1, 4 loads from 16:00)', () => {
    const { model, layout } = modelOf(site(1, 4, 16));
    const penalties = (values: ArrayLike<number>) => model.columns.reduce((sum, c, j) => sum + (c.penalty ? c.cost * values[j] : 0), 0);
    const relaxed = solver.solve({ columns: model.columns.map((c) => ({ ...c, integer: false })), rows: model.rows }, { timeLimitMs: 60_000, nodeLimit: 500, relativeGap: 1e-3, absoluteGap: 1e-3 });
    const rounded = relaxAndRound(model, layout, solver, { relativeGap: 1e-3, absoluteGap: 1e-3, timeLimitMs: 60_000, nodeLimit: 500 })!;
    expect(penalties(rounded.values)).toBeLessThanOrEqual(penalties(relaxed.values!) + 0.01);
  });

  it('settles the plan on its own when within the gap, and the plan keeps every promise branch and cut keeps', () => {
    const input = site(2, 8, 0, 0);
    const rounded = plan(input, { solver });
    const exact = plan(input, { solver, relaxAndRound: false });
    expect(rounded).toMatchObject({ planner: 'milp', method: 'relax_and_round', stoppedAtWorkLimit: false });
    expect(exact.method).toBe('branch_and_cut');
    const kept = (p: typeof rounded) => p.loads.flatMap((l) => l.jobs.map((j) => `${l.loadId} ${j.kept}`));
    expect(kept(rounded)).toEqual(kept(exact));
  });

  it('leaves the plan to branch and cut when the solver gives no duals', () => {
    const withoutDuals: MilpSolver = { name: 'highs', solve: (model, options) => ({ ...solver.solve(model, options), rowDuals: undefined }) };
    expect(plan(site(1, 4, 10), { solver: withoutDuals })).toMatchObject({ planner: 'milp', method: 'branch_and_cut', stoppedAtWorkLimit: false });
  });

  it('keeps the rounded plan, as cut short, when branch and cut finds nothing better within its work limit', () => {
    // Branch and cut (the one call with a start) stops at its node limit with a point no better than its start.
    const outOfWork: MilpSolver = { name: 'highs', solve: (model, options) => (options.start === undefined ? solver.solve(model, options) : { status: 'work_limit', values: Array.from(options.start) }) };
    const p = plan(site(3, 8, 16), { solver: outOfWork });
    expect(p).toMatchObject({ planner: 'milp', method: 'relax_and_round', stoppedAtWorkLimit: true });
    expect(p.loads.flatMap((l) => l.jobs).every((j) => j.kept)).toBe(true);
  });
});
