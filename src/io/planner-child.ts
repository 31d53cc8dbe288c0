/**
 * The child process that makes plans (started by planner-process.ts): it takes one request at a
 * time over the IPC channel, plans it with HiGHS and answers; it ends when its parent lets it go.
 */
import { loadHighsSolver, type MilpSolver } from '../engine/planner';
import { planRequest, type PlanOutcome } from '../engine/planner-session';
import type { PlannerChildAnswer, PlannerChildRequest } from './planner-process';

/**
 * Test-only faults (`HEMS_PLANNER_TEST_FAULT`), so tests can prove the parent survives each: a
 * crash, a hang, the JavaScript heap exhausted, memory outside the heap (as HiGHS's WebAssembly
 * memory grows) and an answer that is no plan. They hit requests for the MILP, where HiGHS would
 * fail; with `HEMS_PLANNER_TEST_FAULT_GREEDY=1` greedy-only requests too.
 */
const FAULTS: Record<string, () => void> = {
  crash: () => process.exit(70),
  hang: () => {
    for (;;);
  },
  heap: () => {
    const kept: number[][] = [];
    for (;;) kept.push(new Array(1_000_000).fill(kept.length + 0.5));
  },
  memory: () => {
    // 8 MB every 10 ms, up to 2 GB (then a hang), so the parent's check has time to see it.
    const kept: Buffer[] = [];
    for (;;) {
      if (kept.length < 256) kept.push(Buffer.alloc(8 << 20, 1));
      const untilMs = Date.now() + 10;
      while (Date.now() < untilMs);
    }
  },
  garble: () => process.send!({ id: 0, plan: 'not a plan' }),
};

let solver: Promise<MilpSolver | Error> | undefined;

async function answer(message: PlannerChildRequest): Promise<PlanOutcome> {
  solver ??= loadHighsSolver().catch((err: Error) => err);
  const loaded = message.planner.timeLimitMs > 0 ? await solver : undefined;
  if (loaded instanceof Error) {
    const outcome = planRequest(message.request, {});
    return outcome.plan ? { ...outcome, plan: { ...outcome.plan, fallbackReason: `HiGHS did not load: ${loaded.message}` } } : outcome;
  }
  return planRequest(message.request, { ...message.planner, solver: loaded });
}

process.on('message', (message: PlannerChildRequest) => {
  const fault = process.env.HEMS_PLANNER_TEST_FAULT;
  const hit = message.planner.timeLimitMs > 0 || process.env.HEMS_PLANNER_TEST_FAULT_GREEDY === '1';
  if (fault !== undefined && hit && Object.hasOwn(FAULTS, fault)) return FAULTS[fault]();
  void answer(message).then(
    (outcome) => process.send!({ id: message.id, outcome } satisfies PlannerChildAnswer),
    (err: Error) => process.send!({ id: message.id, error: err.message } satisfies PlannerChildAnswer),
  );
});
process.on('disconnect', () => process.exit(0));
