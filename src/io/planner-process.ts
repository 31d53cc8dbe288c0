/**
 * Plans in a child process (`planner-child.ts`), so HiGHS never holds up Node-RED's thread and its
 * memory (100–300 MB of WebAssembly heap, which a process never gives back) goes when the child
 * ends. A child, not a worker thread: a terminated worker left 90–130 MB in the parent, an ended
 * process returns all of it. The child starts on demand and ends after `idleExitMs` without work.
 *
 * Whatever goes wrong in the child (a crash, no answer in time, too much memory, an answer that is
 * no plan) ends it and the plan falls back to the greedy one, with the reason in `fallbackReason`;
 * the next plan starts a fresh child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planRequest, type PlanOutcome, type PlanRequest, type PlanSolver } from '../engine/planner-session';
import { DEFAULT_TIME_LIMIT_MS, type Plan } from '../engine/planner';
import { showValue } from '../engine/show-value';

/** What the child is asked: one plan. `planner` limits pass on to `plan()` there. */
export interface PlannerChildRequest {
  id: number;
  request: PlanRequest;
  planner: { timeLimitMs: number; nodeLimit?: number };
}

/** The outcome, or what went wrong while planning. */
export type PlannerChildAnswer = { id: number; outcome: PlanOutcome } | { id: number; error: string };

export interface PlannerProcessOptions {
  /** The MILP's wall-clock safety net in the child (0: greedy plans only). */
  timeLimitMs?: number;
  nodeLimit?: number;
  /** No answer to a MILP request by then (default: the time limit + 30 s for the child's start): the child is taken for hung and ended. A greedy request after a failure gets 30 s. */
  hangAfterMs?: number;
  /** The child ends after this long without work, and its memory with it. */
  idleExitMs?: number;
  /** Resident memory above which the child is ended (checked where /proc exists: Linux). */
  maxRssMb?: number;
  /** The child's JavaScript heap cap (V8 `--max-old-space-size`). */
  maxHeapMb?: number;
  /** The compiled child entry; tests running the TypeScript sources point it at dist/. */
  entry?: string;
  /** Extra environment for the child (tests inject faults with it). */
  env?: Record<string, string>;
}

export const DEFAULT_IDLE_EXIT_MS = 10_000;
/** HiGHS reached about 280 MB on the 40-load bench site; a runaway child is stopped well before a Raspberry Pi swaps. */
export const DEFAULT_MAX_RSS_MB = 1024;
export const DEFAULT_MAX_HEAP_MB = 256;
/** Starting the child and compiling highs.wasm, on a slow or busy machine, on top of the time limit. */
const START_ALLOWANCE_MS = 30_000;
const MEMORY_CHECK_MS = 100;
/** The last bit of the child's stderr, for the reason when it dies. */
const STDERR_KEPT_CHARS = 2000;

/** Why the child's answer is no plan, or undefined when it is one. */
export function answerProblem(answer: unknown, id: number): string | undefined {
  const a = answer as { id?: unknown; outcome?: unknown; error?: unknown } | null;
  if (typeof a !== 'object' || a === null || a.id !== id) return `expected { id: ${id}, outcome }, got ${showValue(answer)}`;
  if (typeof a.error === 'string') return undefined;
  const o = a.outcome as Partial<PlanOutcome> | undefined;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.problems)) return 'the outcome lists no problems';
  if (o.plan === undefined) return o.input === undefined ? undefined : 'an input came back without its plan';
  const p = o.plan as Partial<Plan>;
  if (!Array.isArray(o.input?.slots) || !Array.isArray(o.input?.loads)) return 'a plan came back without its input';
  if (typeof p.planner !== 'string' || !Array.isArray(p.loads) || !Array.isArray(p.site) || typeof p.cost?.totalEur !== 'number') return 'the plan lacks planner, loads, site or cost';
  return undefined;
}

/** The child's resident memory in MB, or undefined where /proc does not tell. */
async function residentMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Pending {
  resolve: (answer: unknown) => void;
  fail: (reason: string) => void;
}

export class PlannerProcess {
  private child: ChildProcess | undefined;
  private stderr = '';
  private pending: Pending | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly timeLimitMs: number;

  constructor(private readonly options: PlannerProcessOptions = {}) {
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  }

  /** The `PlanSolver` the node injects: one plan at a time, in call order. */
  readonly solve: PlanSolver = (request) => {
    const next = this.queue.then(() => this.planInChild(request));
    this.queue = next.catch(() => undefined);
    return next;
  };

  /** The child's pid while it runs (tests check it ends when idle). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the child; a plan under way is refused. */
  close(): void {
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.pending?.fail('the planner was stopped');
    this.stopChild();
  }

