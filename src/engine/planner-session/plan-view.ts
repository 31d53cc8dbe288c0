/**
 * A plan as the rest of the system sees it: the slots the optimiser follows (with the reason each
 * was planned), and per load the next start, finish and promise for the output and Home Assistant.
 */
import type { PlannedPower, PlannedSlots } from '../optimiser';
import { marginalCostsEurPerKwh, type JobOutcome, type LoadPlan, type Plan, type PlannerInput } from '../planner';
import { formatLocalClock } from '../local-time';

export const PROMISE_STATES = ['kept', 'at_risk', 'no_job'] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

export interface LoadPlanView {
  loadId: string;
  nextStartMs: number | null;
  finishMs: number | null;
  promise: PromiseState;
  /** Every job's promise and how it goes; the broken ones say why. */
  reason: string;
  slots: Array<{ startMs: number; endMs: number; powerW: number }>;
  jobs: JobOutcome[];
}

/** "EV: 20.0 of 20.0 kWh by 07:00" without the "— why not" part: the promise a slot serves. */
function promiseOf(job: JobOutcome): string {
  return job.reason.split(' — ')[0];
}

function priceText(price: number | null | undefined): string {
  return price === null || price === undefined ? 'price unknown' : `at ${price.toFixed(2)} €/kWh`;
}

function followedSlots(load: LoadPlan, input: PlannerInput, costs: ReadonlyMap<number, number | null>): PlannedPower[] {
  const jobs = [...load.jobs].sort((a, b) => a.deadlineMs - b.deadlineMs);
  const priceByStart = new Map(input.slots.map((s) => [s.startMs, s.importEurPerKwh]));
  return load.slots
    .filter((slot) => slot.powerW > 0)
    .map((slot) => {
      const job = jobs.find((j) => j.deadlineMs >= slot.endMs) ?? jobs.at(-1);
      const span = `${formatLocalClock(slot.startMs, input.timeZone)}–${formatLocalClock(slot.endMs, input.timeZone)}`;
      const where = `slot ${span} ${priceText(priceByStart.get(slot.startMs))}`;
      return {
        ...slot,
        reason: job ? `${promiseOf(job)}, ${where}` : where,
        span,
        costEurPerKwh: costs.get(slot.startMs) ?? null,
        deadlineMs: job?.deadlineMs ?? null,
      };
    });
}

/** What the optimiser follows: per load id its planned slots with their reasons. */
export function plannedSlotsOf(plan: Plan, input: PlannerInput): PlannedSlots {
  const costs = marginalCostsEurPerKwh(plan, input);
  return Object.fromEntries(plan.loads.map((load) => [load.loadId, followedSlots(load, input, costs)]));
}

export function loadPlanViews(plan: Plan): LoadPlanView[] {
  return plan.loads.map((load) => {
    const broken = load.jobs.filter((j) => !j.kept);
    const promise: PromiseState = load.jobs.length === 0 ? 'no_job' : broken.length > 0 ? 'at_risk' : 'kept';
    return {
      loadId: load.loadId,
      nextStartMs: load.nextStartMs,
      finishMs: load.finishMs,
      promise,
      reason: (broken.length > 0 ? broken : load.jobs).map((j) => j.reason).join('; ') || 'no job in the plan’s horizon',
      slots: load.slots.filter((s) => s.powerW > 0),
      jobs: load.jobs,
    };
  });
}
