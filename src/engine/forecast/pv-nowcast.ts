/**
 * PV persistence corrected by what the panels give right now: the forecast is scaled by the
 * ratio of measured to forecast PV over the last two hours, fading back to plain persistence over
 * the next six. A cloudy morning after three sunny days then plans a cloudy noon, not a sunny one.
 */
import { powerAt, type MeasuredSeries } from './measured-series';
import { DEFAULT_PV_PERSISTENCE_DAYS, pvPersistenceForecast } from './pv-persistence';

const LOOK_BACK_MS = 2 * 3_600_000;
const FADE_MS = 6 * 3_600_000;
/** Below this much forecast energy (Wh) over the look-back, the ratio says nothing (night, dawn). */
const MIN_FORECAST_WH = 200;
const RATIO_RANGE = { min: 0.1, max: 2 };

export function pvNowcastForecast(history: MeasuredSeries, slotStartsMs: number[], nowMs: number, days = DEFAULT_PV_PERSISTENCE_DAYS): number[] {
  const forecast = pvPersistenceForecast(history, slotStartsMs, nowMs, days);
  const pastStarts: number[] = [];
  for (let ms = nowMs - LOOK_BACK_MS; ms < nowMs; ms += history.stepMs) pastStarts.push(ms);
  const pastForecast = pvPersistenceForecast(history, pastStarts, nowMs - LOOK_BACK_MS, days);
  const hours = history.stepMs / 3_600_000;
  const forecastWh = pastForecast.reduce((sum, w) => sum + w * hours, 0);
  const measuredWh = pastStarts.reduce((sum, ms) => sum + Math.max(0, powerAt(history, ms) ?? 0) * hours, 0);
  if (forecastWh < MIN_FORECAST_WH) return forecast;
  const ratio = Math.min(RATIO_RANGE.max, Math.max(RATIO_RANGE.min, measuredWh / forecastWh));
  return forecast.map((w, i) => {
    const fade = Math.max(0, 1 - (slotStartsMs[i] - nowMs) / FADE_MS);
    return w * (1 + (ratio - 1) * fade);
  });
}
