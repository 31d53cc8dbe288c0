/**
 * Surplus = export + what the managed loads draw now. Counting the managed loads' own draw means
 * switching a load on does not shrink the surplus it was switched on for, so the controller never
 * chases itself. The battery policy then decides how much of the battery's power loads may use.
 */
import type { ResolvedSettings } from './defaults';
import type { BatteryPolicy, SiteState } from './types';

type BatteryRule<K extends BatteryPolicy['kind']> = (
  policy: Extract<BatteryPolicy, { kind: K }>,
  batteryPowerW: number,
  socPct: number | undefined,
) => number;

/**
 * Battery power loads may use (negative: power they must give back because the battery is
 * discharging into them). An unknown state of charge counts as below every threshold.
 */
const BATTERY_AVAILABLE_W: { [K in BatteryPolicy['kind']]: BatteryRule<K> } = {
  loads_first: (_policy, batteryPowerW) => batteryPowerW,
  battery_first_until_soc: (policy, batteryPowerW, socPct) =>
    socPct !== undefined && socPct >= policy.socPct ? batteryPowerW : Math.min(0, batteryPowerW),
  battery_may_discharge_to_soc: (policy, batteryPowerW, socPct) =>
    socPct !== undefined && socPct > policy.socPct ? batteryPowerW + policy.maxDischargeW : batteryPowerW,
};

export interface SurplusBreakdown {
  surplusW: number;
  managedDrawW: number;
  batteryW: number;
  marginW: number;
}

function batteryAvailableW(policy: BatteryPolicy, site: SiteState): number {
  const rule = BATTERY_AVAILABLE_W[policy.kind] as BatteryRule<BatteryPolicy['kind']>;
  return rule(policy, site.batteryPowerW ?? 0, site.batterySocPct);
}

export function computeSurplus(site: SiteState, managedDrawW: number, settings: ResolvedSettings): SurplusBreakdown {
  const batteryW = batteryAvailableW(settings.battery, site);
  return {
    surplusW: -site.gridPowerW + managedDrawW + batteryW - settings.marginW,
    managedDrawW,
    batteryW,
    marginW: settings.marginW,
  };
}

/**
 * Grid power once the loads change by `loadDeltaW`. Battery power the policy lets loads use is
 * assumed to follow them (a battery regulating to zero grid charges less or discharges more), so
 * only the rest of an increase reaches the grid.
 */
export function projectGridPowerW(gridPowerW: number, loadDeltaW: number, batteryW: number): number {
  const absorbedByBatteryW = Math.min(Math.max(0, loadDeltaW), Math.max(0, batteryW));
  return gridPowerW + loadDeltaW - absorbedByBatteryW;
}
