/** The planner: cheapest plan for deadline jobs over 24–48 h of 15-minute slots (docs/planner.md). */
export { plan, planGreedy, ABSOLUTE_GAP_EUR, DEFAULT_NODE_LIMIT, DEFAULT_RELATIVE_GAP, DEFAULT_TIME_LIMIT_MS } from './plan';
export { loadHighsSolver, highsSolver } from './highs-solver';
export { validatePlannerInput } from './validate';
export type { ValidationError } from '../validation';
export { buildModel } from './build-model';
export { horizonOf, SLOT_HOURS, SLOT_MS } from './horizon';
export { formatLocalClock } from '../local-time';
export { maxPowerW, minRunningPowerW } from './load-power';
export { jobInstances } from './job-instances';
export { selfConsumptionDispatch } from './dispatch';
export { planCost } from './plan-cost';
export { marginalCostsEurPerKwh } from './slot-cost';
export type * from './types';
