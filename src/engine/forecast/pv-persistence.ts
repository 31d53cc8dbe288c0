/**
 * PV persistence: the next days produce what the last days did at the same time of day, as the
 * mean of the last `days` days (3 by default: one cloudy day should not make a sunny forecast dark).
 * UTC days, not local ones: the sun keeps solar time across DST switches.
 */
import { mean, powerAt, type MeasuredSeries } from './measured-series';

const DAY_MS = 86_400_000;
export const DEFAULT_PV_PERSISTENCE_DAYS = 3;

/** Forecast W for each slot start; 0 where no day of the history covers that time. */
export function pvPersistenceForecast(history: MeasuredSeries, slotStartsMs: number[], nowMs: number, days = DEFAULT_PV_PERSISTENCE_DAYS): number[] {
  return slotStartsMs.map((slotMs) => {
    const daysBack = Math.max(1, Math.ceil((slotMs + 1 - nowMs) / DAY_MS));
    const values: number[] = [];
    for (let k = daysBack; k < daysBack + days; k += 1) {
      const value = powerAt(history, slotMs - k * DAY_MS);
      if (value !== undefined) values.push(Math.max(0, value));
    }
    return mean(values) ?? 0;
  });
}
