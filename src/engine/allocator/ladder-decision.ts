/**
 * Automatic control of a ladder load: climb when the surplus has covered the next rung's
 * threshold for the enable delay, descend when it has stayed below the current rung's threshold
 * for the disable delay. While waiting to climb, the load reserves the higher rung's power so a
 * lower-priority load cannot take it in the meantime.
 */
import { secondsSince } from './anti-cycling';
import type { LoadTimers } from './decision';
import type { Rung } from './ladder';
import { reason, type Reason } from './reasons';

export interface LadderRun {
  rungs: Rung[];
  current: number;
  /** Lowest rung allowed (minimum on-time, min+surplus minimum) and how that reads. */
  floor: { rung: number; reason: (state: string) => Reason } | null;
  /** Why a stopped load may not start (minimum off-time, starts per hour). */
  blockStart: Reason | null;
  /** How the bottom rung reads while waiting for surplus: "waiting" or "normal". */
  idleState: string;
  budgetW: number;
  nowMs: number;
  timers: LoadTimers;
  enableDelaySeconds: number;
  disableDelaySeconds: number;
  toleratedImportW: number;
  toleratedImportSeconds: number;
}

export interface LadderOutcome {
  rung: number;
  reservedRung: number;
  reason: Reason;
  timers: LoadTimers;
}

function labelOf(run: LadderRun, rung: number): string {
  return run.rungs[rung]?.label ?? 'off';
}

function rungAt(run: LadderRun, rung: number): Rung {
  return run.rungs[rung] ?? { label: 'off', powerW: 0, upThresholdW: 0, downThresholdW: 0 };
}

/** With a single running rung the target is obvious; with several it is named. */
function targetLabel(run: LadderRun, rung: number): string | undefined {
  return run.rungs.length > 2 ? labelOf(run, rung) : undefined;
}

function highestClimbable(run: LadderRun, base: number): number | null {
  const ceiling = base === 0 && run.blockStart !== null ? 0 : run.rungs.length - 1;
  for (let rung = ceiling; rung > base; rung -= 1) {
    if (run.budgetW >= rungAt(run, rung).upThresholdW) return rung;
  }
  return null;
}

function climb(run: LadderRun, base: number, up: number): LadderOutcome {
  const sinceMs = run.timers.upSinceMs ?? run.nowMs;
  const elapsedSeconds = secondsSince(sinceMs, run.nowMs);
  const thresholdW = rungAt(run, up).upThresholdW;
  const timers = { ...run.timers, downSinceMs: null };
  if (elapsedSeconds >= run.enableDelaySeconds) {
    return {
      rung: up,
      reservedRung: up,
      reason: reason('started', { state: labelOf(run, up), surplusW: run.budgetW, thresholdW, delaySeconds: run.enableDelaySeconds }),
      timers: { ...timers, upSinceMs: null },
    };
  }
  return {
    rung: base,
    reservedRung: up,
    reason: reason('pendingUp', {
      state: base === 0 ? run.idleState : labelOf(run, base),
      target: targetLabel(run, up),
      surplusW: run.budgetW,
      thresholdW,
      elapsedSeconds,
      delaySeconds: run.enableDelaySeconds,
    }),
    timers: { ...timers, upSinceMs: sinceMs },
  };
}

function highestStayable(run: LadderRun, base: number): number {
  for (let rung = base - 1; rung > 0; rung -= 1) {
    if (run.budgetW >= rungAt(run, rung).downThresholdW) return rung;
  }
  return 0;
}

function descend(run: LadderRun, base: number): LadderOutcome {
  const sinceMs = run.timers.downSinceMs ?? run.nowMs;
  const timers = { ...run.timers, upSinceMs: null, downSinceMs: sinceMs };
  const floor = run.floor;
  if (floor !== null && floor.rung >= base) return { rung: base, reservedRung: base, reason: floor.reason(labelOf(run, base)), timers };
  const target = Math.max(highestStayable(run, base), floor?.rung ?? 0);

  const elapsedSeconds = secondsSince(sinceMs, run.nowMs);
  const thresholdW = rungAt(run, base).downThresholdW;
  const importW = Math.max(0, rungAt(run, base).powerW - run.budgetW);
  const tolerated = run.toleratedImportSeconds > run.disableDelaySeconds && importW <= run.toleratedImportW;
  const delaySeconds = tolerated ? run.toleratedImportSeconds : run.disableDelaySeconds;
  const holdState = run.rungs.length > 2 ? labelOf(run, base) : 'held on';

  if (elapsedSeconds >= delaySeconds) {
    const state = labelOf(run, target);
    return {
      rung: target,
      reservedRung: target,
      reason: tolerated
        ? reason('toleratedImportEnd', { state, importW, seconds: delaySeconds })
        : reason('stopped', { state, surplusW: run.budgetW, thresholdW, delaySeconds }),
      timers: { ...timers, downSinceMs: null },
    };
  }
  return {
    rung: base,
    reservedRung: base,
    reason: tolerated
      ? reason('toleratedImportHold', {
          state: holdState,
          importW,
          toleratedW: run.toleratedImportW,
          leftSeconds: delaySeconds - elapsedSeconds,
        })
      : reason('pendingDown', {
          state: holdState,
          target: targetLabel(run, target),
          surplusW: run.budgetW,
          thresholdW,
          elapsedSeconds,
          delaySeconds,
        }),
    timers,
  };
}

function stay(run: LadderRun, base: number): LadderOutcome {
  const timers = { ...run.timers, upSinceMs: null, downSinceMs: null };
  const outcome = (why: Reason): LadderOutcome => ({ rung: base, reservedRung: base, reason: why, timers });
  if (base === 0) {
    const startThresholdW = rungAt(run, 1).upThresholdW;
    if (run.blockStart !== null && run.budgetW >= startThresholdW) return outcome(run.blockStart);
    return outcome(reason('belowStart', { state: run.idleState, surplusW: run.budgetW, thresholdW: startThresholdW }));
  }
  if (run.floor !== null && base > run.current) return outcome(run.floor.reason(labelOf(run, base)));
  return outcome(reason('running', { state: labelOf(run, base), surplusW: run.budgetW, thresholdW: rungAt(run, base).downThresholdW }));
}

export function decideOnLadder(run: LadderRun): LadderOutcome {
  const top = run.rungs.length - 1;
  const base = Math.min(top, Math.max(run.current, run.floor?.rung ?? 0));
  const up = highestClimbable(run, base);
  if (up !== null) return climb(run, base, up);
  if (base > 0 && run.budgetW < rungAt(run, base).downThresholdW) return descend(run, base);
  return stay(run, base);
}
