/**
 * One plan as plain data: the request a session gathers cheaply (what it holds, copied), and the
 * work that turns it into a plan (slots with their time-zone conversions, each job's progress,
 * validation, the MILP), which runs wherever the injected `PlanSolver` runs it: in this process
 * for the CLI and the tests, in a child process for the Node-RED node (src/io/planner-process.ts),
 * so Node-RED's thread never waits for it.
 */
import type { MeasuredSeries } from '../forecast';
import type { TimedPrice } from '../optimiser';
import { jobInstances, plan, validatePlannerInput, type Plan, type PlannerBattery, type PlannerInput, type PlannerJob, type PlannerLoad, type PlannerOptions, type PlannerSite } from '../planner';
import { horizonSlots, type PvForecastSlot } from './horizon-slots';
import type { TariffPeriod } from './price-table';
import { SlotIntegrals, type SlotIntegralsJson } from './slot-integrals';

/** What a load drew so far, per 15-minute slot, so a job occurrence under way asks only for the rest. */
export interface LoadProgress {
  energy: SlotIntegralsJson;
  running: SlotIntegralsJson;
  /** The load was on at its last reading. */
  runningNow: boolean;
}

/** Everything one plan is made from; JSON-serialisable, so it can cross to another process. */
export interface PlanRequest {
  nowMs: number;
  timeZone: string;
  horizonHours: number;
  prices: TimedPrice[];
  tariff: TariffPeriod[];
  /** Feed-in price where neither the price message nor the tariff lists one. */
  exportEurPerKwh: number;
  pvForecast: PvForecastSlot[];
  pvHistory: MeasuredSeries;
  baseLoadHistory: MeasuredSeries;
  site: PlannerSite;
  battery?: PlannerBattery;
  /** The loads with jobs, their jobs as configured (no progress yet). */
  loads: PlannerLoad[];
  progress: Record<string, LoadProgress>;
  /** What the session already found wrong (a job naming an unknown load), passed on with the plan. */
  problems: string[];
}

export interface PlanOutcome {
  /** Absent when the input is not valid: `problems` say why. */
  input?: PlannerInput;
  plan?: Plan;
  problems: string[];
}

/** Makes the plan for a request: in this process, or in another one. */
export type PlanSolver = (request: PlanRequest) => Promise<PlanOutcome>;

/** The planner's input for a request, or the problems that keep it from being planned. */
export function plannerInputOf(request: PlanRequest): { input?: PlannerInput; problems: string[] } {
  const { nowMs, timeZone } = request;
  const input: PlannerInput = {
    nowMs,
    timeZone,
    slots: horizonSlots({
      nowMs,
      hours: request.horizonHours,
      timeZone,
      prices: request.prices,
      tariff: request.tariff,
      exportEurPerKwh: request.exportEurPerKwh,
      pvForecast: request.pvForecast,
      pvHistory: request.pvHistory,
      baseLoadHistory: request.baseLoadHistory,
    }),
    site: request.site,
    ...(request.battery ? { battery: request.battery } : {}),
    loads: request.loads,
  };
  input.loads = withProgress(input, request.progress);
  const invalid = validatePlannerInput(input);
  if (invalid.length > 0) return { problems: [...request.problems, ...invalid.map((e) => (e.loadId ? `load "${e.loadId}": ${e.message}` : e.message))] };
  return { input, problems: request.problems };
}

/** The request planned here and now: the input, then `plan` with these options. */
export function planRequest(request: PlanRequest, options: PlannerOptions): PlanOutcome {
  const { input, problems } = plannerInputOf(request);
  return input ? { input, plan: plan(input, options), problems } : { problems };
}

/** A `PlanSolver` that plans in this process (the CLI, the simulation, engine tests). */
export function inProcessPlanSolver(options: PlannerOptions): PlanSolver {
  return async (request) => planRequest(request, options);
}

/** Each job occurrence under way learns what it already got, so a re-plan asks only for the rest. */
function withProgress(input: PlannerInput, progress: Record<string, LoadProgress>): PlannerLoad[] {
  const underWay = jobInstances(input).filter((i) => i.earliestMs <= input.nowMs);
  return input.loads.map((load) => {
    const kept = progress[load.id];
    if (!kept) return load;
    const energy = SlotIntegrals.fromJson(kept.energy);
    const running = SlotIntegrals.fromJson(kept.running);
    const jobs = load.jobs.map((job): PlannerJob => {
      const instance = underWay.find((i) => i.load.id === load.id && i.job.id === job.id);
      if (!instance) return job;
      if (job.kind === 'energy') return { ...job, doneWh: energy.integralHours(instance.earliestMs, input.nowMs) };
      const doneMinutes = running.integralHours(instance.earliestMs, input.nowMs) * 60;
      const progressed: PlannerJob = { ...job, doneMinutes };
      // A single run that has begun must go on to its end.
      if (!job.interruptible && job.runningMinutesLeft === undefined && kept.runningNow && doneMinutes > 0) {
        progressed.runningMinutesLeft = Math.max(0, job.runtimeMinutes - doneMinutes);
      }
      return progressed;
    });
    return { ...load, jobs };
  });
}
