/** Times of day ("HH:MM", UTC) and weekdays for recurring jobs: what a person writes in a scenario. */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export function isClock(value: unknown): value is string {
  return typeof value === 'string' && CLOCK.test(value);
}

/** Minutes after midnight UTC. */
export function clockMinutes(clock: string): number {
  const [, h, m] = CLOCK.exec(clock)!;
  return Number(h) * 60 + Number(m);
}

export function startOfDayUtc(timeMs: number): number {
  return Math.floor(timeMs / MS_PER_DAY) * MS_PER_DAY;
}

export function weekdayOf(timeMs: number): Weekday {
  return WEEKDAYS[new Date(timeMs).getUTCDay()];
}

/** The first moment at this clock time within [fromMs, toMs), if any, on one of `days` (all days when absent). */
export function clockTimeWithin(clock: string, fromMs: number, toMs: number, days?: readonly Weekday[]): number | undefined {
  const offsetMs = clockMinutes(clock) * MS_PER_MINUTE;
  for (let dayMs = startOfDayUtc(fromMs); dayMs < toMs; dayMs += MS_PER_DAY) {
    const atMs = dayMs + offsetMs;
    if (atMs >= fromMs && atMs < toMs && (!days || days.includes(weekdayOf(atMs)))) return atMs;
  }
  return undefined;
}

/** The next moment at this clock time strictly after `afterMs`. */
export function nextClockTime(clock: string, afterMs: number): number {
  const candidate = startOfDayUtc(afterMs) + clockMinutes(clock) * MS_PER_MINUTE;
  return candidate > afterMs ? candidate : candidate + MS_PER_DAY;
}
