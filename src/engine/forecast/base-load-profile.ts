/**
 * Base-load forecast from the last 14–30 days: for each slot the mean at the same local time of
 * day on the same weekday, blended half and half with the mean over all recent days at that time.
 * Four or so samples per weekday are noisy; the all-days mean steadies them while the weekday
 * mean keeps weekend mornings apart from workday ones. Local time, because households live by it.
 */
import { localParts, wallClockToMs } from '../local-time';
import { mean, powerAt, type MeasuredSeries } from './measured-series';

export const DEFAULT_BASE_LOAD_DAYS = 28;

function sameTimeDaysBefore(slotMs: number, daysBefore: number, timeZone: string): number {
  const p = localParts(slotMs, timeZone);
  return wallClockToMs(p.year, p.month, p.day - daysBefore, p.hour * 60 + p.minute, timeZone);
}

/** Forecast W for each slot start from what was measured before nowMs; 0 where the history has nothing. */
export function baseLoadProfileForecast(history: MeasuredSeries, slotStartsMs: number[], nowMs: number, timeZone: string, days = DEFAULT_BASE_LOAD_DAYS): number[] {
  if (days < 1 || days > 90) throw new Error(`days = ${days}: give 14 to 30 days of history (1 to 90 accepted)`);
  return slotStartsMs.map((slotMs) => {
    const all: number[] = [];
    const sameWeekday: number[] = [];
    for (let k = 1; k <= days + 7; k += 1) {
      const atMs = sameTimeDaysBefore(slotMs, k, timeZone);
      if (atMs >= nowMs || atMs < nowMs - days * 86_400_000) continue;
      const value = powerAt(history, atMs);
      if (value === undefined) continue;
      all.push(value);
      if (k % 7 === 0) sameWeekday.push(value);
    }
    const allMean = mean(all);
    const weekdayMean = mean(sameWeekday);
    if (allMean === undefined) return 0;
    return weekdayMean === undefined ? allMean : (weekdayMean + allMean) / 2;
  });
}
