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

const isAmount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** What a load keeps of today across a restart: the figures, and whether it was running. */
export type KeptDayStats = Omit<LoadDayStats, 'last'> & { running: boolean };

export function keptDayStats(stats: LoadDayStats): KeptDayStats {
  const { last, ...figures } = stats;
  return { ...figures, running: last?.running ?? false };
}

/**
 * Today's figures kept from before a restart, when they are figures. The time in between is not
 * integrated (what the load drew while nothing watched is unknown): the last sample is placed
 * infinitely far back, so only whether the load was running carries over (running on is no new start).
 */
export function resumedDayStats(kept: unknown): LoadDayStats {
  const k = (kept ?? {}) as Partial<Record<keyof KeptDayStats, unknown>>;
  if (typeof k.day !== 'string' || !isAmount(k.energyKwh) || !isAmount(k.runtimeSeconds) || !isAmount(k.starts)) return EMPTY_DAY_STATS;
  const last = { atMs: Number.NEGATIVE_INFINITY, powerW: 0, running: k.running === true };
  return { day: k.day, energyKwh: k.energyKwh, runtimeSeconds: k.runtimeSeconds, starts: k.starts, last };
}

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
