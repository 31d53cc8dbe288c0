/**
 * The planner's slots as the optimiser follows them: per load id, power and reason per time span.
 * Each cycle a planned load gets the slot holding now as its `planned` floor (docs/allocator.md
 * "Planned slot"), and the dearest slot the plan still has for its job as `plannedLater`, against
 * which surplus now is weighed ("Surplus against the plan"). The loads' own configs stay
 * untouched, so a plan that ends simply stops applying.
 */
import type { LoadConfig } from '../allocator';

export interface PlannedPower {
  startMs: number;
  endMs: number;
  powerW: number;
  /** Why this slot was planned, e.g. "EV: 20.0 of 20.0 kWh by 07:00, slot 02:00–02:15 at 0.08 €/kWh". */
  reason: string;
  /** The slot in local time, "02:00–02:15". */
  span: string;
  /** What a kWh of this load costs the plan in this slot (planner/slot-cost.ts); null: price not known yet. */
  costEurPerKwh: number | null;
  /** Deadline of the job the slot serves; null when it serves none. */
  deadlineMs: number | null;
}

/** Load id → its planned slots, in time order. */
export type PlannedSlots = Readonly<Record<string, readonly PlannedPower[]>>;

/** What the plan says to one load now. */
export type PlanNow = Pick<LoadConfig, 'planned' | 'plannedLater'>;

/**
 * The dearest slot after now that serves the same job as the plan's next slot: energy the load
 * takes now is energy that slot need not draw. None when a price there is unknown, since then
 * nothing says the energy is cheaper later.
 */
function dearestLater(slots: readonly PlannedPower[], nowMs: number): LoadConfig['plannedLater'] {
  const later = slots.filter((s) => s.startMs > nowMs);
  const job = later[0]?.deadlineMs;
  const sameJob = later.filter((s) => s.deadlineMs === job);
  if (sameJob.length === 0 || sameJob.some((s) => s.costEurPerKwh === null)) return undefined;
  const dearest = sameJob.reduce((a, b) => (b.costEurPerKwh! > a.costEurPerKwh! ? b : a));
  return { eurPerKwh: dearest.costEurPerKwh!, slot: dearest.span };
}

export function planNow(slots: readonly PlannedPower[] | undefined, nowMs: number): PlanNow {
  if (!slots) return {};
  const slot = slots.find((s) => s.startMs <= nowMs && nowMs < s.endMs);
  const plannedLater = dearestLater(slots, nowMs);
  return {
    ...(slot && slot.powerW > 0 ? { planned: { powerW: slot.powerW, reason: slot.reason } } : {}),
    ...(plannedLater ? { plannedLater } : {}),
  };
}

/** The config with what the plan says now; unchanged when the plan says nothing about this load. */
export function withPlannedSlot(config: LoadConfig, slots: PlannedSlots | undefined, nowMs: number): LoadConfig {
  const now = planNow(slots?.[config.id], nowMs);
  return now.planned || now.plannedLater ? { ...config, ...now } : config;
}
