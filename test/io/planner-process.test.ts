/**
 * Planning in a child process, as hems-planner does it: the same plan on a quiet and on a busy
 * machine, the greedy plan with its reason whatever goes wrong in the child, and a child that ends
 * when idle. The child runs from dist/ (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanOutcome } from '../../src/engine/planner-session';
import { PlannerProcess, type PlannerProcessOptions } from '../../src/io/planner-process';
import { pvRichSite, requestFor } from '../helpers/plan-requests';
import { waitFor } from '../helpers/peers';

const CHILD = join(__dirname, '..', '..', 'dist', 'src', 'io', 'planner-child.js');
/** Four loads on a PV-rich site with a binding export limit: relax and round cannot prove its plan, so branch and cut runs (about 1–4 s). */
const request = requestFor(pvRichSite(4, 8, Date.UTC(2026, 5, 1, 3)));

const opened: PlannerProcess[] = [];
function plannerProcess(options: PlannerProcessOptions = {}): PlannerProcess {
  const made = new PlannerProcess({ entry: CHILD, ...options });
  opened.push(made);
  return made;
}
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

/** Everything but the solve time, which is the one thing the wall clock may change. */
function planOf(outcome: PlanOutcome) {
  const { solveMs, ...plan } = outcome.plan!;
  expect(solveMs).toBeGreaterThan(0);
  return plan;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('planning in a child process', () => {
  it('gives the same plan for the same request on a quiet machine and with both cores busy', async () => {
    const planner = plannerProcess();
    const quiet = await planner.solve(request);
    expect(quiet.plan).toMatchObject({ planner: 'milp', solver: 'highs', method: 'branch_and_cut' });
    const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      const busy = await planner.solve(request);
      expect(planOf(busy)).toEqual(planOf(quiet));
      expect(busy.input).toEqual(quiet.input);
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
    }
  }, 180_000);

  it('ends the child when idle, and starts a new one for the next plan', async () => {
    const planner = plannerProcess({ idleExitMs: 200, timeLimitMs: 0 });
    const first = await planner.solve(request);
    expect(first.plan).toMatchObject({ planner: 'greedy', fallbackReason: 'time limit 0 ms leaves no time for the MILP' });
    const pid = planner.pid!;
    expect(isRunning(pid)).toBe(true);
    await waitFor(() => (isRunning(pid) ? undefined : true), 5000, 'the idle child to end');
    expect(planner.pid).toBeUndefined();
    await planner.solve(request);
    expect(planner.pid).not.toBe(pid);
  }, 30_000);

  const faults: Array<[string, PlannerProcessOptions, RegExp]> = [
    ['crash', {}, /^the plan process ended \(exit code 70\) before answering$/],
    ['hang', { hangAfterMs: 2000 }, /^the plan process gave no answer within 2 s and was stopped$/],
    ['heap', { maxHeapMb: 64 }, /^the plan process ran out of memory \(its JavaScript heap is capped at 64 MB\)$/],
    ['memory', { maxRssMb: 300 }, /^the plan process used \d+ MB, over its cap of 300 MB, and was stopped$/],
    ['garble', {}, /^the plan process answered with something that is no plan \(expected \{ id: 1, outcome \}, got \{"id":0,"plan":"not a plan"\}\)$/],
  ];
  it.each(faults)('falls back to the greedy plan, made by a fresh child, with the reason, when the child fails: %s', async (fault, options, reason) => {
    const planner = plannerProcess({ ...options, env: { HEMS_PLANNER_TEST_FAULT: fault } });
    const outcome = await planner.solve(request);
    expect(outcome.plan).toMatchObject({ planner: 'greedy', solver: 'greedy' });
    expect(outcome.plan!.fallbackReason).toMatch(reason);
    expect(outcome.plan!.loads).toHaveLength(8);
    // The child that made the greedy plan lives on until idle.
    expect(isRunning(planner.pid!)).toBe(true);
  }, 60_000);

  it('makes the greedy plan itself when the fresh child fails too', async () => {
    const planner = plannerProcess({ env: { HEMS_PLANNER_TEST_FAULT: 'crash', HEMS_PLANNER_TEST_FAULT_GREEDY: '1' } });
    const outcome = await planner.solve(request);
    expect(outcome.plan).toMatchObject({ planner: 'greedy', fallbackReason: 'the plan process ended (exit code 70) before answering' });
    expect(outcome.plan!.loads).toHaveLength(8);
    expect(planner.pid).toBeUndefined();
  }, 60_000);

  it('refuses a plan once closed', async () => {
    const planner = plannerProcess();
    planner.close();
    await expect(planner.solve(request)).rejects.toThrow('the planner was stopped');
  });
});
