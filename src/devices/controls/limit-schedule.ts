/**
 * When an inverter limit is written: at once when it changes, again every refresh interval (an
 * inverter may drop a remote limit after a restart or a communication timeout of its own), and
 * after a failed write at the retry interval. Pure, time injected.
 */

export interface LimitWriterState {
  /** Key of the plan the device last confirmed (write and read-back succeeded). */
  writtenKey?: string;
  writtenAtMs?: number;
  /** The last attempt failed: which plan, and when; the same plan is retried after the retry interval. */
  failed?: { key: string; atMs: number };
}

export type WriteCause = 'change' | 'refresh' | 'retry';

export function writeDue(state: LimitWriterState, wantedKey: string, nowMs: number, refreshMs: number, retryMs: number): WriteCause | undefined {
  if (state.failed?.key === wantedKey) return nowMs - state.failed.atMs >= retryMs ? 'retry' : undefined;
  if (wantedKey !== state.writtenKey) return 'change';
  if (state.writtenAtMs !== undefined && nowMs - state.writtenAtMs >= refreshMs) return 'refresh';
  return undefined;
}
