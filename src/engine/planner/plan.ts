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
import type { MilpResult, Plan, PlannerInput, PlannerOptions } from './types';

export const DEFAULT_TIME_BUDGET_MS = 5_000;
/** Within 0.1 % of the optimum: a tenth of a cent a day for a household, and 40-load sites solve several times faster than at 0.01 %. */
export const DEFAULT_RELATIVE_GAP = 1e-3;

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

function solveMilp(input: PlannerInput, horizon: Horizon, instances: JobInstance[], options: PlannerOptions, timeBudgetMs: number): { schedule?: Schedule; result: MilpResult } {
  const { model, layout } = buildModel(input, horizon, instances);
  let result: MilpResult;
  try {
    result = options.solver!.solve(model, { timeLimitMs: timeBudgetMs, relativeGap: options.relativeGap ?? DEFAULT_RELATIVE_GAP });
  } catch (error) {
    result = { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (result.status === 'failed' || result.values === undefined) return { result };
  return { schedule: readSolution(result.values, layout, input, horizon), result };
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
    const { schedule, result } = solveMilp(input, horizon, instances, options, timeBudgetMs);
    if (schedule !== undefined) {
      const milp = assemblePlan(input, horizon, instances, schedule, { planner: 'milp', solver: options.solver.name, stoppedAtTimeLimit: result.status === 'time_limit', solveMs: 0 });
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