  private async planInChild(request: PlanRequest): Promise<PlanOutcome> {
    if (this.closed) throw new Error('the planner was stopped');
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    const message: PlannerChildRequest = { id, request, planner: { timeLimitMs: this.timeLimitMs, ...(this.options.nodeLimit !== undefined ? { nodeLimit: this.options.nodeLimit } : {}) } };
    try {
      const answer = await this.ask(message);
      const problem = answerProblem(answer, id);
      if (problem !== undefined) {
        this.stopChild();
        return await this.greedy(request, `the plan process answered with something that is no plan (${problem})`);
      }
      const answered = answer as PlannerChildAnswer;
      return 'error' in answered ? await this.greedy(request, `planning failed: ${answered.error}`) : answered.outcome;
    } catch (err) {
      if (this.closed) throw err;
      return await this.greedy(request, (err as Error).message);
    } finally {
      if (!this.closed && this.child) {
        this.idleTimer = setTimeout(() => this.stopChild(), this.options.idleExitMs ?? DEFAULT_IDLE_EXIT_MS);
        this.idleTimer.unref();
      }
    }
  }

  /**
   * The greedy plan after the child failed, with the reason: from a fresh child (without HiGHS,
   * the likely culprit), so even a 40-load site's slots are not built on Node-RED's thread; made
   * here only when that child fails too.
   */
  private async greedy(request: PlanRequest, reason: string): Promise<PlanOutcome> {
    const id = this.nextId++;
    try {
      const answer = await this.ask({ id, request, planner: { timeLimitMs: 0 } }, START_ALLOWANCE_MS);
      if (answerProblem(answer, id) === undefined && 'outcome' in (answer as PlannerChildAnswer)) return withReason((answer as { outcome: PlanOutcome }).outcome, reason);
      this.stopChild();
    } catch (err) {
      if (this.closed) throw err;
      // The fresh child failed as well: the plan is made here.
    }
    return withReason(planRequest(request, {}), reason);
  }

  /** Sends one request and waits for the answer; rejects with the reason the child failed. */
  private ask(message: PlannerChildRequest, hangAfterMs = this.options.hangAfterMs ?? this.timeLimitMs + START_ALLOWANCE_MS): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = this.child ?? this.startChild();
      } catch (err) {
        reject(new Error(`the plan process did not start: ${(err as Error).message}`));
        return;
      }
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(hang);
        clearInterval(memory);
        this.pending = undefined;
      };
      const fail = (reason: string) => {
        if (settled) return;
        settle();
        this.stopChild();
        reject(new Error(reason));
      };
      this.pending = {
        resolve: (answer) => {
          if (settled) return;
          settle();
          resolve(answer);
        },
        fail,
      };
      const hang = setTimeout(() => fail(`the plan process gave no answer within ${Math.round(hangAfterMs / 1000)} s and was stopped`), hangAfterMs);
      const maxRssMb = this.options.maxRssMb ?? DEFAULT_MAX_RSS_MB;
      const memory = setInterval(() => {
        const pid = child.pid;
        if (pid === undefined) return;
        void residentMb(pid).then((mb) => {
          if (mb !== undefined && mb > maxRssMb) fail(`the plan process used ${Math.round(mb)} MB, over its cap of ${maxRssMb} MB, and was stopped`);
        });
      }, MEMORY_CHECK_MS);
      child.send(message, (err) => {
        if (err) fail(`the plan process could not be asked: ${err.message}`);
      });
    });
  }

  private startChild(): ChildProcess {
    const heapMb = this.options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB;
    const child = fork(this.options.entry ?? join(__dirname, 'planner-child.js'), [], {
      // Not the parent's flags (Node-RED's own heap size, inspector, test loaders).
      execArgv: [`--max-old-space-size=${heapMb}`],
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    this.stderr = '';
    // A child already let go (stopped, or replaced) has no say about the plan under way.
    const current = () => this.child === child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (current()) this.stderr = (this.stderr + text).slice(-STDERR_KEPT_CHARS);
    });
    child.on('message', (answer: unknown) => {
      if (current()) this.pending?.resolve(answer);
    });
    child.on('error', (err) => {
      if (current()) this.pending?.fail(`the plan process failed: ${err.message}`);
    });
    // 'close', not 'exit': by then the child's last words on stderr (a heap out of memory) are in.
    child.on('close', (code, signal) => {
      if (!current()) return;
      this.child = undefined;
      clearTimeout(this.idleTimer);
      const heap = /heap out of memory|Reached heap limit/i.test(this.stderr);
      const how = heap ? `ran out of memory (its JavaScript heap is capped at ${heapMb} MB)` : `ended (${signal ? `signal ${signal}` : `exit code ${code}`}) before answering`;
      this.pending?.fail(`the plan process ${how}`);
    });
    return child;
  }

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    clearTimeout(this.idleTimer);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The greedy plan with the reason the MILP could not make it. */
function withReason(outcome: PlanOutcome, reason: string): PlanOutcome {
  return outcome.plan ? { ...outcome, plan: { ...outcome.plan, fallbackReason: reason } } : outcome;
}
