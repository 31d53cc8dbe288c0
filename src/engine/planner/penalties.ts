/**
 * Prices of broken promises. They dwarf any energy price (day-ahead prices have stayed within
 * ±0.5 EUR/kWh plus fees), so a promise is broken only when it cannot be kept, and then by as
 * little as possible. Exceeding the import cap costs more than missing a deadline because the
 * real-time allocator sheds loads at the cap anyway: a plan above it would not happen.
 */
import { SLOT_HOURS } from './horizon';

export const DEADLINE_PENALTY_EUR_PER_KWH = 100;
export const IMPORT_CAP_PENALTY_EUR_PER_KWH = 1000;

/** A missing runtime slot costs what its energy would cost as a missed energy deadline (at least 1 kW's worth). */
export function runtimeSlotPenaltyEur(maxPowerW: number): number {
  return DEADLINE_PENALTY_EUR_PER_KWH * SLOT_HOURS * Math.max(1, maxPowerW / 1000);
}
