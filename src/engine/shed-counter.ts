/**
 * Every internal queue has a bound; what it sheds past the bound is counted and said, but not on
 * every item of a flood: at the first one, then at most once a minute with the count since.
 */
export const SHED_WARNING_EVERY_MS = 60_000;

export class ShedCounter {
  /** Items shed since the start. */
  total = 0;
  private unreported = 0;
  private reportedAtMs = Number.NEGATIVE_INFINITY;

  /** `warning` words the log line from the items shed since the last one and since the start. */
  constructor(private readonly warning: (sinceLast: number, total: number) => string) {}

  /** Counts one shed item; returns the warning to log when one is due. */
  shed(nowMs: number): string | undefined {
    this.total += 1;
    this.unreported += 1;
    if (nowMs - this.reportedAtMs < SHED_WARNING_EVERY_MS) return undefined;
    const text = this.warning(this.unreported, this.total);
    this.unreported = 0;
    this.reportedAtMs = nowMs;
    return text;
  }
}
