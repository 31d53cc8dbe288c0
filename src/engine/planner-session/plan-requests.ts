/**
 * Plan requests as a bounded queue of one: one plan runs at a time; every request that comes
 * while it runs is merged into a single follow-up plan, made after it with what is known by then.
 * However many inputs arrive (a burst of prices, jobs, a flood of replans), at most two plans
 * are ever pending: the running one and the next.
 */
export class PlanRequests {
  private running = false;
  private followUp = false;
  /** Requests that made no plan of their own: a follow-up was already due. */
  merged = 0;

  constructor(private readonly plan: () => Promise<void>) {}

  /** Plans now, or once more after the plan under way. */
  request(): void {
    if (this.running) {
      if (this.followUp) this.merged++;
      this.followUp = true;
      return;
    }
    this.running = true;
    void this.plan().finally(() => {
      this.running = false;
      if (!this.followUp) return;
      this.followUp = false;
      this.request();
    });
  }

  /** No follow-up after the plan under way (the node is closing). */
  cancel(): void {
    this.followUp = false;
  }
}
