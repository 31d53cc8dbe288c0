/**
 * Automatic control of a modulating load. Starting and stopping follow the same threshold and
 * delay rules as a ladder load; between its minimum and maximum the load follows the surplus
 * every cycle, because changing a set-point does not wear anything. An EV charger with automatic
 * phase switching changes phase count only after the surplus has called for it for its own
 * switch delay, since every switch interrupts charging.
 */
import { secondsSince } from './anti-cycling';
import { NO_TIMERS, type DecisionContext, type LoadDecision, type LoadTimers } from './decision';
import { KIND_DEFAULTS } from './defaults';
import { kindOf, runningPlan, type LoadPlan, type Modulating } from './load-kinds';
import { fewestPhases, phaseOptions, phasesForSurplus, powerRangeW } from './modulating-range';
import { reason, type Reason } from './reasons';
import type { PhaseCount } from './types';

interface PhaseChoice {
  phases: PhaseCount;
  phaseSwitchSinceMs: number | null;
  switched: boolean;
  pending: { elapsedSeconds: number; delaySeconds: number; phases: PhaseCount } | null;
}

function phaseSwitchDelaySeconds(cfg: Modulating): number {
  return cfg.control === 'current' ? (cfg.phaseSwitchDelaySeconds ?? KIND_DEFAULTS.phaseSwitchDelaySeconds) : 0;
}

function choosePhases(ctx: DecisionContext, cfg: Modulating, currentPhases: PhaseCount): PhaseChoice {
  const wanted = phasesForSurplus(cfg, ctx.budgetW, ctx.voltageV);
  if (phaseOptions(cfg).length < 2 || wanted === currentPhases) {
    return { phases: currentPhases, phaseSwitchSinceMs: null, switched: false, pending: null };
  }
  const sinceMs = ctx.memory.phaseSwitchSinceMs ?? ctx.nowMs;
  const elapsedSeconds = secondsSince(sinceMs, ctx.nowMs);
  const delaySeconds = phaseSwitchDelaySeconds(cfg);
  if (elapsedSeconds >= delaySeconds) return { phases: wanted, phaseSwitchSinceMs: null, switched: true, pending: null };
  return { phases: currentPhases, phaseSwitchSinceMs: sinceMs, switched: false, pending: { elapsedSeconds, delaySeconds, phases: wanted } };
}

function decision(plan: LoadPlan, why: Reason, timers: LoadTimers, consumptionW = plan.powerW): LoadDecision {
  return { plan, consumptionW, reason: why, timers };
}

function decideStart(ctx: DecisionContext, cfg: Modulating, minSurplus: boolean): LoadDecision {
  const kind = kindOf(cfg);
  const off = kind.offPlan(cfg);
  const surplusW = ctx.budgetW;
  const thresholdW = cfg.enableThresholdW;
  const phases = phasesForSurplus(cfg, surplusW, ctx.voltageV);
  const planned = runningPlan(cfg, surplusW, phases, ctx.voltageV);
  const state = kind.stateLabel(cfg, planned);
  const waiting = reason('belowStart', { state: 'waiting', surplusW, thresholdW });

  if (ctx.guard.blockStart !== null) {
    return decision(off, minSurplus || surplusW >= thresholdW ? ctx.guard.blockStart : waiting, NO_TIMERS);
  }
  if (minSurplus) {
    const coversMinimum = surplusW >= powerRangeW(cfg, phases, ctx.voltageV).minW;
    return decision(planned, coversMinimum ? reason('following', { state, surplusW }) : reason('minimumFromGrid', { state, surplusW }), NO_TIMERS);
  }
  if (surplusW < thresholdW) return decision(off, waiting, NO_TIMERS);

  const sinceMs = ctx.memory.upSinceMs ?? ctx.nowMs;
  const elapsedSeconds = secondsSince(sinceMs, ctx.nowMs);
  const delaySeconds = cfg.enableDelaySeconds;
  if (elapsedSeconds >= delaySeconds) {
    return decision(planned, reason('started', { state, surplusW, thresholdW, delaySeconds }), NO_TIMERS);
  }
  const why = reason('pendingUp', { state: 'waiting', surplusW, thresholdW, elapsedSeconds, delaySeconds });
  return decision(off, why, { ...NO_TIMERS, upSinceMs: sinceMs }, planned.powerW);
}

function decideRunning(ctx: DecisionContext, cfg: Modulating, minSurplus: boolean): LoadDecision {
  const kind = kindOf(cfg);
  const surplusW = ctx.budgetW;
  const choice = choosePhases(ctx, cfg, ctx.current.phases ?? fewestPhases(cfg));
  const timers = { ...NO_TIMERS, phaseSwitchSinceMs: choice.phaseSwitchSinceMs };

  if (surplusW >= cfg.disableThresholdW) {
    const plan = runningPlan(cfg, surplusW, choice.phases, ctx.voltageV);
    const state = kind.stateLabel(cfg, plan);
    if (choice.switched) {
      const delaySeconds = phaseSwitchDelaySeconds(cfg);
      return decision(plan, reason('phaseSwitched', { state, phases: choice.phases, surplusW, delaySeconds }), timers);
    }
    if (choice.pending !== null) return decision(plan, reason('phaseSwitchPending', { state, surplusW, ...choice.pending }), timers);
    return decision(plan, reason('following', { state, surplusW }), timers);
  }

  const minimum = kind.minRunningPlan(cfg, choice.phases, ctx.voltageV);
  if (minSurplus) return decision(minimum, reason('minimumFromGrid', { state: kind.stateLabel(cfg, minimum), surplusW }), timers);

  const sinceMs = ctx.memory.downSinceMs ?? ctx.nowMs;
  const held = { ...timers, downSinceMs: sinceMs };
  if (ctx.guard.holdOn !== null) return decision(minimum, ctx.guard.holdOn, held);

  const elapsedSeconds = secondsSince(sinceMs, ctx.nowMs);
  const importW = Math.max(0, minimum.powerW - surplusW);
  const tolerated = cfg.toleratedImportSeconds > cfg.disableDelaySeconds && importW <= cfg.toleratedImportW;
  const delaySeconds = tolerated ? cfg.toleratedImportSeconds : cfg.disableDelaySeconds;
  const thresholdW = cfg.disableThresholdW;
  if (elapsedSeconds >= delaySeconds) {
    const why = tolerated
      ? reason('toleratedImportEnd', { state: 'off', importW, seconds: delaySeconds })
      : reason('stopped', { state: 'off', surplusW, thresholdW, delaySeconds });
    return decision(kind.offPlan(cfg), why, NO_TIMERS);
  }
  const why = tolerated
    ? reason('toleratedImportHold', { state: 'held on', importW, toleratedW: cfg.toleratedImportW, leftSeconds: delaySeconds - elapsedSeconds })
    : reason('pendingDown', { state: 'held on', surplusW, thresholdW, elapsedSeconds, delaySeconds });
  return decision(minimum, why, held);
}

export function decideModulating(ctx: DecisionContext, cfg: Modulating, minSurplus: boolean): LoadDecision {
  return ctx.current.rung === 0 ? decideStart(ctx, cfg, minSurplus) : decideRunning(ctx, cfg, minSurplus);
}
