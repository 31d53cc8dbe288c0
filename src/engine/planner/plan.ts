/**
 * plan(): the MILP when a solver is given and time allows, the greedy plan otherwise or when the
 * solver fails. Either way a plan comes back.
 */
import { assemblePlan, type Schedule } from './assemble-plan';
import { buildModel } from './build-model';
import { greedySchedule } from './greedy';
import { horizonOf, type Horizon } from './horizon';
import { jobInstances, type JobInstance } from './job-instances';
import { readSolution } from './read-solution';
import { objectiveOf, relaxAndRound, type RoundedPlan } from './relax-and-round';
import type { MilpMethod, MilpResult, Plan, PlannerInput, PlannerOptions } from './types';

export const DEFAULT_TIME_BUDGET_MS = 5_000;
/** Within 0.1 % of the optimum: a tenth of a cent a day for a household, and 40-load sites solve several times faster than at 0.01 %. */
export const DEFAULT_RELATIVE_GAP = 1e-3;
/** A tenth of a cent: objectives near zero (PV-rich days) would otherwise never close a relative gap. */
export const ABSOLUTE_GAP_EUR = 1e-3;

const systemClock = (): number => performance.now();

/** The greedy plan alone: the fallback, and a benchmark baseline. */
export function planGreedy(input: PlannerInput, options: Pick<PlannerOptions, 'clockMs'> = {}): Plan {
  const clock = options.clockMs ?? systemClock;
  const startedMs = clock();
  const horizon = horizonOf(input);
  const instances = jobInstances(input, horizon);
  const schedule = greedySchedule(input, horizon, instances);
  return assemblePlan(input, horizon, instances, schedule, { planner: 'greedy', solver: 'greedy', stoppedAtTimeLimit: false, solveMs: clock() - startedMs });
}

interface MilpOutcome {
  schedule?: Schedule;
  result: MilpResult;
  method: MilpMethod;
}

function withinGap(rounded: RoundedPlan, relativeGap: number): boolean {
  return rounded.objective - rounded.lowerBound <= Math.max(ABSOLUTE_GAP_EUR, relativeGap * Math.abs(rounded.objective));
}

/**
 * Relax and round first, then branch and cut (started from the rounded plan) unless that plan is
 * already within the gap of the relaxation's bound: on the bench problems rounding settles 6 of 8
 * small plans and all large ones, 40 loads × 192 slots in about 0.6 s against 7 s of branch and
 * cut (docs/planner.md).
 */
function solveMilp(input: PlannerInput, horizon: Horizon, instances: JobInstance[], options: PlannerOptions, timeBudgetMs: number, clock: () => number): MilpOutcome {
  const startedMs = clock();
  const remainingMs = (): number => timeBudgetMs - (clock() - startedMs);
  const relativeGap = options.relativeGap ?? DEFAULT_RELATIVE_GAP;
  const solver = options.solver!;
  const { model, layout } = buildModel(input, horizon, instances);
  const read = (values: ArrayLike<number>): Schedule => readSolution(values, layout, input, horizon);
  let result: MilpResult;
  let rounded: RoundedPlan | undefined;
  try {
    if (options.relaxAndRound !== false) {
      rounded = relaxAndRound(model, layout, solver, { relativeGap, absoluteGap: ABSOLUTE_GAP_EUR, remainingMs });
      if (rounded !== undefined && withinGap(rounded, relativeGap)) {
        return { schedule: read(rounded.values), result: { status: 'optimal', values: rounded.values }, method: 'relax_and_round' };
      }
    }
    result = remainingMs() > 0 ? solver.solve(model, { timeLimitMs: remainingMs(), relativeGap, absoluteGap: ABSOLUTE_GAP_EUR, start: rounded?.values }) : { status: 'failed', message: 'no time left after relax and round' };
  } catch (error) {
    result = { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  const values = result.values;
  if (values !== undefined && (rounded === undefined || result.status === 'optimal' || objectiveOf(model, values) < rounded.objective)) {
    return { schedule: read(values), result, method: 'branch_and_cut' };
  }
  // Branch and cut found nothing better in time: the rounded plan stands, as a plan cut short.
  if (rounded !== undefined) return { schedule: read(rounded.values), result: { status: 'time_limit', values: rounded.values }, method: 'relax_and_round' };
  return { result, method: 'branch_and_cut' };
}

export function plan(input: PlannerInput, options: PlannerOptions = {}): Plan {
  const clock = options.clockMs ?? systemClock;
  const startedMs = clock();
  const horizon = horizonOf(input);
  const instances = jobInstances(input, horizon);
  const timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  let fallbackReason: string;
  if (options.solver === undefined) {
    fallbackReason = 'no MILP solver given';
  } else if (timeBudgetMs <= 0) {
    fallbackReason = `time budget ${timeBudgetMs} ms leaves no time for the MILP`;
  } else {
    const { schedule, result, method } = solveMilp(input, horizon, instances, options, timeBudgetMs, clock);
    if (schedule !== undefined) {
      const milp = assemblePlan(input, horizon, instances, schedule, { planner: 'milp', solver: options.solver.name, method, stoppedAtTimeLimit: result.status === 'time_limit', solveMs: 0 });
      if (result.status === 'optimal') return { ...milp, solveMs: clock() - startedMs };
      // A plan cut short by the time budget can be worse than the greedy one; keep the better.
      const greedy = greedyPlan(input, horizon, instances, `${options.solver.name} stopped at the time budget of ${timeBudgetMs} ms with a plan worse than the greedy one`);
      const best = isBetter(greedy, milp) ? greedy : milp;
      return { ...best, solveMs: clock() - startedMs };
    }
    fallbackReason = `${options.solver.name} found no plan within ${timeBudgetMs} ms: ${result.message ?? result.status}`;
  }
  return { ...greedyPlan(input, horizon, instances, fallbackReason), solveMs: clock() - startedMs };
}

function greedyPlan(input: PlannerInput, horizon: Horizon, instances: JobInstance[], fallbackReason: string): Plan {
  const schedule = greedySchedule(input, horizon, instances);
  return assemblePlan(input, horizon, instances, schedule, { planner: 'greedy', solver: 'greedy', fallbackReason, stoppedAtTimeLimit: false, solveMs: 0 });
}

function brokenPromises(p: Plan): number {
  return p.loads.reduce((sum, load) => sum + load.jobs.filter((j) => !j.kept).length, 0);
}

/** Fewer broken promises first, then the lower cost. */
function isBetter(a: Plan, b: Plan): boolean {
  const broken = brokenPromises(a) - brokenPromises(b);
  return broken < 0 || (broken === 0 && a.cost.totalEur < b.cost.totalEur);
}
