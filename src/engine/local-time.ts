/**
 * Local calendar arithmetic through Intl, so weekly jobs, base-load profiles and every time a
 * person reads (reasons, statuses) follow the household's clock across DST switches, whatever zone
 * the host runs in. Data keeps UTC; only what people read is local.
 *
 * Cheap enough for Node-RED's thread: one Intl.DateTimeFormat per zone, and a zone's UTC offset
 * asked of it once per quarter hour (every zone's offset, and every switch since 1970, lies on a
 * quarter hour), so converting a day of slots costs a hundred Intl calls, not thousands.
 */
import type { Weekday } from './planner/types';
import { showValue } from './show-value';

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

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATS.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
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

const QUARTER_MS = 15 * 60_000;
/** Per zone, the offset (local − UTC, ms) by quarter-hour index; bounded, since time only moves on. */
const OFFSETS = new Map<string, Map<number, number>>();
const OFFSETS_KEPT_PER_ZONE = 20_000;

function offsetAt(ms: number, timeZone: string): number {
  let byQuarter = OFFSETS.get(timeZone);
  if (!byQuarter) {
    byQuarter = new Map();
    OFFSETS.set(timeZone, byQuarter);
  }
  const quarter = Math.floor(ms / QUARTER_MS);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    const startMs = quarter * QUARTER_MS;
    const parts = Object.fromEntries(formatFor(timeZone).formatToParts(startMs).map((p) => [p.type, p.value]));
    offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - startMs;
    if (byQuarter.size >= OFFSETS_KEPT_PER_ZONE) byQuarter.clear();
    byQuarter.set(quarter, offset);
  }
  return offset;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const wall = new Date(ms + offsetAt(ms, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekdayIndex: (wall.getUTCDay() + 6) % 7,
  };
}

export function localMinuteOfDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return p.hour * 60 + p.minute;
}

/** The instant a local wall clock shows `minuteOfDay` on the local date y-m-d (day may overflow). */
export function wallClockToMs(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const guess = wall - offsetAt(wall, timeZone);
  // The wall time and the guess can lie on different sides of a DST switch: correct once at the guess.
  return wall - offsetAt(guess, timeZone);
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

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The next instant after nowMs at which the local clock shows `minuteOfDay`. */
export function nextWallClockMs(minuteOfDay: number, nowMs: number, timeZone: string): number {
  const today = localParts(nowMs, timeZone);
  const at = wallClockToMs(today.year, today.month, today.day, minuteOfDay, timeZone);
  return at > nowMs ? at : wallClockToMs(today.year, today.month, today.day + 1, minuteOfDay, timeZone);
}

/** "07:00" on the household's clock: every time a reason or a status shows. */
export function formatLocalClock(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Sun 07:00": a local time that may lie days ahead, as in "prices until Sun 00:00". */
export function formatLocalDayClock(ms: number, timeZone: string): string {
  return `${WEEKDAY_NAMES[localParts(ms, timeZone).weekdayIndex]} ${formatLocalClock(ms, timeZone)}`;
}

/** The host's zone: a site or planner without one of its own uses it. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A problem with `timeZone` (named as `field`), or undefined for an IANA zone this runtime knows. */
export function timeZoneProblem(timeZone: unknown, field: string): string | undefined {
  if (typeof timeZone === 'string' && timeZone.trim() !== '') {
    try {
      formatFor(timeZone);
      return undefined;
    } catch {
      // named below
    }
  }
  return `${field} = ${showValue(timeZone)}: must be an IANA time zone like "Europe/Berlin" or "UTC"`;
}
