/** A schedule (load powers and site flows per slot) → the Plan every consumer reads. */
import { SLOT_MS, slotStartMs, type Horizon } from './horizon';
import type { JobInstance } from './job-instances';
import { jobOutcomes } from './job-outcomes';
import { planCost } from './plan-cost';
import type { JobOutcome, LoadPlan, Plan, PlannedSlot, PlannerInput, SitePlanSlot } from './types';

export interface Schedule {
  /** Per load with jobs, its power in each horizon slot. */
  loadW: Map<string, number[]>;
  site: SitePlanSlot[];
}

export type PlanMeta = Pick<Plan, 'planner' | 'solver' | 'method' | 'fallbackReason' | 'stoppedAtWorkLimit' | 'solveMs'>;

const ON_THRESHOLD_W = 0.5;

function plannedSlots(horizon: Horizon, powerW: number[]): PlannedSlot[] {
  return powerW.flatMap((w, t) => {
    if (w <= ON_THRESHOLD_W) return [];
    const startMs = slotStartMs(horizon, t);
    return [{ startMs, endMs: startMs + SLOT_MS, powerW: Math.round(w) }];
  });
}

/** The finish of the work for the nearest deadline that has planned slots: the end of its last slot before that deadline. */
function finishOf(slots: PlannedSlot[], outcomes: JobOutcome[]): number | null {
  if (slots.length === 0) return null;
  for (const outcome of [...outcomes].sort((a, b) => a.deadlineMs - b.deadlineMs)) {
    const lastBefore = slots.filter((s) => s.startMs < outcome.deadlineMs).at(-1);
    if (lastBefore !== undefined) return lastBefore.endMs;
  }
  return slots.at(-1)!.endMs;
}

export function assemblePlan(input: PlannerInput, horizon: Horizon, instances: JobInstance[], schedule: Schedule, meta: PlanMeta): Plan {
  const outcomes = jobOutcomes(instances, schedule.loadW, input, horizon, schedule.site);
  const zeros = horizon.slots.map(() => 0);
  const loads: LoadPlan[] = input.loads.map((load) => {
    const slots = plannedSlots(horizon, schedule.loadW.get(load.id) ?? zeros);
    const jobs = instances.filter((i) => i.load === load).map((i) => outcomes.get(i)!);
    return { loadId: load.id, slots, nextStartMs: slots[0]?.startMs ?? null, finishMs: finishOf(slots, jobs), jobs };
  });
  return { ...meta, cost: planCost(horizon.slots, schedule.site, input.site, input.battery), loads, site: schedule.site };
}
