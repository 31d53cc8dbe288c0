/**
 * The one way grid limits take power back: reduce the lowest-priority eligible load by one step,
 * re-measure, repeat. A load is reduced all the way before the next one up is touched.
 */
import { NO_TIMERS } from './decision';
import { kindOf, type LoadPlan } from './load-kinds';
import type { PlannedLoad } from './planned-load';
import type { Reason } from './reasons';

export interface ShedRule {
  /** How far the plan is over the limit now, in the rule's own unit (W or A). */
  excess: (entries: PlannedLoad[]) => number;
  eligible: (entry: PlannedLoad) => boolean;
  /** Power the entry should give back to clear `excess`. */
  neededW: (entry: PlannedLoad, excess: number) => number;
  reason: (state: string) => Reason;
}

export interface ShedResult {
  entries: PlannedLoad[];
  reducedLoads: number;
}

/** "shed" when off, "lock" for SG Ready, else the level it was reduced to. */
function limitedState(entry: PlannedLoad, plan: LoadPlan): string {
  if (plan.sgReadyState === 'lock') return 'lock';
  if (plan.rung === 0) return 'shed';
  return `reduced to ${kindOf(entry.load).stateLabel(entry.load, plan)}`;
}

function reduceOnce(entry: PlannedLoad, neededW: number, voltageV: number): LoadPlan | null {
  return kindOf(entry.load).reduce(entry.load, entry.plan, neededW, voltageV);
}

/** `entries` must be in priority order, highest priority first. */
export function shedLowestPriorityFirst(entries: PlannedLoad[], rule: ShedRule, voltageV: number): ShedResult {
  const working = [...entries];
  const reducedIds = new Set<string>();
  for (let excess = rule.excess(working); excess > 0; excess = rule.excess(working)) {
    let reducedOne = false;
    for (let position = working.length - 1; position >= 0 && !reducedOne; position -= 1) {
      const entry = working[position];
      if (entry === undefined || !rule.eligible(entry)) continue;
      const plan = reduceOnce(entry, rule.neededW(entry, excess), voltageV);
      if (plan === null) continue;
      working[position] = { ...entry, plan, reason: rule.reason(limitedState(entry, plan)), timers: NO_TIMERS };
      reducedIds.add(entry.load.id);
      reducedOne = true;
    }
    if (!reducedOne) break;
  }
  return { entries: working, reducedLoads: reducedIds.size };
}
