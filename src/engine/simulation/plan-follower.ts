/**
 * A plan as the allocator takes it inside `hems simulate`: the same slots, reasons and
 * `plannedLater` weighing that hems-optimiser follows (optimiser/planned-slots.ts), worked out
 * once per load and 15-minute slot, since they hold for the whole slot.
 */
import { planNow, type PlanNow } from '../optimiser/planned-slots';
import { SLOT_MS, type Plan, type PlannerInput } from '../planner';
import { plannedSlotsOf } from '../planner-session/plan-view';

export type PlanFollower = (loadId: string, nowMs: number) => PlanNow;

export function planFollower(plan: Plan, input: PlannerInput): PlanFollower {
  const slots = plannedSlotsOf(plan, input);
  const bySlot = new Map<string, PlanNow>();
  return (loadId, nowMs) => {
    const slotStartMs = nowMs - (nowMs % SLOT_MS);
    const key = `${loadId}@${slotStartMs}`;
    let now = bySlot.get(key);
    if (now === undefined) {
      now = planNow(slots[loadId], slotStartMs);
      bySlot.set(key, now);
    }
    return now;
  };
}
