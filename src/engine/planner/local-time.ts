/**
 * Local calendar arithmetic through Intl, so weekly jobs and base-load profiles follow the
 * household's clock across DST switches, whatever zone the host runs in.
 */
import type { Weekday } from './types';
import { showValue } from '../show-value';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekdayIndex: number;
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_BY_SHORT: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      throw new Error(`timeZone ${showValue(timeZone)} is not an IANA time zone: use a name like "Europe/Berlin" or "UTC"`);
    }
    FORMATS.set(timeZone, format);
  }
  return format;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekdayIndex: WEEKDAY_BY_SHORT[parts.weekday],
  };
}

export function localMinuteOfDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return p.hour * 60 + p.minute;
}

function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
}

/** The instant a local wall clock shows `minuteOfDay` on the local date y-m-d (day may overflow). */
export function wallClockToMs(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const guess = wall - offsetMs(wall, timeZone);
  // The wall time and the guess can lie on different sides of a DST switch: correct once at the guess.
  return wall - offsetMs(guess, timeZone);
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** "07:30" → 450; "24:00" → 1440. */
export function parseClockMinutes(text: unknown, field: string): number {
  const match = typeof text === 'string' ? CLOCK.exec(text) : null;
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!match || minutes > 1440) {
    throw new Error(`${field} = ${showValue(text)}: must be a local clock time "HH:MM" from "00:00" to "24:00"`);
  }
  return minutes;
}

/** The next instant after nowMs at which the local clock shows `minuteOfDay`. */
export function nextWallClockMs(minuteOfDay: number, nowMs: number, timeZone: string): number {
  const today = localParts(nowMs, timeZone);
  const at = wallClockToMs(today.year, today.month, today.day, minuteOfDay, timeZone);
  return at > nowMs ? at : wallClockToMs(today.year, today.month, today.day + 1, minuteOfDay, timeZone);
}

/** "07:00" in the plan's zone; reasons speak the household's clock. */
export function formatLocalClock(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
