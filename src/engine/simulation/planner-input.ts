/**
 * The planner's input at one moment of a series: 15-minute slots with the prices known then, PV and
 * base load forecast (the series itself, or the fallback forecasts from what was measured before
 * that moment), the scenario's battery and limits, and its loads' jobs (planner-jobs.ts).
 *
 * Prices follow the day-ahead market: before 12:00 UTC the rest of today is priced, from 12:00 the
 * whole of tomorrow too; later slots have unknown prices (the planner counts them at the mean).
 */
import { baseLoadProfileForecast, pvNowcastForecast, type MeasuredSeries } from '../forecast';
import { plannerSiteOf } from '../planner-session/site-limits';
import { plannerBatteryAt, type PlannerBatterySettings } from '../planner-session/session';
import { SLOT_MS, type PlannerInput, type PlannerSlot } from '../planner';
import { MS_PER_DAY, startOfDayUtc } from './clock';
import type { DemandState } from './demand';
import { plannerLoads } from './planner-jobs';
import type { BatterySpec, Scenario } from './scenario';
import type { SeriesRow } from './series';

const HOUR_MS = 3_600_000;
export const DAY_AHEAD_PUBLISHED_HOUR_UTC = 12;
export const MIN_HORIZON_HOURS = 24;
export const MAX_HORIZON_HOURS = 48;

export type ForecastSource = 'perfect' | 'persistence';
export const FORECAST_SOURCES: readonly ForecastSource[] = ['perfect', 'persistence'];

export interface PlanningMoment {
  nowMs: number;
  /** Absent: up to the end of the known prices, at least 24 h. */
  horizonHours?: number;
  forecast?: ForecastSource;
  /** The loads' simulated demand states, in scenario order; absent: the scenario's starting state. */
  demandStates?: readonly DemandState[];
  /** The battery's state of charge now; absent: the scenario's initial one. */
  batterySocPct?: number;
  /** See PlanningWindow.finishEarlyMs. */
  finishEarlyMs?: number;
}

/** End of the prices the day-ahead auction has published by nowMs. */
export function pricesKnownUntilMs(nowMs: number): number {
  const published = nowMs - startOfDayUtc(nowMs) >= DAY_AHEAD_PUBLISHED_HOUR_UTC * HOUR_MS;
  return startOfDayUtc(nowMs) + (published ? 2 : 1) * MS_PER_DAY;
}

export function horizonEndMs(nowMs: number, horizonHours: number | undefined): number {
  const slotStartMs = nowMs - (nowMs % SLOT_MS);
  if (horizonHours !== undefined) return slotStartMs + horizonHours * HOUR_MS;
  return Math.min(slotStartMs + MAX_HORIZON_HOURS * HOUR_MS, Math.max(slotStartMs + MIN_HORIZON_HOURS * HOUR_MS, pricesKnownUntilMs(nowMs)));
}

/** Index of the row holding ms, or -1 outside the series. */
export function rowIndexAt(series: readonly SeriesRow[], ms: number): number {
  let low = 0;
  let high = series.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (series[mid].startMs <= ms) low = mid + 1;
    else high = mid - 1;
  }
  return high >= 0 && ms < series[high].startMs + series[high].durationMs ? high : -1;
}

function measured(series: readonly SeriesRow[], power: (row: SeriesRow) => number): MeasuredSeries {
  return { samples: series.map((row) => ({ startMs: row.startMs, powerW: power(row) })), stepMs: series[0].durationMs };
}

type Forecaster = (slotStartsMs: number[], rows: SeriesRow[], nowMs: number) => { pvW: number[]; baseLoadW: number[] };

/** Forecast sources; `persistence` (as hems-planner forecasts: PV persistence with the nowcast, the base-load profile) builds its measured history once per series. */
export function forecaster(source: ForecastSource, series: readonly SeriesRow[]): Forecaster {
  if (source === 'perfect') return (_starts, rows) => ({ pvW: rows.map((r) => r.pvW), baseLoadW: rows.map((r) => r.baseLoadW) });
  const pv = measured(series, (row) => row.pvW);
  const baseLoad = measured(series, (row) => row.baseLoadW);
  return (starts, _rows, nowMs) => ({ pvW: pvNowcastForecast(pv, starts, nowMs), baseLoadW: baseLoadProfileForecast(baseLoad, starts, nowMs, 'UTC') });
}

/** The scenario's battery as hems-planner's settings; the planner input then comes from them as hems-planner makes it. */
function plannerBatterySettingsOf(spec: BatterySpec): PlannerBatterySettings {
  return {
    capacityWh: spec.capacityKwh * 1000,
    maxChargeW: spec.maxChargeW,
    maxDischargeW: spec.maxDischargeW,
    roundTripEfficiency: spec.efficiency,
    minSocPct: spec.minSocPct,
    maxSocPct: spec.maxSocPct,
  };
}

export function plannerInputAt(scenario: Scenario, series: readonly SeriesRow[], moment: PlanningMoment, forecast: Forecaster = forecaster(moment.forecast ?? 'perfect', series)): PlannerInput {
  const firstSlotMs = moment.nowMs - (moment.nowMs % SLOT_MS);
  const endMs = horizonEndMs(moment.nowMs, moment.horizonHours);
  const knownUntilMs = pricesKnownUntilMs(moment.nowMs);
  const starts: number[] = [];
  const rows: SeriesRow[] = [];
  for (let startMs = firstSlotMs; startMs < endMs; startMs += SLOT_MS) {
    const index = rowIndexAt(series, startMs);
    if (index === -1) break;
    starts.push(startMs);
    rows.push(series[index]);
  }
  const { pvW, baseLoadW } = forecast(starts, rows, moment.nowMs);
  const slots: PlannerSlot[] = rows.map((row, i) => {
    const known = starts[i] < knownUntilMs;
    // A fixed price from the scenario is known ahead; a series price only once the auction published it.
    const price = (seriesPrice: number | undefined, fixed: number | undefined) => (seriesPrice === undefined ? (fixed ?? 0) : known ? seriesPrice : null);
    return {
      startMs: starts[i],
      importEurPerKwh: price(row.importPriceEurPerKwh, scenario.prices.importEurPerKwh),
      exportEurPerKwh: price(row.exportPriceEurPerKwh, scenario.prices.exportEurPerKwh),
      pvForecastW: pvW[i],
      baseLoadForecastW: baseLoadW[i],
    };
  });
  const untilMs = starts.length > 0 ? starts[starts.length - 1] + SLOT_MS : firstSlotMs;
  return {
    nowMs: moment.nowMs,
    timeZone: 'UTC',
    slots,
    site: plannerSiteOf(scenario.site),
    ...(scenario.battery ? { battery: plannerBatteryAt(plannerBatterySettingsOf(scenario.battery), moment.batterySocPct ?? scenario.battery.initialSocPct, moment.nowMs, 'UTC') } : {}),
    loads: plannerLoads(scenario.loads, { nowMs: moment.nowMs, untilMs, phaseVoltageV: scenario.site.phaseVoltageV, finishEarlyMs: moment.finishEarlyMs }, moment.demandStates),
  };
}
