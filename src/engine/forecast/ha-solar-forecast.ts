/**
 * Home Assistant's solar forecast → the planner's PV forecast message. HA answers the websocket
 * command `energy/solar_forecast` with, per config entry of every forecast integration on the
 * Energy dashboard's solar panels (Forecast.Solar, Solcast, Open-Meteo Solar Forecast …),
 * `{ wh_hours: { <ISO time>: Wh } }`: the energy of the period that starts at that time, as HA's
 * Energy dashboard draws it. A period runs to the next time listed, at most an hour (the lists skip
 * the night); several entries (one per roof) add up. The result is in 15-minute slots, each holding
 * the mean power of the energy that falls into it.
 */
import { SLOT_MS } from '../planner/horizon';
import { showValue } from '../show-value';
import { invalid, valid, type Validated } from '../validation';
const HOUR_MS = 3_600_000;

export type HaSolarForecasts = Record<string, { wh_hours?: Record<string, unknown> } | null | undefined>;

export interface PvForecastPayload {
  slots: { start: string; end: string; pvW: number }[];
  /** The config entries the forecast adds up. */
  entries: string[];
}


interface Period {
  startMs: number;
  endMs: number;
  wh: number;
}

function periodsOf(entry: string, whHours: Record<string, unknown>): Period[] | string {
  const points: { startMs: number; wh: number }[] = [];
  for (const [time, value] of Object.entries(whHours)) {
    const startMs = Date.parse(time);
    if (!Number.isFinite(startMs)) return `entry ${entry}: "${time}" is not an ISO time`;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return `entry ${entry}: ${time} = ${showValue(value)} is not an energy in Wh`;
    points.push({ startMs, wh: value });
  }
  points.sort((a, b) => a.startMs - b.startMs);
  return points.map((p, i) => ({ startMs: p.startMs, endMs: Math.min(points[i + 1]?.startMs ?? Infinity, p.startMs + HOUR_MS), wh: p.wh }));
}

/** Energy of the periods that falls into [fromMs, toMs), each spread evenly over its period. */
function whWithin(periods: readonly Period[], fromMs: number, toMs: number): number {
  let wh = 0;
  for (const p of periods) {
    const overlapMs = Math.min(toMs, p.endMs) - Math.max(fromMs, p.startMs);
    if (overlapMs > 0 && p.endMs > p.startMs) wh += (p.wh * overlapMs) / (p.endMs - p.startMs);
  }
  return wh;
}

/**
 * `entryIds` picks config entries (empty: every one HA lists). Errors say what was wrong and what
 * to do, for the node's status.
 */
export function pvForecastFromHa(answer: unknown, entryIds: readonly string[] = []): Validated<PvForecastPayload> {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    return invalid(`Home Assistant answered energy/solar_forecast with ${showValue(answer)}, not a forecast per config entry`);
  }
  const forecasts = answer as HaSolarForecasts;
  const listed = Object.keys(forecasts).filter((id) => forecasts[id]?.wh_hours !== undefined);
  if (listed.length === 0) {
    return invalid('Home Assistant has no solar forecast: add Forecast.Solar or Solcast and pick it under the solar panels of the Energy dashboard');
  }
  const missing = entryIds.filter((id) => !listed.includes(id));
  if (missing.length > 0) return invalid(`no forecast for config entry ${missing.join(', ')}: Home Assistant lists ${listed.join(', ')}`);
  const entries = entryIds.length > 0 ? [...entryIds] : listed;
  const all: Period[] = [];
  for (const entry of entries) {
    const periods = periodsOf(entry, forecasts[entry]!.wh_hours!);
    if (typeof periods === 'string') return invalid(periods);
    all.push(...periods);
  }
  if (all.length === 0) return invalid(`the forecast of ${entries.join(', ')} lists no periods yet: wait for the integration's first update`);
  const firstMs = Math.floor(Math.min(...all.map((p) => p.startMs)) / SLOT_MS) * SLOT_MS;
  const endMs = Math.ceil(Math.max(...all.map((p) => p.endMs)) / SLOT_MS) * SLOT_MS;
  const slots = [];
  for (let startMs = firstMs; startMs < endMs; startMs += SLOT_MS) {
    const pvW = Math.round((whWithin(all, startMs, startMs + SLOT_MS) * HOUR_MS) / SLOT_MS);
    slots.push({ start: new Date(startMs).toISOString(), end: new Date(startMs + SLOT_MS).toISOString(), pvW });
  }
  return valid({ slots, entries });
}
