/**
 * Site flows for a fixed load schedule with the battery in plain self-consumption: it charges
 * from surplus and discharges into deficit, as a home battery does on its own. Greedy plans and
 * benchmark baselines use it; the MILP decides the battery itself.
 */
import { SLOT_HOURS } from './horizon';
import type { PlannerBattery, PlannerSite, PlannerSlot, SitePlanSlot } from './types';

export function selfConsumptionDispatch(slots: PlannerSlot[], loadW: number[], site: PlannerSite, battery: PlannerBattery | undefined): SitePlanSlot[] {
  const oneWay = battery === undefined ? 1 : Math.sqrt(battery.roundTripEfficiency);
  let storedWh = battery === undefined ? 0 : (battery.capacityWh * battery.socPct) / 100;
  const minWh = battery === undefined ? 0 : Math.min(storedWh, (battery.capacityWh * battery.minSocPct) / 100);
  const maxWh = battery === undefined ? 0 : Math.max(storedWh, (battery.capacityWh * battery.maxSocPct) / 100);
  return slots.map((slot, t) => {
    const pvW = Math.max(0, slot.pvForecastW);
    const netW = slot.baseLoadForecastW + loadW[t] - pvW;
    let batteryW = 0;
    if (battery !== undefined && netW < 0) {
      batteryW = Math.min(-netW, battery.maxChargeW, (maxWh - storedWh) / (oneWay * SLOT_HOURS));
    } else if (battery !== undefined && netW > 0) {
      batteryW = -Math.min(netW, battery.maxDischargeW, ((storedWh - minWh) * oneWay) / SLOT_HOURS);
    }
    storedWh += batteryW >= 0 ? batteryW * oneWay * SLOT_HOURS : (batteryW / oneWay) * SLOT_HOURS;
    const gridBeforeLimitW = netW + batteryW;
    const exportLimitW = site.exportLimitW ?? Number.POSITIVE_INFINITY;
    const exportPrice = slot.exportEurPerKwh ?? 0;
    // Exporting at a negative price costs money: the inverter curtails instead.
    const allowedExportW = exportPrice < 0 ? 0 : exportLimitW;
    const curtailedW = Math.min(pvW, Math.max(0, -gridBeforeLimitW - allowedExportW));
    return {
      startMs: slot.startMs,
      gridW: gridBeforeLimitW + curtailedW,
      batteryW,
      socPct: battery === undefined ? null : (storedWh / battery.capacityWh) * 100,
      pvUsedW: pvW - curtailedW,
      pvCurtailedW: curtailedW,
    };
  });
}
