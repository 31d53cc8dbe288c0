/** The shapes one load's decision passes between the deciding modules and `allocate`. */
import type { SwitchGuard } from './anti-cycling';
import type { ResolvedLoad } from './defaults';
import type { LoadPlan } from './load-kinds';
import type { Reason } from './reasons';
import type { LoadMemory } from './types';

export interface LoadTimers {
  upSinceMs: number | null;
  downSinceMs: number | null;
  phaseSwitchSinceMs: number | null;
}

export const NO_TIMERS: LoadTimers = { upSinceMs: null, downSinceMs: null, phaseSwitchSinceMs: null };

export interface DecisionContext {
  load: ResolvedLoad;
  memory: LoadMemory;
  /** The plan last commanded. */
  current: LoadPlan;
  /** Surplus left for this load after higher-priority loads and everyone's mandatory power. */
  budgetW: number;
  nowMs: number;
  voltageV: number;
  /** The household's clock, for times in reasons. */
  timeZone: string;
  guard: SwitchGuard;
  gridPriceEurPerKwh?: number;
  /** What the surplus earns exported now: the feed-in price, 0 while PV is curtailed anyway; omitted = unknown. */
  surplusEurPerKwh?: number;
}

export interface LoadDecision {
  plan: LoadPlan;
  /** What the load takes from the budget: its plan, or more while it waits to start or step up. */
  consumptionW: number;
  reason: Reason;
  timers: LoadTimers;
}
