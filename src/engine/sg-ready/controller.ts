/**
 * Decides the SG Ready state for one heat pump each time something happens (a command, a tick):
 * pure, time injected, every decision with a reason. The relay outputs follow `relays`.
 */
import { formatDuration } from '../allocator/format';
import { relaysFor, SG_READY_NUMBER, validateWiring, type SgReadyState, type SgReadyWiring } from './states';

export type SgReadyMode = 'auto' | 'lock' | 'normal' | 'recommend' | 'force';

const MODE_STATE: Record<Exclude<SgReadyMode, 'auto'>, SgReadyState> = {
  lock: 'lock',
  normal: 'normal',
  recommend: 'recommend',
  force: 'force_on',
};

export interface SgReadySettings {
  /** Heat pumps ignore or fault on fast toggling: every state is held at least this long. */
  minDwellSeconds: number;
  /** A lock block ends after this at the latest (BWP: at most 2 h of hard block). */
  maxLockSeconds: number;
  /** Locks allowed in any 24 h. */
  maxLocksPerDay: number;
  /** Normal operation between two locks, at least; 0 = as long as the previous lock lasted. */
  minGapBetweenLocksSeconds: number;
  /** In auto mode, no command from the optimiser for this long = control lost → normal. */
  controlTimeoutSeconds: number;
  wiring: SgReadyWiring;
}

export const DEFAULT_SG_READY_SETTINGS: SgReadySettings = {
  minDwellSeconds: 600,
  maxLockSeconds: 7200,
  maxLocksPerDay: 3,
  minGapBetweenLocksSeconds: 0,
  controlTimeoutSeconds: 300,
  wiring: { contact1: { relay: 'a', terminal: 'NO' }, contact2: { relay: 'b', terminal: 'NO' } },
};

export interface SgReadyMemory {
  state: SgReadyState;
  sinceMs: number;
  mode: SgReadyMode;
  /** The optimiser's latest wish and why, used in auto mode. */
  requested?: { state: SgReadyState; reason: string; atMs: number };
  /** Start times of the locks in the last 24 h. */
  lockStartsMs: number[];
  lastLockEndedMs?: number;
  lastLockLengthMs?: number;
  /** Milliseconds spent in each state (for HA's "time in state"), counted up to `updatedMs`. */
  timeInStateMs: Record<SgReadyState, number>;
  updatedMs: number;
}

export function initialSgReadyMemory(nowMs: number): SgReadyMemory {
  return {
    state: 'normal',
    sinceMs: nowMs,
    mode: 'auto',
    lockStartsMs: [],
    timeInStateMs: { lock: 0, normal: 0, recommend: 0, force_on: 0 },
    updatedMs: nowMs,
  };
}

export type SgReadyEvent =
  | { type: 'tick' }
  | { type: 'request'; state: SgReadyState; reason: string }
  | { type: 'mode'; mode: SgReadyMode };

export interface SgReadyDecision {
  state: SgReadyState;
  relays: { a: boolean; b: boolean };
  changed: boolean;
  reason: string;
  /** Set while a lock was wanted but refused by the lock limits. */
  lockLimit?: string;
  memory: SgReadyMemory;
}

const DAY_MS = 24 * 3_600_000;
const label = (s: SgReadyState) => `${s.replace('_', ' ')} (${SG_READY_NUMBER[s]})`;

export function validateSgReadySettings(settings: SgReadySettings): string[] {
  const positive: Array<[keyof SgReadySettings, number]> = [
    ['minDwellSeconds', settings.minDwellSeconds],
    ['maxLockSeconds', settings.maxLockSeconds],
    ['controlTimeoutSeconds', settings.controlTimeoutSeconds],
  ];
  const errors = positive
    .filter(([, v]) => !(Number.isFinite(v) && v > 0))
    .map(([field, v]) => `${field} ${v} must be a number above 0`);
  if (!(Number.isInteger(settings.maxLocksPerDay) && settings.maxLocksPerDay >= 0)) {
    errors.push(`maxLocksPerDay ${settings.maxLocksPerDay} must be a whole number, 0 to never lock`);
  }
  if (!(settings.minGapBetweenLocksSeconds >= 0)) errors.push(`minGapBetweenLocksSeconds ${settings.minGapBetweenLocksSeconds} must be 0 or more`);
  return [...errors, ...validateWiring(settings.wiring)];
}

