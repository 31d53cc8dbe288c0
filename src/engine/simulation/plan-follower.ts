/**
 * A plan as the allocator takes it: for each load and 15-minute slot, the planned power and the
 * reason it was planned (the promise it serves, the slot and its price), e.g.
 * `EV charger: 12.0 of 12.0 kWh by 06:30, slot 02:00–02:15 at 0.21 €/kWh`.
 */
import { SLOT_MS, type JobOutcome, type Plan, type PlannerInput } from '../planner';

export interface PlannedPower {
  powerW: number;
  reason: string;
}

export type PlanFollower = (loadId: string, nowMs: number) => PlannedPower | undefined;

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** The promise a slot serves: the job due first at or after the slot's end. */
function servedJob(jobs: readonly JobOutcome[], slotEndMs: number): JobOutcome | undefined {
  return jobs.filter((job) => job.deadlineMs >= slotEndMs).sort((a, b) => a.deadlineMs - b.deadlineMs)[0];
}

export function planFollower(plan: Plan, input: PlannerInput): PlanFollower {
  const priceAt = new Map(input.slots.map((slot) => [slot.startMs, slot.importEurPerKwh]));
  const byLoad = new Map(
    plan.loads.map((load) => {
      const slots = new Map<number, PlannedPower>();
      for (const slot of load.slots) {
        if (slot.powerW <= 0) continue;
        const job = servedJob(load.jobs, slot.endMs);
        const price = priceAt.get(slot.startMs);
        const priceText = price === null || price === undefined ? 'price not yet known' : `at ${price.toFixed(2)} €/kWh`;
        slots.set(slot.startMs, { powerW: slot.powerW, reason: `${job ? job.reason : 'planned'}, slot ${clock(slot.startMs)}–${clock(slot.endMs)} ${priceText}` });
      }
      return [load.loadId, slots];
    }),
  );
  return (loadId, nowMs) => byLoad.get(loadId)?.get(nowMs - (nowMs % SLOT_MS));
}
