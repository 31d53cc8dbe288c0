/**
 * Device protection between cycles: minimum on-time, minimum off-time and starts per hour, all
 * derived from timestamps in the load's memory. SG Ready heat pumps are exempt: their relay and
 * dwell-time logic lives with the SG Ready output, not here.
 */
import type { ResolvedLoad } from './defaults';
import { reason, type Reason } from './reasons';
import type { LoadMemory } from './types';

const HOUR_MS = 3_600_000;

export interface SwitchGuard {
  /** Set while a running load must stay on. */
  holdOn: Reason | null;
  /** Set while a stopped load must not start. */
  blockStart: Reason | null;
}

export function secondsSince(sinceMs: number, nowMs: number): number {
  return (nowMs - sinceMs) / 1000;
}

/** Start times are kept oldest first, so the list is reused unless its head has aged out. */
function startsWithinHour(startTimesMs: number[], nowMs: number): number[] {
  const oldestMs = startTimesMs[0];
  if (oldestMs === undefined || nowMs - oldestMs < HOUR_MS) return startTimesMs;
  return startTimesMs.filter((startMs) => nowMs - startMs < HOUR_MS);
}

function minOnLeftSeconds(load: ResolvedLoad, memory: LoadMemory, nowMs: number): number {
  if (memory.switchedOnAtMs === null) return 0;
  return load.minOnSeconds - secondsSince(memory.switchedOnAtMs, nowMs);
}

function minOffLeftSeconds(load: ResolvedLoad, memory: LoadMemory, nowMs: number): number {
  if (memory.switchedOffAtMs === null) return 0;
  return load.minOffSeconds - secondsSince(memory.switchedOffAtMs, nowMs);
}

function startsBlock(load: ResolvedLoad, memory: LoadMemory, nowMs: number): Reason | null {
  const recent = startsWithinHour(memory.startTimesMs, nowMs);
  if (recent.length < load.maxStartsPerHour) return null;
  // The oldest start that must leave the window before one more start fits.
  const oldestMs = recent[recent.length - load.maxStartsPerHour] ?? nowMs;
  return reason('startsExhausted', {
    starts: recent.length,
    maxStarts: load.maxStartsPerHour,
    nextInSeconds: (oldestMs + HOUR_MS - nowMs) / 1000,
  });
}

export function switchGuard(load: ResolvedLoad, memory: LoadMemory, nowMs: number): SwitchGuard {
  if (load.kind === 'sg_ready') return { holdOn: null, blockStart: null };
  const running = memory.commandedPowerW > 0;
  if (running) {
    const leftSeconds = minOnLeftSeconds(load, memory, nowMs);
    return { holdOn: leftSeconds > 0 ? reason('minOnHold', { leftSeconds }) : null, blockStart: null };
  }
  const offLeftSeconds = minOffLeftSeconds(load, memory, nowMs);
  const blockStart = offLeftSeconds > 0 ? reason('minOffWait', { leftSeconds: offLeftSeconds }) : startsBlock(load, memory, nowMs);
  return { holdOn: null, blockStart };
}

/** Switch timestamps after a cycle that moved the load from `wasRunning` to `isRunning`. */
export function recordSwitch(
  memory: LoadMemory,
  wasRunning: boolean,
  isRunning: boolean,
  nowMs: number,
): Pick<LoadMemory, 'switchedOnAtMs' | 'switchedOffAtMs' | 'startTimesMs'> {
  const recentStarts = startsWithinHour(memory.startTimesMs, nowMs);
  if (!wasRunning && isRunning) {
    return { switchedOnAtMs: nowMs, switchedOffAtMs: memory.switchedOffAtMs, startTimesMs: [...recentStarts, nowMs] };
  }
  if (wasRunning && !isRunning) {
    return { switchedOnAtMs: memory.switchedOnAtMs, switchedOffAtMs: nowMs, startTimesMs: recentStarts };
  }
  return { switchedOnAtMs: memory.switchedOnAtMs, switchedOffAtMs: memory.switchedOffAtMs, startTimesMs: recentStarts };
}
