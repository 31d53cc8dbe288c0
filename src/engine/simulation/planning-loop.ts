/**
 * The planner inside `hems simulate`: at every 15-minute slot boundary the plan is re-made when
 * anything it rests on has changed, and otherwise kept, since the same inputs give the same plan:
 *
 * - the day-ahead prices for tomorrow were published (12:00 UTC), or the plan's horizon ran short;
 * - a load is behind its plan by a quarter of a slot at full power (anti-cycling delayed a start,
 *   a charger was still switching phases), so its promise needs the slots left.
 *
 * A load ahead of its plan (surplus did part of the work) is not a cause: it stops when its job is
 * done and the planned slots it no longer needs cost nothing. Re-solving every 15 min regardless
 * would cost a MILP per slot, 35 000 a year; these causes make about two a day.
 */
import { maxPowerW, plan, SLOT_HOURS, SLOT_MS, type JobOutcome, type MilpSolver, type Plan, type PlannerInput } from '../planner';
import { batteryCommandAt, batteryPlanOf, type BatteryCommand, type BatteryPlan } from '../battery';
import type { DemandState } from './demand';
import { planFollower, type PlanFollower } from './plan-follower';
import type { PlanNow } from '../optimiser/planned-slots';
import { forecaster, plannerInputAt, pricesKnownUntilMs, type ForecastSource } from './planner-input';
import { loadPowerOf } from '../planner-session/load-power';
import type { Scenario } from './scenario';
import type { SeriesRow } from './series';

const HOUR_MS = 3_600_000;
/** Re-plan before the plan's horizon falls below this, even with no new prices. */
const MIN_HORIZON_LEFT_MS = 12 * HOUR_MS;
const BEHIND_SLOTS = 0.25;
/**
 * A battery this far (SoC points) from where the plan has it runs on its own until the next plan:
 * the plan's later slots rest on the SoC it expected (hems-planner re-plans every slot from the SoC
 * measured; re-solving here for each drift would cost a MILP per slot).
 */
const BATTERY_OFF_PLAN_PCT = 5;
const SHORTFALL_KWH = 0.01;
/** Each job is planned to be done a slot before it is due, so a late start can be made up. */
const FINISH_EARLY_MS = SLOT_MS;

export interface PlanningOptions {
  /** Absent: the greedy planner. */
  solver?: MilpSolver;
  forecast?: ForecastSource;
  horizonHours?: number;
  /** The planner's work budget and safety net (PlannerOptions); absent: the planner's defaults, as hems-planner uses them. */
  nodeLimit?: number;
  timeLimitMs?: number;
}

/** Why a plan was re-made. */
export type ReplanCause = 'start' | 'prices' | 'horizon' | 'behind';

export interface PlanningStats {
  plans: number;
  causes: Record<ReplanCause, number>;
  greedy_fallbacks: number;
  /** MILP plans cut short by the node limit (kept because they beat the greedy plan). */
  stopped_at_work_limit: number;
  solve_ms_total: number;
  solve_ms_max: number;
}

/** What the simulation knows at a slot boundary. */
export interface PlanningView {
  nowMs: number;
  demandStates: readonly DemandState[];
  batterySocPct?: number;
  /** Energy each load has drawn since the simulation began, in scenario order. */
  drawnKwh: readonly number[];
}

interface CurrentPlan {
  plan: Plan;
  input: PlannerInput;
  follow: PlanFollower;
  madeAtMs: number;
  knownUntilMs: number;
  endMs: number;
  drawnKwhAtPlan: readonly number[];
  battery?: BatteryPlan;
}

export interface PlanningLoop {
  /** At a slot boundary: the plan to follow from now, re-made if needed. */
  at(view: PlanningView): void;
  /** What the plan says to a load now: its slot, and the dearest slot later for its job. */
  planned(loadId: string, nowMs: number): PlanNow | undefined;
  /** The battery's mode now, as hems-optimiser tells hems-battery; undefined without a battery or a plan. */
  battery(nowMs: number): BatteryCommand | undefined;
  /** The last plan's word on a job due at dueMs, for the reason of a missed deadline (once per job). */
  outcome(loadId: string, dueMs: number): JobOutcome | undefined;
  stats: PlanningStats;
}

function plannedKwhSince(current: CurrentPlan, loadId: string, nowMs: number): number {
  const load = current.plan.loads.find((l) => l.loadId === loadId);
  return (load?.slots ?? []).filter((slot) => slot.startMs >= current.madeAtMs - (current.madeAtMs % SLOT_MS) && slot.endMs <= nowMs).reduce((sum, slot) => sum + (slot.powerW * SLOT_HOURS) / 1000, 0);
}

/** The plan's state of charge at nowMs (the end of the slot before) against the simulated one. */
function batteryOffPlan(current: CurrentPlan, view: PlanningView): boolean {
  if (view.batterySocPct === undefined || !current.input.battery) return false;
  const before = current.plan.site.find((slot) => slot.startMs + SLOT_MS === view.nowMs);
  return before?.socPct !== null && before?.socPct !== undefined && Math.abs(before.socPct - view.batterySocPct) > BATTERY_OFF_PLAN_PCT;
}

