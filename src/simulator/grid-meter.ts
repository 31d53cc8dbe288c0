/**
 * The grid meter of the simulated household: per-phase values and lifetime counters in the
 * canonical vocabulary, so any profile can serve them. Pure: state in, state out.
 */
import type { HouseholdPower } from './household';

export interface GridMeterState {
  energyImportKwh: number[];
  energyExportKwh: number[];
}

export const NEW_GRID_METER: GridMeterState = { energyImportKwh: [1520.4, 1310.2, 1188.9], energyExportKwh: [803.1, 798.6, 801.2] };

/** How the house spreads over the phases: most appliances on L1, PV inverter balanced. */
const LOAD_SHARE = [0.45, 0.3, 0.25];
const PV_SHARE = [1 / 3, 1 / 3, 1 / 3];
const PHASES = ['l1', 'l2', 'l3'] as const;

function wobble(simMs: number, phase: number, scale: number): number {
  return Math.sin(simMs / 7919 + phase * 2.1) * scale;
}

export function stepGridMeter(state: GridMeterState, power: HouseholdPower, dtMs: number, simMs: number) {
  const hours = dtMs / 3_600_000;
  const values: Record<string, number> = {};
  const next: GridMeterState = { energyImportKwh: [...state.energyImportKwh], energyExportKwh: [...state.energyExportKwh] };
  let totalP = 0;
  let totalQ = 0;
  PHASES.forEach((phase, i) => {
    const p = power.loadW * LOAD_SHARE[i] - power.pvW * PV_SHARE[i];
    // Household loads lag (motors, supplies); an exporting inverter runs near cos φ 1.
    const pf = p >= 0 ? 0.93 + wobble(simMs, i, 0.03) : 0.99;
    const q = p >= 0 ? p * Math.tan(Math.acos(pf)) : 60;
    const v = 230 + wobble(simMs, i + 3, 2.5);
    const s = Math.hypot(p, q);
    values[`voltage_${phase}_v`] = v;
    values[`current_${phase}_a`] = s / v;
    values[`power_${phase}_w`] = p;
    values[`reactive_power_${phase}_var`] = q;
    values[`apparent_power_${phase}_va`] = s;
    values[`power_factor_${phase}`] = s > 0 ? Math.abs(p) / s : 1;
    values[`thd_voltage_${phase}_pct`] = 1.8 + wobble(simMs, i + 6, 0.3);
    values[`thd_current_${phase}_pct`] = 12 + wobble(simMs, i + 9, 4);
    next.energyImportKwh[i] += (Math.max(0, p) * hours) / 1000;
    next.energyExportKwh[i] += (Math.max(0, -p) * hours) / 1000;
    values[`energy_import_${phase}_kwh`] = next.energyImportKwh[i];
    values[`energy_export_${phase}_kwh`] = next.energyExportKwh[i];
    totalP += p;
    totalQ += q;
  });
  const totalS = Math.hypot(totalP, totalQ);
  values.power_w = totalP;
  values.reactive_power_var = totalQ;
  values.apparent_power_va = totalS;
  values.power_factor = totalS > 0 ? Math.abs(totalP) / totalS : 1;
  values.voltage_l1_l2_v = values.voltage_l1_v * Math.sqrt(3);
  values.voltage_l2_l3_v = values.voltage_l2_v * Math.sqrt(3);
  values.voltage_l3_l1_v = values.voltage_l3_v * Math.sqrt(3);
  values.current_n_a = Math.abs(values.current_l1_a - values.current_l2_a) * 0.5;
  values.frequency_hz = 50 + wobble(simMs, 12, 0.03);
  // Lifetime totals are the sums of the phase registers, as on a real meter.
  values.energy_import_kwh = next.energyImportKwh.reduce((a, b) => a + b);
  values.energy_export_kwh = next.energyExportKwh.reduce((a, b) => a + b);
  values.reactive_energy_import_kvarh = values.energy_import_kwh * 0.31;
  values.reactive_energy_export_kvarh = values.energy_export_kwh * 0.02;
  return { state: next, values };
}
