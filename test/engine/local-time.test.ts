/** The household's clock: local times people read, across DST switches and in zones off the hour. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocalClock, formatLocalDayClock, localParts, timeZoneProblem, wallClockToMs } from '../../src/engine/local-time';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** What Intl says, asked afresh each time: the reference the cached conversion must match. */
function intlClock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

describe('local time', () => {
  it.each([
    ['Asia/Kathmandu', Date.UTC(2026, 11, 5, 8, 30), '14:15'],
    ['Asia/Kathmandu', Date.UTC(2026, 11, 5, 18, 15), '00:00'],
    ['UTC', Date.UTC(2026, 11, 5, 8, 30), '08:30'],
    ['America/St_Johns', Date.UTC(2026, 0, 15, 12, 0), '08:30'],
  ])('%s at %d reads %s', (zone, ms, text) => {
    expect(formatLocalClock(ms, zone)).toBe(text);
  });

  it('follows Berlin across the spring switch: 01:59 CET, then 03:00 CEST', () => {
    const switchMs = Date.UTC(2026, 2, 29, 1, 0);
    expect(formatLocalClock(switchMs - MIN, 'Europe/Berlin')).toBe('01:59');
    expect(formatLocalClock(switchMs, 'Europe/Berlin')).toBe('03:00');
    expect(formatLocalClock(switchMs + 15 * MIN, 'Europe/Berlin')).toBe('03:15');
  });

  it('follows Berlin across the autumn switch: 02:00–02:59 twice', () => {
    const switchMs = Date.UTC(2026, 9, 25, 1, 0);
    expect([switchMs - HOUR, switchMs - MIN, switchMs, switchMs + HOUR].map((ms) => formatLocalClock(ms, 'Europe/Berlin'))).toEqual(['02:00', '02:59', '02:00', '03:00']);
  });

  it('finds the instant of a local wall clock on both sides of a switch', () => {
    expect(wallClockToMs(2026, 3, 29, 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 0, 0));
    expect(wallClockToMs(2026, 3, 29, 4 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 2, 0));
    expect(wallClockToMs(2026, 10, 25, 4 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 3, 0));
    expect(wallClockToMs(2026, 12, 6, 0, 'Asia/Kathmandu')).toBe(Date.UTC(2026, 11, 5, 18, 15));
  });

  it('names the local weekday for times days ahead', () => {
    // Sunday 00:30 in Kathmandu is still Saturday in UTC.
    expect(formatLocalDayClock(Date.UTC(2026, 11, 5, 18, 45), 'Asia/Kathmandu')).toBe('Sun 00:30');
    expect(localParts(Date.UTC(2026, 11, 5, 18, 45), 'Asia/Kathmandu')).toEqual({ year: 2026, month: 12, day: 6, hour: 0, minute: 30, weekdayIndex: 6 });
  });

  it('agrees with Intl at any minute of 2020–2035 in zones with and without DST', () => {
    const zones = ['Europe/Berlin', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / MIN, max: Date.UTC(2035, 0, 1) / MIN }), fc.constantFrom(...zones), (minute, zone) => {
        expect(formatLocalClock(minute * MIN, zone)).toBe(intlClock(minute * MIN, zone));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a zone it does not know, naming the field and the value', () => {
    expect(timeZoneProblem('Europe/Berlin', 'timeZone')).toBeUndefined();
    expect(timeZoneProblem('Mars/Olympus', 'timeZone')).toBe('timeZone = "Mars/Olympus": must be an IANA time zone like "Europe/Berlin" or "UTC"');
    expect(timeZoneProblem('', 'timeZone')).toContain('timeZone = ""');
  });
});
