/**
 * Energy counters of an MQTT meter: totals never go backwards (the counter guard), and a meter
 * that reports power but no totals gets import and export integrated from its power. The memory
 * is plain data so the node can keep it across restarts. Pure.
 */
import { guardCounters, type CounterDrop } from '../../engine/counter-guard';
import { integrate, NEW_INTEGRATOR, type IntegratorState } from '../../engine/energy-integrator';

export interface CounterMemory {
  /** Highest value accepted per counter. */
  highest: Record<string, number>;
  /** Present while totals are derived from power. */
  integrator?: IntegratorState;
}

export const NEW_COUNTER_MEMORY: CounterMemory = { highest: {} };

export const DERIVED_TOTALS = ['energy_import_kwh', 'energy_export_kwh'] as const;

/** Totals are derived only where the meter gives power and neither total: mixing the two would jump. */
export function derivesTotals(measurements: readonly string[]): boolean {
  return measurements.includes('power_w') && !DERIVED_TOTALS.some((n) => measurements.includes(n));
}

/**
 * Memory kept from before a stop: the power during the stop is unknown, so integration starts
 * again from the next sample instead of drawing a straight line across the gap.
 */
export function resumedMemory(memory: CounterMemory): CounterMemory {
  if (!memory.integrator?.last) return memory;
  const { last: _unknownSince, ...integrator } = memory.integrator;
  return { ...memory, integrator };
}

export interface CountedValues {
  values: Record<string, number>;
  dropped: CounterDrop[];
  memory: CounterMemory;
}

export function countValues(memory: CounterMemory, values: Readonly<Record<string, number>>, atMs: number, derive: boolean): CountedValues {
  let integrator = memory.integrator;
  let withTotals: Record<string, number> = { ...values };
  if (derive) {
    integrator = integrator ?? NEW_INTEGRATOR;
    if (values.power_w !== undefined) integrator = integrate(integrator, values.power_w, atMs);
    withTotals = { ...withTotals, energy_import_kwh: integrator.importKwh, energy_export_kwh: integrator.exportKwh };
  }
  const guarded = guardCounters(memory.highest, withTotals);
  return {
    values: guarded.values,
    dropped: guarded.dropped,
    memory: { highest: guarded.highest, ...(integrator ? { integrator } : {}) },
  };
}
