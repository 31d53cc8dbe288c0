/**
 * The planner's slots as the optimiser follows them: per load id, power and reason per time span.
 * Each cycle a planned load gets the slot holding now as its `planned` floor (docs/allocator.md
 * "Planned slot"); the loads' own configs stay untouched, so a plan that ends simply stops applying.
 */
import type { LoadConfig } from '../allocator';

export interface PlannedPower {
  startMs: number;
  endMs: number;
  powerW: number;
  /** Why this slot was planned, e.g. "EV: 20.0 of 20.0 kWh by 07:00, slot 02:00–02:15 at 0.08 €/kWh". */
  reason: string;
}

/** Load id → its planned slots, in time order. */
export type PlannedSlots = Readonly<Record<string, readonly PlannedPower[]>>;

/** The config with the slot holding nowMs as its `planned` floor; unchanged when nothing is planned now. */
export function withPlannedSlot(config: LoadConfig, slots: PlannedSlots | undefined, nowMs: number): LoadConfig {
  const slot = slots?.[config.id]?.find((s) => s.startMs <= nowMs && nowMs < s.endMs);
  return slot && slot.powerW > 0 ? { ...config, planned: { powerW: slot.powerW, reason: slot.reason } } : config;
}
