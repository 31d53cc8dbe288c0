/**
 * A home battery that follows the house: it charges from what would be exported and discharges
 * to cover what would be imported, within its power and state-of-charge limits; under the planner
 * it is told a mode each step (hold, charge from the grid, a discharge cap) as hems-battery tells a real one.
 */
import type { BatteryCommand, BatteryMode } from '../battery';
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

type ModePower = (spec: BatterySpec, socPct: number, surplusW: number, powerW: number, stepSeconds: number) => number;

/** What each mode (src/engine/battery/modes.ts) makes the battery do with the surplus (− = deficit). */
const MODE_POWER: Record<BatteryMode, ModePower> = {
  self_consumption: (spec, soc, surplusW, _powerW, step) => batteryPowerW(spec, soc, surplusW, step),
  // No discharge; PV surplus may still charge it.
  hold: (spec, soc, surplusW, _powerW, step) => (surplusW > 0 ? batteryPowerW(spec, soc, surplusW, step) : 0),
  // At least the commanded power, the grid covering what PV does not; more where the surplus is larger.
  charge: (spec, soc, surplusW, powerW, step) => batteryPowerW(spec, soc, Math.max(surplusW, powerW), step),
  discharge: (spec, soc, surplusW, powerW, step) => Math.max(-powerW, batteryPowerW(spec, soc, surplusW, step)),
};

/** Battery power (+ charging, − discharging) under the mode it was told, as a real battery driven by hems-battery gives it. */
export function commandedBatteryPowerW(spec: BatterySpec, socPct: number, surplusW: number, command: Pick<BatteryCommand, 'mode' | 'powerW'>, stepSeconds: number): number {
  return MODE_POWER[command.mode](spec, socPct, surplusW, command.powerW, stepSeconds);
}
