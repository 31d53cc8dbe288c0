/**
 * A home battery that follows the house: it charges from what would be exported and discharges
 * to cover what would be imported, within its power and state-of-charge limits.
 */
import type { BatterySpec } from './scenario';

const J_PER_KWH = 3_600_000;

/** Battery power (+ charging, − discharging) for a surplus of `surplusW` (− = deficit) over the step. */
export function batteryPowerW(spec: BatterySpec, socPct: number, surplusW: number, stepSeconds: number): number {
  const oneWay = Math.sqrt(spec.efficiency);
  if (surplusW > 0) {
    const roomKwh = (Math.max(0, spec.maxSocPct - socPct) / 100) * spec.capacityKwh;
    return Math.min(surplusW, spec.maxChargeW, (roomKwh * J_PER_KWH) / (stepSeconds * oneWay));
  }
  const availableKwh = (Math.max(0, socPct - spec.minSocPct) / 100) * spec.capacityKwh;
  return -Math.min(-surplusW, spec.maxDischargeW, (availableKwh * J_PER_KWH * oneWay) / stepSeconds);
}

export function socAfter(spec: BatterySpec, socPct: number, powerW: number, stepSeconds: number): number {
  const oneWay = Math.sqrt(spec.efficiency);
  const cellKwh = ((powerW > 0 ? powerW * oneWay : powerW / oneWay) * stepSeconds) / J_PER_KWH;
  return Math.min(spec.maxSocPct, Math.max(spec.minSocPct, socPct + (cellKwh / spec.capacityKwh) * 100));
}
