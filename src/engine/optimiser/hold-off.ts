/**
 * At most one extra decision per hold-off (besides the periodic cycle): a burst of readings that
 * each cross a limit costs one decision now and at most one more when the hold-off is up.
 * The caller passes the time, so tests need no clock.
 */
const DECISION_HOLD_OFF_MS = 200;

export class DecisionHoldOff {
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly holdOffMs = DECISION_HOLD_OFF_MS) {}

  /** 0: decide now (counted as taken); otherwise how many ms to wait before asking again. */
  claim(nowMs: number): number {
    const waitMs = this.lastAtMs + this.holdOffMs - nowMs;
    if (waitMs > 0) return waitMs;
    this.lastAtMs = nowMs;
    return 0;
  }
}
