/**
 * Per-load figures for today (energy, runtime, starts), integrated cycle by cycle. The day key is
 * passed in, so the caller decides the time zone and tests need no clock.
 */

export interface LoadDayStats {
  day: string;
  energyKwh: number;
  runtimeSeconds: number;
  starts: number;
  /** The previous sample, integrated over the time up to the next one. */
  last: { atMs: number; powerW: number; running: boolean } | null;
}

export const EMPTY_DAY_STATS: LoadDayStats = Object.freeze({ day: '', energyKwh: 0, runtimeSeconds: 0, starts: 0, last: null });

/** A gap longer than this (a paused runtime, a stopped flow) is not filled with guessed energy. */
const MAX_INTEGRATION_GAP_MS = 5 * 60_000;

const MS_PER_HOUR = 3_600_000;

export function accumulateDayStats(stats: LoadDayStats, sample: { powerW: number; running: boolean }, nowMs: number, day: string): LoadDayStats {
  const sameDay = stats.day === day;
  const base = sameDay ? stats : { ...EMPTY_DAY_STATS, day, last: stats.last };
  const last = base.last;
  const elapsedMs = last ? nowMs - last.atMs : 0;
  const integrate = last !== null && elapsedMs > 0 && elapsedMs <= MAX_INTEGRATION_GAP_MS;
  const started = sample.running && !(last?.running ?? false);
  return {
    day,
    energyKwh: base.energyKwh + (integrate ? (last.powerW * elapsedMs) / MS_PER_HOUR / 1000 : 0),
    runtimeSeconds: base.runtimeSeconds + (integrate && last.running ? elapsedMs / 1000 : 0),
    starts: base.starts + (started ? 1 : 0),
    last: { atMs: nowMs, powerW: sample.powerW, running: sample.running },
  };
}

/** The local calendar day of a time, e.g. 2026-03-01: "today" as the person at home means it. */
export function localDayKey(timeMs: number): string {
  const d = new Date(timeMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
