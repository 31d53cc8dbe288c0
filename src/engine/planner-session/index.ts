/** The planner in a running system: jobs, prices and measurements in, the plan the optimiser follows out. */
export { PlannerSession, plannerBatteryAt } from './session';
export type { OptimiserView, PlannerBatterySettings, PlannerSettings, PlannerState } from './session';
export { parseConfiguredJobs, parseJobMessage } from './jobs';
export type { JobMessage, LoadJob } from './jobs';
export { parseTariff } from './price-table';
export type { TariffPeriod } from './price-table';
export { parsePvForecast } from './horizon-slots';
export type { PvForecastSlot } from './horizon-slots';
export { priceFlags } from './price-flags';
export type { PriceFlags } from './price-flags';
export { loadPlanViews, plannedSlotsOf, PROMISE_STATES } from './plan-view';
export type { LoadPlanView, PromiseState } from './plan-view';
export { loadPowerOf } from './load-power';
export { inProcessPlanSolver, plannerInputOf, planRequest } from './plan-request';
export type { LoadProgress, PlanOutcome, PlanRequest, PlanSolver } from './plan-request';
export { SlotIntegrals } from './slot-integrals';
export { PlanRequests } from './plan-requests';
