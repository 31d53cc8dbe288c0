/**
 * The planner's slots from what came in: prices from the price message (else the time-of-use
 * table, else unknown), PV from the forecast message (else persistence of the measured days),
 * base load from the measured profile. Everything per 15 minutes from the slot holding now.
 */
import { baseLoadProfileForecast, pvNowcastForecast, type MeasuredSeries } from '../forecast';
import type { TimedPrice } from '../optimiser';
import { SLOT_MS, type PlannerSlot } from '../planner';
import { tariffAt, type TariffPeriod } from './price-table';
import { showValue } from '../show-value';
import { invalid, valid, type Validated } from '../validation';

export interface PvForecastSlot {
  startMs: number;
  endMs: number;
  pvW: number;
}

export interface SlotSources {
  nowMs: number;
  hours: number;
  timeZone: string;
  prices: readonly TimedPrice[];
  tariff: readonly TariffPeriod[];
  /** Feed-in price where neither the price message nor the tariff lists one. */
  exportEurPerKwh: number;
  pvForecast: readonly PvForecastSlot[];
  pvHistory: MeasuredSeries;
  baseLoadHistory: MeasuredSeries;
}

function containing<T extends { startMs: number; endMs: number }>(spans: readonly T[], ms: number): T | undefined {
  return spans.find((span) => span.startMs <= ms && ms < span.endMs);
}

export function horizonSlots(s: SlotSources): PlannerSlot[] {
  const firstMs = Math.floor(s.nowMs / SLOT_MS) * SLOT_MS;
  const starts = Array.from({ length: Math.round((s.hours * 3_600_000) / SLOT_MS) }, (_, i) => firstMs + i * SLOT_MS);
  const persistence = pvNowcastForecast(s.pvHistory, starts, s.nowMs);
  const baseLoad = baseLoadProfileForecast(s.baseLoadHistory, starts, s.nowMs, s.timeZone);
  return starts.map((startMs, i) => {
    const price = containing(s.prices, startMs);
    const period = price ? undefined : tariffAt(s.tariff, startMs, s.timeZone);
    const forecast = containing(s.pvForecast, startMs);
    return {
      startMs,
      importEurPerKwh: price?.importEurPerKwh ?? period?.importEurPerKwh ?? null,
      exportEurPerKwh: price?.exportEurPerKwh ?? period?.exportEurPerKwh ?? s.exportEurPerKwh,
      pvForecastW: Math.max(0, forecast?.pvW ?? persistence[i]),
      baseLoadForecastW: Math.max(0, baseLoad[i]),
    };
  });
}


const PV_SHAPE = 'expected { topic: "pv_forecast", payload: { slots: [{ start, end, pvW }] } }';
const PV_SLOTS = 'msg.payload.slots';

/** The PV forecast message; times ISO, power in W. */
export function parsePvForecast(payload: unknown): Validated<PvForecastSlot[]> {
  const slots = (payload as { slots?: unknown } | undefined)?.slots;
  if (!Array.isArray(slots)) return invalid(`${PV_SLOTS} = ${showValue(slots)}: ${PV_SHAPE}`);
  const parsed: PvForecastSlot[] = [];
  for (const [index, slot] of slots.entries()) {
    const { start, end, pvW } = (slot ?? {}) as { start?: unknown; end?: unknown; pvW?: unknown };
    const startMs = typeof start === 'string' ? Date.parse(start) : Number.NaN;
    const endMs = typeof end === 'string' ? Date.parse(end) : Number.NaN;
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
      return invalid(`${PV_SLOTS}[${index}]: start ${showValue(start)} / end ${showValue(end)} must be ISO times with end after start`);
    }
    if (typeof pvW !== 'number' || !Number.isFinite(pvW) || pvW < 0) return invalid(`${PV_SLOTS}[${index}].pvW = ${showValue(pvW)}: must be the forecast PV power in W, 0 or more`);
    parsed.push({ startMs, endMs, pvW });
  }
  return valid(parsed.sort((a, b) => a.startMs - b.startMs));
}
