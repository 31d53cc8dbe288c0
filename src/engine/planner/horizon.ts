/** The slot grid the planner works on: 15-minute slots from the one holding "now". */
import type { PlannerInput, PlannerSlot } from './types';

export const SLOT_MS = 15 * 60_000;
export const SLOT_HOURS = SLOT_MS / 3_600_000;

export interface Horizon {
  slots: PlannerSlot[];
  startMs: number;
  endMs: number;
}

/** The input's slots from the one holding nowMs on; earlier ones are history and play no part. */
export function horizonOf(input: PlannerInput): Horizon {
  const slots = input.slots.filter((slot) => slot.startMs + SLOT_MS > input.nowMs);
  const startMs = slots.length > 0 ? slots[0].startMs : input.nowMs;
  return { slots, startMs, endMs: startMs + slots.length * SLOT_MS };
}

/** Index of the first slot starting at or after ms (slot 0 when ms is in the past). */
export function slotAtOrAfter(horizon: Horizon, ms: number): number {
  return Math.max(0, Math.ceil((ms - horizon.startMs) / SLOT_MS));
}

/** Number of whole slots that end by ms; may exceed the horizon for deadlines beyond it. */
export function slotsEndingBy(horizon: Horizon, ms: number): number {
  return Math.max(0, Math.floor((ms - horizon.startMs) / SLOT_MS));
}

export function slotStartMs(horizon: Horizon, index: number): number {
  return horizon.startMs + index * SLOT_MS;
}
