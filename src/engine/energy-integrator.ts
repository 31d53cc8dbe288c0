/**
 * Energy counters for sources that only report power (an HA power sensor, a Shelly without
 * totals): import and export integrated separately, so both counters only ever rise. Pure.
 */

export interface IntegratorState {
  importKwh: number;
  exportKwh: number;
  /** The last power sample and when it was taken. */
  last?: { powerW: number; atMs: number };
}

export const NEW_INTEGRATOR: IntegratorState = { importKwh: 0, exportKwh: 0 };

/** Across a longer gap we know nothing about the power in between: count nothing, start again. */
export const MAX_GAP_MS = 5 * 60_000;

/**
 * Adds the energy since the last sample (trapezoid rule; where the power changes sign inside
 * the interval the zero crossing splits it into an import and an export part).
 */
export function integrate(state: IntegratorState, powerW: number, atMs: number): IntegratorState {
  const last = state.last;
  const next: IntegratorState = { ...state, last: { powerW, atMs } };
  if (!last || atMs <= last.atMs || atMs - last.atMs > MAX_GAP_MS || !Number.isFinite(powerW)) return next;
  const hours = (atMs - last.atMs) / 3_600_000;
  const [a, b] = [last.powerW, powerW];
  let importWh = 0;
  let exportWh = 0;
  if (a >= 0 && b >= 0) importWh = ((a + b) / 2) * hours;
  else if (a <= 0 && b <= 0) exportWh = (-(a + b) / 2) * hours;
  else {
    const zeroAt = a / (a - b);
    const first = (a / 2) * hours * zeroAt;
    const second = (b / 2) * hours * (1 - zeroAt);
    importWh = Math.max(first, 0) + Math.max(second, 0);
    exportWh = -Math.min(first, 0) - Math.min(second, 0);
  }
  return { ...next, importKwh: state.importKwh + importWh / 1000, exportKwh: state.exportKwh + exportWh / 1000 };
}
