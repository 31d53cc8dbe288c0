/** The home battery as the plan wants it and as it is told (docs/architecture.md "Battery"). */
export { BATTERY_MODES, describeCommand, isBatteryMode, selfConsumption } from './modes';
export type { BatteryCommand, BatteryMode } from './modes';
export { BATTERY_PLAN_MAX_AGE_MS, batteryCommandAt, batteryPlanOf } from './planned-battery';
export type { BatteryCycleState, BatteryPlan, PlannedBatterySlot } from './planned-battery';
export { batteryActuation } from './actuation';
export type { BatteryActuationInput, OptimiserBatteryCommand } from './actuation';
