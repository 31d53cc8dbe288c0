/** MILP column values → a schedule, in W; solver noise below a milliwatt reads as zero. */
import type { Schedule } from './assemble-plan';
import type { ModelLayout } from './build-model';
import type { Horizon } from './horizon';
import type { PlannerInput } from './types';

function watts(kw: number): number {
  const w = kw * 1000;
  return Math.abs(w) < 1e-3 ? 0 : w;
}

export function readSolution(values: ArrayLike<number>, layout: ModelLayout, input: PlannerInput, horizon: Horizon): Schedule {
  const loadW = new Map<string, number[]>();
  for (const [loadId, columns] of layout.loads) {
    loadW.set(loadId, columns.powerKw.map((terms) => watts(terms.reduce((sum, t) => sum + t.coefficient * values[t.column], 0))));
  }
  const capacityKwh = (input.battery?.capacityWh ?? 0) / 1000;
  const site = horizon.slots.map((slot, t) => {
    const batteryW = layout.chargeKw === null ? 0 : watts(values[layout.chargeKw[t]] - values[layout.dischargeKw![t]]);
    const pvUsedW = watts(values[layout.pvUsedKw[t]]);
    return {
      startMs: slot.startMs,
      gridW: watts(values[layout.importKw[t]] - values[layout.exportKw[t]]),
      batteryW,
      socPct: layout.storedKwh === null ? null : (values[layout.storedKwh[t]] / capacityKwh) * 100,
      pvUsedW,
      pvCurtailedW: Math.max(0, Math.max(0, slot.pvForecastW) - pvUsedW),
    };
  });
  return { loadW, site };
}
