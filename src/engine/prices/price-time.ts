/** Times in price attributes: HA serialises datetimes as ISO 8601 with their UTC offset. */
import { localParts, wallClockToMs } from '../local-time';
import { showValue } from '../show-value';

const HAS_OFFSET = /(Z|[+-]\d\d:?\d\d)$/i;

/** Epoch ms of an ISO time with an offset; a time without one would depend on our host's zone. */
export function parsePriceTime(value: unknown, where: string): number {
  const text = typeof value === 'string' ? value.trim() : '';
  const ms = HAS_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new Error(`${where}: time ${showValue(value)} is not an ISO 8601 time with a UTC offset (like "2026-01-15T13:00:00+01:00")`);
  }
  return ms;
}

/** A listed price, or undefined for the gaps integrations mark with null. */
export function parsePriceValue(value: unknown, where: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`${where}: price ${showValue(value)} is not a number`);
  return n;
}

/** A day of bare prices (no times): 92–100 entries are quarter hours, 23–25 are hours (DST days included). */
export function bareListStepMs(count: number): number {
  return (count > 30 ? 15 : 60) * 60_000;
}

/** The UTC instant of local midnight `dayOffset` days after the local day containing `nowMs`. */
export function localMidnightMs(nowMs: number, timeZone: string, dayOffset: number): number {
  const today = localParts(nowMs, timeZone);
  return wallClockToMs(today.year, today.month, today.day + dayOffset, 0, timeZone);
}