/** What the heat pump should be in, before timing rules: mode, then the optimiser, then the fallback. */
function wanted(memory: SgReadyMemory, settings: SgReadySettings, nowMs: number): { state: SgReadyState; reason: string } {
  if (memory.mode !== 'auto') return { state: MODE_STATE[memory.mode], reason: `manual ${memory.mode}` };
  const request = memory.requested;
  if (!request) return { state: 'normal', reason: 'no command yet' };
  const silentMs = nowMs - request.atMs;
  if (silentMs > settings.controlTimeoutSeconds * 1000) {
    return { state: 'normal', reason: `control lost: no command for ${formatDuration(silentMs / 1000)}` };
  }
  return { state: request.state, reason: request.reason };
}

/** Why a lock may not start now, or undefined when it may. */
function lockRefusal(memory: SgReadyMemory, settings: SgReadySettings, nowMs: number): string | undefined {
  const recent = memory.lockStartsMs.filter((t) => nowMs - t < DAY_MS);
  if (recent.length >= settings.maxLocksPerDay) return `${recent.length} locks in 24 h already (limit ${settings.maxLocksPerDay})`;
  if (memory.lastLockEndedMs !== undefined) {
    const gapMs = settings.minGapBetweenLocksSeconds > 0 ? settings.minGapBetweenLocksSeconds * 1000 : memory.lastLockLengthMs ?? 0;
    const waitMs = memory.lastLockEndedMs + gapMs - nowMs;
    if (waitMs > 0) return `normal for ${formatDuration(waitMs / 1000)} more after the last lock`;
  }
  return undefined;
}

function withEvent(memory: SgReadyMemory, event: SgReadyEvent, nowMs: number): SgReadyMemory {
  if (event.type === 'request') return { ...memory, requested: { state: event.state, reason: event.reason, atMs: nowMs } };
  if (event.type === 'mode') return { ...memory, mode: event.mode };
  return memory;
}

export function decideSgReady(settings: SgReadySettings, previous: SgReadyMemory, event: SgReadyEvent, nowMs: number): SgReadyDecision {
  const memory = withEvent(previous, event, nowMs);
  const current = memory.state;
  const heldMs = nowMs - memory.sinceMs;
  const want = wanted(memory, settings, nowMs);
  let next = want.state;
  let reason = `${label(next)}: ${want.reason}`;
  let lockLimit: string | undefined;

  const lockCapReached = current === 'lock' && heldMs >= settings.maxLockSeconds * 1000;
  if (lockCapReached) {
    // The lock cap ends a block whatever is asked, even a manual lock, and regardless of dwell.
    next = 'normal';
    reason = `${label('normal')}: lock ended after ${formatDuration(heldMs / 1000)} (limit ${formatDuration(settings.maxLockSeconds)})`;
  } else if (next === 'lock' && current !== 'lock') {
    lockLimit = lockRefusal(memory, settings, nowMs);
    if (lockLimit) {
      next = 'normal';
      reason = `${label(next)}: lock refused, ${lockLimit}`;
    }
  }

  const dwellLeftMs = settings.minDwellSeconds * 1000 - heldMs;
  if (next !== current && dwellLeftMs > 0 && !lockCapReached) {
    reason = `held ${label(current)}: minimum dwell, ${formatDuration(dwellLeftMs / 1000)} left (wants ${label(next)})`;
    next = current;
  }

  const changed = next !== current;
  const elapsedMs = Math.max(0, nowMs - memory.updatedMs);
  const timeInStateMs = { ...memory.timeInStateMs, [current]: memory.timeInStateMs[current] + elapsedMs };
  let nextMemory: SgReadyMemory = { ...memory, timeInStateMs, updatedMs: nowMs };
  if (changed) {
    nextMemory = { ...nextMemory, state: next, sinceMs: nowMs };
    if (next === 'lock') nextMemory.lockStartsMs = [...memory.lockStartsMs.filter((t) => nowMs - t < DAY_MS), nowMs];
    if (current === 'lock') nextMemory = { ...nextMemory, lastLockEndedMs: nowMs, lastLockLengthMs: heldMs };
  }
  return { state: next, relays: relaysFor(next, settings.wiring), changed, reason, lockLimit, memory: nextMemory };
}
