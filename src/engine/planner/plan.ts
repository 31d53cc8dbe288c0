/**
 * plan(): the MILP when a solver is given, the greedy plan otherwise or when the solver fails or
 * runs into the time limit. Either way a plan comes back, and the same input gives the same plan
 * on a quiet and on a busy machine: the MILP's budget is counted in solver work, not in time.
 */
import { assemblePlan, type Schedule } from './assemble-plan';
import { buildModel } from './build-model';
import { greedySchedule } from './greedy';
import { horizonOf, type Horizon } from './horizon';
import { jobInstances, type JobInstance } from './job-instances';
import { readSolution } from './read-solution';
import { objectiveOf, relaxAndRound, type RoundedPlan } from './relax-and-round';
import type { MilpMethod, MilpSolver, Plan, PlannerInput, PlannerOptions } from './types';

/**
 * A safety net, not a budget: plans are bounded by solver work (`DEFAULT_NODE_LIMIT`), so this trips
 * only on a machine far slower or busier than planned for, and then the greedy plan says so.
 */
export const DEFAULT_TIME_LIMIT_MS = 60_000;
/**
 * Branch-and-cut nodes per solve: the work budget, so the same input gives the same plan on a quiet
 * and on a busy machine. Household plans and the 40-load bench sites finish at the root node; the
 * hardest test site (12 loads × 192 slots, PV-rich) needs about 340 nodes (docs/planner.md).
 */
export const DEFAULT_NODE_LIMIT = 500;
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
  return assemblePlan(input, horizon, instances, schedule, { planner: 'greedy', solver: 'greedy', stoppedAtWorkLimit: false, solveMs: clock() - startedMs });
}

type MilpOutcome = { schedule: Schedule; stoppedAtWorkLimit: boolean; method: MilpMethod } | { failure: string };

/** Thrown when a solve runs into the wall clock: what it found by then depends on the machine, so it is no plan. */
class TimeLimitReached extends Error {}

/** The solver with the time left of the safety net; a solve that reaches it ends the MILP. */
function withinTimeLimit(solver: MilpSolver, timeLimitMs: number, clock: () => number): MilpSolver {
  const deadlineMs = clock() + timeLimitMs;
  return {
    name: solver.name,
    solve(model, options) {
      const leftMs = deadlineMs - clock();
      if (leftMs <= 0) throw new TimeLimitReached();
      const result = solver.solve(model, { ...options, timeLimitMs: leftMs });
      if (result.status === 'time_limit') throw new TimeLimitReached();
      return result;
    },
  };
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
function solveMilp(input: PlannerInput, horizon: Horizon, instances: JobInstance[], options: PlannerOptions, clock: () => number): MilpOutcome {
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const limits = { relativeGap: options.relativeGap ?? DEFAULT_RELATIVE_GAP, absoluteGap: ABSOLUTE_GAP_EUR, timeLimitMs, nodeLimit: options.nodeLimit ?? DEFAULT_NODE_LIMIT };
  const solver = withinTimeLimit(options.solver!, timeLimitMs, clock);
  const { model, layout } = buildModel(input, horizon, instances);
  const read = (values: ArrayLike<number>): Schedule => readSolution(values, layout, input, horizon);
  try {
    const rounded = options.relaxAndRound === false ? undefined : relaxAndRound(model, layout, solver, limits);
    if (rounded !== undefined && withinGap(rounded, limits.relativeGap)) return { schedule: read(rounded.values), stoppedAtWorkLimit: false, method: 'relax_and_round' };
    const result = solver.solve(model, { ...limits, start: rounded?.values });
    const values = result.values;
    if (values !== undefined && (rounded === undefined || result.status === 'optimal' || objectiveOf(model, values) < rounded.objective)) {
      return { schedule: read(values), stoppedAtWorkLimit: result.status !== 'optimal', method: 'branch_and_cut' };
    }
    // Branch and cut found nothing better within its work limit: the rounded plan stands, as a plan cut short.
    if (rounded !== undefined) return { schedule: read(rounded.values), stoppedAtWorkLimit: true, method: 'relax_and_round' };
    return { failure: `${solver.name} found no plan: ${result.message ?? result.status}` };
  } catch (error) {
    if (error instanceof TimeLimitReached) return { failure: `${solver.name} was still solving at the time limit of ${timeLimitMs / 1000} s (a safety net: the machine is too slow or too busy for this plan)` };
    return { failure: `${solver.name} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function plan(input: PlannerInput, options: PlannerOptions = {}): Plan {
  const clock = options.clockMs ?? systemClock;
  const startedMs = clock();
  const horizon = horizonOf(input);
  const instances = jobInstances(input, horizon);
  let fallbackReason: string;
  if ((options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS) <= 0) {
    fallbackReason = `time limit ${options.timeLimitMs} ms leaves no time for the MILP`;
  } else if (options.solver === undefined) {
    fallbackReason = 'no MILP solver given';
  } else {
    const outcome = solveMilp(input, horizon, instances, options, clock);
    if ('failure' in outcome) {
      fallbackReason = outcome.failure;
    } else {
      const { schedule, stoppedAtWorkLimit, method } = outcome;
      const milp = assemblePlan(input, horizon, instances, schedule, { planner: 'milp', solver: options.solver.name, method, stoppedAtWorkLimit, solveMs: 0 });
      if (!stoppedAtWorkLimit) return { ...milp, solveMs: clock() - startedMs };
      // A plan cut short by the work limit can be worse than the greedy one; keep the better.
      const nodeLimit = options.nodeLimit ?? DEFAULT_NODE_LIMIT;
      const greedy = greedyPlan(input, horizon, instances, `${options.solver.name} stopped at its work limit of ${nodeLimit} branch-and-cut nodes with a plan worse than the greedy one`);
      const best = isBetter(greedy, milp) ? greedy : milp;
      return { ...best, solveMs: clock() - startedMs };
    }
  }
  return { ...greedyPlan(input, horizon, instances, fallbackReason), solveMs: clock() - startedMs };
}

function greedyPlan(input: PlannerInput, horizon: Horizon, instances: JobInstance[], fallbackReason: string): Plan {
  const schedule = greedySchedule(input, horizon, instances);
  return assemblePlan(input, horizon, instances, schedule, { planner: 'greedy', solver: 'greedy', fallbackReason, stoppedAtWorkLimit: false, solveMs: 0 });
}

function brokenPromises(p: Plan): number {
  return p.loads.reduce((sum, load) => sum + load.jobs.filter((j) => !j.kept).length, 0);
}

/** Fewer broken promises first, then the lower cost. */
function isBetter(a: Plan, b: Plan): boolean {
  const broken = brokenPromises(a) - brokenPromises(b);
  return broken < 0 || (broken === 0 && a.cost.totalEur < b.cost.totalEur);
}
