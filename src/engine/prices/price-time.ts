/** Times in price attributes: HA serialises datetimes as ISO 8601 with their UTC offset. */
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

const PARTS = new Map<string, Intl.DateTimeFormat>();

function zonedParts(ms: number, timeZone: string): Record<string, number> {
  let format = PARTS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    PARTS.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(ms).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of local midnight `dayOffset` days after the local day containing `nowMs`. */
export function localMidnightMs(nowMs: number, timeZone: string, dayOffset: number): number {
  const today = zonedParts(nowMs, timeZone);
  const wallMidnight = Date.UTC(today.year, today.month - 1, today.day + dayOffset);
  const guess = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  // Midnight and the guess can fall on different sides of a DST switch: correct once with the offset at the guess.
  return wallMidnight - zoneOffsetMs(guess, timeZone);
}
