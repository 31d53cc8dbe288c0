/**
 * The planner's battery flows as modes the battery can be told (docs/architecture.md "Battery"):
 * the plan says how much the battery charges or discharges per slot; a battery left to itself
 * already does self-consumption, so only where the plan differs from that does it get a mode:
 * charging while the site imports is charging from the grid, no discharge while the site imports
 * is hold, a discharge below what the battery could give while the site imports is a capped one.
 */
import { formatLocalClock, SLOT_MS, type Plan, type PlannerInput } from '../planner';
import { describeCommand, selfConsumption, type BatteryCommand, type BatteryMode } from './modes';

export interface PlannedBatterySlot {
  startMs: number;
  endMs: number;
  mode: BatteryMode;
  powerW: number;
  /** "planned: charge 3.0 kW, slot 02:00–02:15 at 0.08 €/kWh, SoC 40 → 52 %". */
  reason: string;
}

/** The battery's part of one plan: when it was made, and its slots in time order. */
export interface BatteryPlan {
  plannedAtMs: number;
  slots: readonly PlannedBatterySlot[];
}

/**
 * A plan this old is not followed: the planner replans every 15 minutes, so four missed plans mean
 * it has stopped (a crash, a lost site) and the battery goes back to what it does safely alone.
 */
export const BATTERY_PLAN_MAX_AGE_MS = 60 * 60_000;

/** Flows below this are solver noise or meter jitter, not a decision. */
const TOLERANCE_W = 50;
/** A state of charge this close to the minimum is empty: holding it and self-consumption are the same. */
const EMPTY_MARGIN_PCT = 1;

interface SlotFlows {
  batteryW: number;
  gridW: number;
  socStartPct: number;
}

function modeOf({ batteryW, gridW, socStartPct }: SlotFlows, minSocPct: number, maxDischargeW: number): { mode: BatteryMode; powerW: number } {
  const importing = gridW > TOLERANCE_W;
  if (importing && batteryW > TOLERANCE_W) return { mode: 'charge', powerW: Math.round(batteryW) };
  if (importing && batteryW < -TOLERANCE_W && -batteryW < maxDischargeW - TOLERANCE_W) return { mode: 'discharge', powerW: Math.round(-batteryW) };
  if (importing && Math.abs(batteryW) <= TOLERANCE_W && socStartPct > minSocPct + EMPTY_MARGIN_PCT) return { mode: 'hold', powerW: 0 };
  return { mode: 'self_consumption', powerW: 0 };
}

function priceText(price: number | null): string {
  return price === null ? 'price unknown' : `at ${price.toFixed(2)} €/kWh`;
}

/** The battery's part of a plan; undefined when the plan had no battery. A greedy plan leaves the battery to itself. */
export function batteryPlanOf(plan: Plan, input: PlannerInput): BatteryPlan | undefined {
  const battery = input.battery;
  if (!battery) return undefined;
  let socStartPct = battery.socPct;
  const slots = plan.site.map((site, t) => {
    const slot = input.slots[t];
    const startMs = site.startMs;
    const endMs = startMs + SLOT_MS;
    const span = `slot ${formatLocalClock(startMs, input.timeZone)}–${formatLocalClock(endMs, input.timeZone)} ${priceText(slot?.importEurPerKwh ?? null)}`;
    const socEndPct = site.socPct ?? socStartPct;
    const decided = plan.planner === 'greedy' ? { mode: 'self_consumption' as const, powerW: 0 } : modeOf({ batteryW: site.batteryW, gridW: site.gridW, socStartPct }, battery.minSocPct, battery.maxDischargeW);
    const why = plan.planner === 'greedy' ? 'greedy plan, the battery runs on its own' : `SoC ${Math.round(socStartPct)} → ${Math.round(socEndPct)} %`;
    socStartPct = socEndPct;
    return { startMs, endMs, ...decided, reason: `planned: ${describeCommand(decided)}, ${span}, ${why}` };
  });
  return { plannedAtMs: input.nowMs, slots };
}

/** Why the battery is not following a plan now, when the optimiser cannot trust its inputs. */
export interface BatteryCycleState {
  /** The site readings are stale: the reason the allocator gives. */
  staleReason?: string;
}

/**
 * The mode for the cycle at nowMs: the plan's slot holding now; self-consumption, with the reason,
 * when the site readings are stale, the plan is too old, or no slot of the plan holds now.
 */
export function batteryCommandAt({ plannedAtMs, slots }: BatteryPlan, nowMs: number, state: BatteryCycleState): BatteryCommand {
  if (state.staleReason !== undefined) return selfConsumption(`site readings stale (${state.staleReason}): self-consumption until they are fresh`);
  if (nowMs - plannedAtMs > BATTERY_PLAN_MAX_AGE_MS) return selfConsumption(`the battery plan is more than ${BATTERY_PLAN_MAX_AGE_MS / 60_000} min old (no new plan since): self-consumption`);
  const slot = slots.find((s) => s.startMs <= nowMs && nowMs < s.endMs);
  if (slot) return { mode: slot.mode, powerW: slot.powerW, reason: slot.reason };
  const last = slots.at(-1);
  if (last && last.endMs <= nowMs) return selfConsumption('the battery plan has run out (no new plan): self-consumption');
  return selfConsumption('the battery plan holds no slot for now: self-consumption');
}
