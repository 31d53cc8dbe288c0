/**
 * When readings cannot be trusted the allocator cannot know the surplus, so each load goes to
 * the state its owner chose for that case. `on` means what mode `on` means for the load.
 */
import type { ResolvedLoad } from './defaults';
import { kindOf, type LoadPlan } from './load-kinds';
import type { SafeState } from './types';

const SAFE_PLANS: Record<SafeState, (load: ResolvedLoad, current: LoadPlan, voltageV: number) => LoadPlan> = {
  off: (load) => kindOf(load).offPlan(load),
  on: (load, _current, voltageV) => kindOf(load).fullPlan(load, voltageV),
  hold: (_load, current) => current,
};

export function safePlan(load: ResolvedLoad, current: LoadPlan, voltageV: number): LoadPlan {
  return SAFE_PLANS[load.safeState](load, current, voltageV);
}

export function safeStateLabel(load: ResolvedLoad, plan: LoadPlan): string {
  return load.safeState === 'hold' ? 'held' : kindOf(load).stateLabel(load, plan);
}
