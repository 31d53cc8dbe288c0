/**
 * The canonical measurement vocabulary (shared/reference/measurements.md): every source emits
 * readings under these names, units and signs, so any source can feed any consumer.
 */

/** What kind of physical quantity a measurement is; decides HA device_class and counter rules. */
export type Quantity =
  | 'power'
  | 'reactive_power'
  | 'apparent_power'
  | 'power_factor'
  | 'voltage'
  | 'current'
  | 'frequency'
  | 'energy'
  | 'reactive_energy'
  | 'percent'
  | 'battery'
  | 'count';

/** Decimals worth showing a person; finer digits are below what meters resolve. */
export const DISPLAY_PRECISION: Record<Quantity, number> = {
  power: 0,
  reactive_power: 0,
  apparent_power: 0,
  power_factor: 2,
  voltage: 1,
  current: 2,
  frequency: 2,
  energy: 2,
  reactive_energy: 2,
  percent: 1,
  battery: 0,
  count: 0,
};

export interface MeasurementSpec {
  quantity: Quantity;
  unit: string;
  label: string;
}

const PHASES = ['l1', 'l2', 'l3'] as const;
const PHASE_LABELS: Record<(typeof PHASES)[number], string> = { l1: 'L1', l2: 'L2', l3: 'L3' };

function spec(quantity: Quantity, unit: string, label: string): MeasurementSpec {
  return { quantity, unit, label };
}

/** `<prefix>_l1<suffix>` … `_l3` entries; per-phase names follow one pattern throughout. */
function perPhase(prefix: string, suffix: string, quantity: Quantity, unit: string, label: string) {
  return Object.fromEntries(
    PHASES.map((p) => [`${prefix}_${p}${suffix}`, spec(quantity, unit, `${label} ${PHASE_LABELS[p]}`)]),
  );
}

export const MEASUREMENTS: Readonly<Record<string, MeasurementSpec>> = {
  power_w: spec('power', 'W', 'Power'),
  ...perPhase('power', '_w', 'power', 'W', 'Power'),
  reactive_power_var: spec('reactive_power', 'var', 'Reactive power'),
  ...perPhase('reactive_power', '_var', 'reactive_power', 'var', 'Reactive power'),
  apparent_power_va: spec('apparent_power', 'VA', 'Apparent power'),
  ...perPhase('apparent_power', '_va', 'apparent_power', 'VA', 'Apparent power'),
  power_factor: spec('power_factor', '', 'Power factor'),
  ...perPhase('power_factor', '', 'power_factor', '', 'Power factor'),
  ...perPhase('voltage', '_v', 'voltage', 'V', 'Voltage'),
  voltage_l1_l2_v: spec('voltage', 'V', 'Voltage L1-L2'),
  voltage_l2_l3_v: spec('voltage', 'V', 'Voltage L2-L3'),
  voltage_l3_l1_v: spec('voltage', 'V', 'Voltage L3-L1'),
  ...perPhase('current', '_a', 'current', 'A', 'Current'),
  current_n_a: spec('current', 'A', 'Current N'),
  frequency_hz: spec('frequency', 'Hz', 'Frequency'),
  energy_import_kwh: spec('energy', 'kWh', 'Energy import'),
  energy_export_kwh: spec('energy', 'kWh', 'Energy export'),
  ...perPhase('energy_import', '_kwh', 'energy', 'kWh', 'Energy import'),
  ...perPhase('energy_export', '_kwh', 'energy', 'kWh', 'Energy export'),
  energy_import_t1_kwh: spec('energy', 'kWh', 'Energy import tariff 1'),
  energy_import_t2_kwh: spec('energy', 'kWh', 'Energy import tariff 2'),
  reactive_energy_import_kvarh: spec('reactive_energy', 'kvarh', 'Reactive energy import'),
  reactive_energy_export_kvarh: spec('reactive_energy', 'kvarh', 'Reactive energy export'),
  ...perPhase('thd_voltage', '_pct', 'percent', '%', 'Voltage THD'),
  ...perPhase('thd_current', '_pct', 'percent', '%', 'Current THD'),
  pv_power_w: spec('power', 'W', 'PV power'),
  pv_energy_kwh: spec('energy', 'kWh', 'PV energy'),
  inverter_power_w: spec('power', 'W', 'Inverter power'),
  battery_power_w: spec('power', 'W', 'Battery power'),
  battery_soc_pct: spec('battery', '%', 'Battery state of charge'),
  battery_charge_energy_kwh: spec('energy', 'kWh', 'Battery charge energy'),
  battery_discharge_energy_kwh: spec('energy', 'kWh', 'Battery discharge energy'),
  load_power_w: spec('power', 'W', 'Load power'),
  pulse_count: spec('count', '', 'Pulse count'),
  pulse_total: spec('count', '', 'Pulse total'),
};

export type MeasurementName = keyof typeof MEASUREMENTS;

export function isMeasurementName(name: string): name is MeasurementName {
  return Object.prototype.hasOwnProperty.call(MEASUREMENTS, name);
}

/** Lifetime counters must never go backwards (HA's energy dashboard reads a decrease as a reset). */
export function isCounter(name: string): boolean {
  const quantity = MEASUREMENTS[name]?.quantity;
  return quantity === 'energy' || quantity === 'reactive_energy';
}