export function planningLoop(scenario: Scenario, series: readonly SeriesRow[], options: PlanningOptions): PlanningLoop {
  const forecast = forecaster(options.forecast ?? 'perfect', series);
  const slotKwh = scenario.loads.map((l) => (maxPowerW(loadPowerOf(l.config, scenario.site.phaseVoltageV)) * SLOT_HOURS) / 1000);
  const stats: PlanningStats = { plans: 0, causes: { start: 0, prices: 0, horizon: 0, behind: 0 }, greedy_fallbacks: 0, stopped_at_work_limit: 0, solve_ms_total: 0, solve_ms_max: 0 };
  let current: CurrentPlan | undefined;
  const lastRow = series[series.length - 1];
  const seriesEndMs = lastRow.startMs + lastRow.durationMs;
  /** Each job's outcome in the last plan that still had it before its deadline. */
  const lastOutcomes = new Map<string, JobOutcome>();

  const deviationsKwh = (view: PlanningView, plan: CurrentPlan): number[] =>
    scenario.loads.map((load, i) => view.drawnKwh[i] - plan.drawnKwhAtPlan[i] - plannedKwhSince(plan, load.config.id, view.nowMs));

  const causeOf = (view: PlanningView): ReplanCause | undefined => {
    if (current === undefined) return 'start';
    if (pricesKnownUntilMs(view.nowMs) !== current.knownUntilMs) return 'prices';
    if (current.endMs - view.nowMs < MIN_HORIZON_LEFT_MS && current.endMs < seriesEndMs) return 'horizon';
    const plan = current;
    // At the time a job was planned to be done, a shortfall or a promise already broken gets the last slot before it is due.
    const aimedDoneNow = (loadId: string, kwh: number) =>
      plan.plan.loads.some((l) => l.loadId === loadId && l.jobs.some((j) => j.deadlineMs === view.nowMs && (kwh < -SHORTFALL_KWH || !j.kept)));
    const behind = deviationsKwh(view, plan).some((kwh, i) => kwh < -BEHIND_SLOTS * slotKwh[i] || aimedDoneNow(scenario.loads[i].config.id, kwh));
    if (behind) return 'behind';
    return undefined;
  };

  return {
    stats,
    at(view) {
      const cause = causeOf(view);
      // A plan kept is the plan re-made with the same inputs, so the battery's plan is as fresh as this check (hems-planner re-plans every slot).
      if (cause === undefined) {
        if (current?.battery) current.battery = batteryOffPlan(current, view) ? undefined : { ...current.battery, plannedAtMs: view.nowMs };
        return;
      }
      stats.causes[cause] += 1;
      const input = plannerInputAt(scenario, series, { nowMs: view.nowMs, horizonHours: options.horizonHours, demandStates: view.demandStates, finishEarlyMs: FINISH_EARLY_MS }, forecast);
      const made = plan(input, { solver: options.solver, nodeLimit: options.nodeLimit, timeLimitMs: options.timeLimitMs });
      stats.plans += 1;
      if (made.fallbackReason && options.solver) stats.greedy_fallbacks += 1;
      if (made.stoppedAtWorkLimit) stats.stopped_at_work_limit += 1;
      stats.solve_ms_total += made.solveMs;
      stats.solve_ms_max = Math.max(stats.solve_ms_max, made.solveMs);
      const lastSlot = input.slots[input.slots.length - 1];
      current = {
        plan: made,
        input,
        follow: planFollower(made, input),
        battery: batteryPlanOf(made, input),
        madeAtMs: view.nowMs,
        knownUntilMs: pricesKnownUntilMs(view.nowMs),
        endMs: lastSlot ? lastSlot.startMs + SLOT_MS : view.nowMs,
        drawnKwhAtPlan: [...view.drawnKwh],
      };
      for (const [key, outcome] of lastOutcomes) if (outcome.deadlineMs < view.nowMs - HOUR_MS) lastOutcomes.delete(key);
      for (const load of made.loads) for (const job of load.jobs) {
        const dueMs = job.deadlineMs > view.nowMs + FINISH_EARLY_MS ? job.deadlineMs + FINISH_EARLY_MS : job.deadlineMs;
        lastOutcomes.set(`${load.loadId}@${dueMs}`, job);
      }
    },
    planned: (loadId, nowMs) => current?.follow(loadId, nowMs),
    battery: (nowMs) => (current?.battery ? batteryCommandAt(current.battery, nowMs, {}) : undefined),
    outcome(loadId, dueMs) {
      const key = `${loadId}@${dueMs}`;
      const outcome = lastOutcomes.get(key);
      lastOutcomes.delete(key);
      return outcome;
    },
  };
}
