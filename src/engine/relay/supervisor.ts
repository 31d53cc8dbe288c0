/**
 * One relay output: what to write when, read-back supervision, and the safe state when its command
 * source falls silent. Pure: the node supplies events and time, and writes what this says.
 */
import { formatDuration } from '../allocator/format';

export type SafeState = 'off' | 'on' | 'hold';

export interface RelaySettings {
  safeState: SafeState;
  /** No command for this long = the source is lost → safe state. 0 turns this off. */
  commandTimeoutSeconds: number;
  /** Commanded and read-back must agree within this long, else the mismatch alarm. */
  feedbackTimeoutSeconds: number;
}

export interface RelayMemory {
  commanded?: boolean;
  commandedAtMs?: number;
  commandSource?: string;
  lastCommandAtMs?: number;
  actual?: boolean;
  actualAtMs?: number;
  /** Set once the safe state was applied for the current silence, so it is written only once. */
  safeApplied?: boolean;
}

export type RelayEvent =
  | { type: 'command'; on: boolean; source: string }
  | { type: 'feedback'; on: boolean }
  | { type: 'tick' }
  /** The device answers again (or at start): write the wanted state once more. */
  | { type: 'reconnected' };

export interface RelayDecision {
  /** Write this to the hardware now; undefined = write nothing. */
  write?: boolean;
  reason: string;
  mismatch?: string;
  memory: RelayMemory;
}

const SAFE_OUTPUT: Record<SafeState, boolean | undefined> = { off: false, on: true, hold: undefined };
const onOff = (on: boolean | undefined) => (on === undefined ? 'unknown' : on ? 'on' : 'off');

/** Why commanded and actual disagree for too long, or undefined when all is well. */
function mismatchOf(settings: RelaySettings, m: RelayMemory, nowMs: number): string | undefined {
  if (m.commanded === undefined || m.commandedAtMs === undefined || m.actual === m.commanded) return undefined;
  const sinceCommandMs = nowMs - m.commandedAtMs;
  if (sinceCommandMs < settings.feedbackTimeoutSeconds * 1000) return undefined;
  const answeredSince = m.actualAtMs !== undefined && m.actualAtMs >= m.commandedAtMs;
  return answeredSince
    ? `commanded ${onOff(m.commanded)}, relay reports ${onOff(m.actual)}`
    : `no read-back for ${formatDuration(sinceCommandMs / 1000)} after switching ${onOff(m.commanded)}`;
}

export function decideRelay(settings: RelaySettings, previous: RelayMemory, event: RelayEvent, nowMs: number): RelayDecision {
  let memory = { ...previous };
  let write: boolean | undefined;
  let reason: string;
  switch (event.type) {
    case 'command':
      memory = { ...memory, lastCommandAtMs: nowMs, commandSource: event.source, safeApplied: false };
      if (memory.commanded !== event.on || memory.actual !== event.on) write = event.on;
      if (memory.commanded !== event.on) memory = { ...memory, commanded: event.on, commandedAtMs: nowMs };
      reason = `${onOff(event.on)}: command from ${event.source}`;
      break;
    case 'feedback':
      memory = { ...memory, actual: event.on, actualAtMs: nowMs };
      reason = `relay reports ${onOff(event.on)}`;
      break;
    case 'reconnected':
      write = memory.commanded;
      reason = memory.commanded === undefined ? 'device back, nothing commanded yet' : `device back: ${onOff(memory.commanded)} again`;
      break;
    case 'tick':
      reason = `${onOff(memory.commanded)}`;
      break;
  }
  const silentMs = memory.lastCommandAtMs === undefined ? undefined : nowMs - memory.lastCommandAtMs;
  if (settings.commandTimeoutSeconds > 0 && silentMs !== undefined && silentMs > settings.commandTimeoutSeconds * 1000 && !memory.safeApplied) {
    const safe = SAFE_OUTPUT[settings.safeState];
    memory = { ...memory, safeApplied: true };
    reason = `safe state ${settings.safeState}: no command from ${memory.commandSource} for ${formatDuration(silentMs / 1000)}`;
    if (safe !== undefined) {
      write = safe;
      if (memory.commanded !== safe) memory = { ...memory, commanded: safe, commandedAtMs: nowMs };
    }
  }
  return { write, reason, mismatch: mismatchOf(settings, memory, nowMs), memory };
}

/** The state to put an output in at start, before any command: the safe state or the last one kept. */
export function startState(settings: RelaySettings, start: 'safe' | 'last', persisted: boolean | undefined): boolean | undefined {
  if (start === 'last' && persisted !== undefined) return persisted;
  return SAFE_OUTPUT[settings.safeState];
}
