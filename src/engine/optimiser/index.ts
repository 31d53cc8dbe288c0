/** The optimiser around the allocator: site inputs, registered loads, strategies, per-load figures. */
export { OptimiserSession } from './session';
export type { CycleResult, LoadChange, LoadFeedback, LoadUpdate, OptimiserSettings } from './session';
export type { CycleMessage } from './cycle-message';
export { parseMeasuredState } from './load-feedback';
export { commandRuns } from './load-output';
export type { LoadOutputPayload } from './load-output';
export { DEFAULT_STRATEGY, isStrategyName, STRATEGIES, STRATEGY_NAMES, strategyProblem } from './strategy';
export type { StrategyName } from './strategy';
export type { SiteSources } from './site-inputs';
export type { LoadDayStats } from './load-stats';
export { keptDayStats, resumedDayStats, type KeptDayStats } from './load-stats';
export { parsePrices, priceAt } from './price-now';
export type { TimedPrice } from './price-now';
export { parseRippleInputs } from './ripple-inputs';
export { changesToRestore, keptChanges } from './kept-changes';
export type { KeptChanges, SettingValues } from './kept-changes';
export { withPlannedSlot } from './planned-slots';
export type { PlannedPower, PlannedSlots } from './planned-slots';
