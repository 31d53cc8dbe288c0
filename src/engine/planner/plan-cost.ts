/** What a plan costs at the slots' prices: one definition for MILP, greedy and benchmarks. */
import { SLOT_HOURS } from './horizon';
import type { PlanCost, PlannerBattery, PlannerSite, PlannerSlot, SitePlanSlot } from './types';

export function planCost(slots: PlannerSlot[], site: SitePlanSlot[], siteSettings: PlannerSite, battery: PlannerBattery | undefined): PlanCost {
  let importEur = 0;
  let exportEur = 0;
  let wearEur = 0;
  let peakW = 0;
  site.forEach((flow, t) => {
    const importKwh = (Math.max(0, flow.gridW) * SLOT_HOURS) / 1000;
    const exportKwh = (Math.max(0, -flow.gridW) * SLOT_HOURS) / 1000;
    importEur += importKwh * (slots[t].importEurPerKwh ?? 0);
    exportEur += exportKwh * (slots[t].exportEurPerKwh ?? 0);
    wearEur += ((Math.max(0, -flow.batteryW) * SLOT_HOURS) / 1000) * (battery?.wearEurPerKwh ?? 0);
    peakW = Math.max(peakW, flow.gridW);
  });
  const demand = siteSettings.demandCharge;
  const demandChargeEur = demand === undefined ? 0 : (Math.max(0, peakW - demand.peakSoFarW) / 1000) * demand.eurPerKw;
  return { importEur, exportEur, demandChargeEur, wearEur, totalEur: importEur - exportEur + demandChargeEur + wearEur };
}
