/**
 * The site's cheap-hour and negative-price flags. Cheap means at or below a configured price, or,
 * without one, among the cheapest third of the local day's 15-minute prices (and below the day's
 * dearest, so a flat tariff is never "cheap").
 */
import type { TimedPrice } from '../optimiser';
import { SLOT_MS } from '../planner';
import { localParts, wallClockToMs } from '../local-time';
import { tariffAt, type TariffPeriod } from './price-table';

export interface PriceFlags {
  importEurPerKwh: number | null;
  cheap: boolean;
  negative: boolean;
  /** The price at or below which a slot counts as cheap today; null while today's prices are unknown. */
  cheapAtOrBelowEurPerKwh: number | null;
}

/** The import price at ms: the price message first, the time-of-use table second. */
export function importPriceAt(prices: readonly TimedPrice[], tariff: readonly TariffPeriod[], ms: number, timeZone: string): number | null {
  const slot = prices.find((p) => p.startMs <= ms && ms < p.endMs);
  return slot?.importEurPerKwh ?? tariffAt(tariff, ms, timeZone)?.importEurPerKwh ?? null;
}

function dayPrices(prices: readonly TimedPrice[], tariff: readonly TariffPeriod[], nowMs: number, timeZone: string): number[] {
  const day = localParts(nowMs, timeZone);
  const startMs = wallClockToMs(day.year, day.month, day.day, 0, timeZone);
  const endMs = wallClockToMs(day.year, day.month, day.day + 1, 0, timeZone);
  const known: number[] = [];
  for (let ms = startMs; ms < endMs; ms += SLOT_MS) {
    const price = importPriceAt(prices, tariff, ms, timeZone);
    if (price !== null) known.push(price);
  }
  return known;
}

export function priceFlags(prices: readonly TimedPrice[], tariff: readonly TariffPeriod[], nowMs: number, timeZone: string, cheapAtOrBelowEurPerKwh?: number): PriceFlags {
  const price = importPriceAt(prices, tariff, nowMs, timeZone);
  let limit: number | null = cheapAtOrBelowEurPerKwh ?? null;
  let dearest = Number.POSITIVE_INFINITY;
  if (cheapAtOrBelowEurPerKwh === undefined) {
    const sorted = dayPrices(prices, tariff, nowMs, timeZone).sort((a, b) => a - b);
    limit = sorted.length > 0 ? sorted[Math.ceil(sorted.length / 3) - 1] : null;
    dearest = sorted.at(-1) ?? dearest;
  }
  return {
    importEurPerKwh: price,
    cheap: price !== null && limit !== null && price <= limit && price < dearest,
    negative: price !== null && price < 0,
    cheapAtOrBelowEurPerKwh: limit,
  };
}
