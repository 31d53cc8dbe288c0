/**
 * One load's decision for this cycle, given the surplus left for it: override first, then the
 * load's mode. Modes are a table of two rules each: what the mode decides, and how much power it
 * makes mandatory before any load is offered surplus (so a higher-priority load never counts on
 * power a lower one cannot give up).
 */
import { NO_TIMERS, type DecisionContext, type LoadDecision } from './decision';
import { KIND_DEFAULTS, type ResolvedLoad } from './defaults';
import { decideOnLadder } from './ladder-decision';
import { kindOf, planAtRung, sgReadyPlan, type LadderLoad, type LoadPlan, type SgReady } from './load-kinds';
import { decideModulating } from './modulating-decision';
import { reason } from './reasons';
import type { LoadMode, LoadOverride } from './types';

function activeOverride(load: ResolvedLoad, nowMs: number): LoadOverride | null {
  const override = load.override;
  if (override === undefined) return null;
  return override.expiresAtMs === undefined || nowMs < override.expiresAtMs ? override : null;
}

function overridePlan(load: ResolvedLoad, override: LoadOverride, voltageV: number): LoadPlan {
  const kind = kindOf(load);
  if (load.kind === 'sg_ready' && override.sgReadyState !== undefined) return sgReadyPlan(load, override.sgReadyState);
  if (!override.on) return kind.offPlan(load);
  return override.powerW === undefined ? kind.fullPlan(load, voltageV) : kind.planForPower(load, override.powerW, voltageV);
}

function fixed(plan: LoadPlan, why: LoadDecision['reason']): LoadDecision {
  return { plan, consumptionW: plan.powerW, reason: why, timers: NO_TIMERS };
}

function minimumOf(ctx: DecisionContext): LoadPlan {
  return kindOf(ctx.load).minRunningPlan(ctx.load, ctx.current.phases ?? 1, ctx.voltageV);
}

const mayRun = (ctx: DecisionContext): boolean => ctx.current.rung > 0 || ctx.guard.blockStart === null;

function decideModeOff(ctx: DecisionContext): LoadDecision {
  const kind = kindOf(ctx.load);
  if (ctx.guard.holdOn !== null) return fixed(minimumOf(ctx), ctx.guard.holdOn);
  const off = kind.offPlan(ctx.load);
  return fixed(off, reason('modeOff', { state: kind.stateLabel(ctx.load, off) }));
}

function decideModeOn(ctx: DecisionContext): LoadDecision {
  const kind = kindOf(ctx.load);
  if (ctx.current.rung === 0 && ctx.guard.blockStart !== null) return fixed(kind.offPlan(ctx.load), ctx.guard.blockStart);
  const full = kind.fullPlan(ctx.load, ctx.voltageV);
  return fixed(full, reason('modeOn', { state: kind.stateLabel(ctx.load, full) }));
}

/** An SG Ready heat pump is forced on below its price threshold, surplus or not. */
function priceForcedOn(ctx: DecisionContext, load: SgReady): LoadDecision | null {
  const priceEurPerKwh = ctx.gridPriceEurPerKwh;
  const belowEurPerKwh = load.forceOnBelowPriceEurPerKwh ?? KIND_DEFAULTS.forceOnBelowPriceEurPerKwh;
  if (priceEurPerKwh === undefined || priceEurPerKwh >= belowEurPerKwh) return null;
  return fixed(sgReadyPlan(load, 'force_on'), reason('priceForceOn', { priceEurPerKwh, belowEurPerKwh }));
}

function decideLadderLoad(ctx: DecisionContext, load: LadderLoad, minSurplus: boolean): LoadDecision {
  const rungs = load.rungs;
  const { holdOn, blockStart } = ctx.guard;
  const floor =
    holdOn !== null
      ? { rung: 1, reason: () => holdOn }
      : minSurplus && blockStart === null
        ? { rung: 1, reason: (state: string) => reason('minimumFromGrid', { state, surplusW: ctx.budgetW }) }
        : null;
  const outcome = decideOnLadder({
    rungs,
    current: ctx.current.rung,
    floor,
    blockStart,
    idleState: load.kind === 'sg_ready' ? 'normal' : 'waiting',
    budgetW: ctx.budgetW,
    nowMs: ctx.nowMs,
    timers: { upSinceMs: ctx.memory.upSinceMs, downSinceMs: ctx.memory.downSinceMs, phaseSwitchSinceMs: null },
    enableDelaySeconds: load.enableDelaySeconds,
    disableDelaySeconds: load.disableDelaySeconds,
    toleratedImportW: load.toleratedImportW,
    toleratedImportSeconds: load.toleratedImportSeconds,
  });
  const plan = planAtRung(load, outcome.rung);
  const reservedW = rungs[outcome.reservedRung]?.powerW ?? 0;
  return { plan, consumptionW: Math.max(plan.powerW, reservedW), reason: outcome.reason, timers: outcome.timers };
}

/**
 * Surplus against the plan (docs/allocator.md): when exporting the surplus now earns more than the
 * dearest slot the plan still has for this load's job, the energy is cheaper later. The load then
 * takes no surplus: it runs only what it would without any (its min+surplus minimum, a minimum
 * on-time), and the plan's slot comes when it comes.
 */
function surplusKeptForPlan(ctx: DecisionContext, onSurplus: LoadDecision, minSurplus: boolean): LoadDecision | null {
  const later = ctx.load.plannedLater;
  const surplusEurPerKwh = ctx.surplusEurPerKwh;
  if (later === undefined || surplusEurPerKwh === undefined || surplusEurPerKwh <= later.eurPerKwh) return null;
  if (ctx.guard.holdOn !== null) return fixed(minimumOf(ctx), ctx.guard.holdOn);
  const withoutSurplus = minSurplus && mayRun(ctx) ? minimumOf(ctx) : kindOf(ctx.load).offPlan(ctx.load);
  if (onSurplus.consumptionW <= withoutSurplus.powerW) return null;
  const state = kindOf(ctx.load).stateLabel(ctx.load, withoutSurplus);
  return fixed(withoutSurplus, reason('surplusWorthMoreExported', { state, surplusEurPerKwh, laterEurPerKwh: later.eurPerKwh, slot: later.slot }));
}

function decideOnSurplus(ctx: DecisionContext, minSurplus: boolean): LoadDecision {
  const load = ctx.load;
  if (load.kind === 'modulating') return decideModulating(ctx, load, minSurplus);
  if (load.kind === 'sg_ready') return decideLadderLoad(ctx, load, false);
  return decideLadderLoad(ctx, load, minSurplus);
}

function decideAutomatic(ctx: DecisionContext, minSurplus: boolean): LoadDecision {
  const forced = ctx.load.kind === 'sg_ready' ? priceForcedOn(ctx, ctx.load) : null;
  if (forced !== null) return forced;
  const onSurplus = decideOnSurplus(ctx, minSurplus);
  return surplusKeptForPlan(ctx, onSurplus, minSurplus) ?? onSurplus;
}

interface ModeRule {
  decide: (ctx: DecisionContext) => LoadDecision;
  /** Power this mode commits before surplus is shared out. */
  mandatoryW: (ctx: DecisionContext) => number;
}

const heldOnW = (ctx: DecisionContext): number => (ctx.guard.holdOn !== null ? minimumOf(ctx).powerW : 0);

const MODE_RULES: Record<LoadMode, ModeRule> = {
  off: { decide: decideModeOff, mandatoryW: heldOnW },
  on: {
    decide: decideModeOn,
    mandatoryW: (ctx) => (mayRun(ctx) ? kindOf(ctx.load).fullPlan(ctx.load, ctx.voltageV).powerW : 0),
  },
  surplus: { decide: (ctx) => decideAutomatic(ctx, false), mandatoryW: heldOnW },
  min_surplus: {
    decide: (ctx) => decideAutomatic(ctx, true),
    mandatoryW: (ctx) => (mayRun(ctx) ? minimumOf(ctx).powerW : 0),
  },
};

/**
 * A planned slot is a floor: the plan's power at least, more when the surplus gives more. Mode off
 * (the user's word) and an override win over it; anti-cycling still guards a planned start.
 */
function plannedPlan(ctx: DecisionContext): LoadPlan | null {
  const planned = ctx.load.planned;
  if (!planned || planned.powerW <= 0 || ctx.load.mode === 'off' || !mayRun(ctx)) return null;
  return kindOf(ctx.load).planForPower(ctx.load, planned.powerW, ctx.voltageV);
}

function decideWithPlan(ctx: DecisionContext, floor: LoadPlan, why: string): LoadDecision {
  const byMode = MODE_RULES[ctx.load.mode].decide(ctx);
  if (byMode.plan.powerW >= floor.powerW) return byMode;
  return fixed(floor, reason('planned', { state: kindOf(ctx.load).stateLabel(ctx.load, floor), why }));
}

export function decideLoad(ctx: DecisionContext): LoadDecision {
  if (ctx.load.demand === false) {
    const off = kindOf(ctx.load).offPlan(ctx.load);
    return fixed(off, reason('noDemand', { state: kindOf(ctx.load).stateLabel(ctx.load, off) }));
  }
  const override = activeOverride(ctx.load, ctx.nowMs);
  if (override !== null) {
    const plan = overridePlan(ctx.load, override, ctx.voltageV);
    const state = kindOf(ctx.load).stateLabel(ctx.load, plan);
    return fixed(plan, reason('override', { state, expiresAtMs: override.expiresAtMs, timeZone: ctx.timeZone }));
  }
  const floor = plannedPlan(ctx);
  if (floor !== null) return decideWithPlan(ctx, floor, ctx.load.planned!.reason);
  return MODE_RULES[ctx.load.mode].decide(ctx);
}

/** Power the load will draw whatever the surplus: reserved before surplus is shared out. */
export function mandatoryPowerW(ctx: DecisionContext): number {
  if (ctx.load.demand === false) return 0;
  const override = activeOverride(ctx.load, ctx.nowMs);
  if (override !== null) return overridePlan(ctx.load, override, ctx.voltageV).powerW;
  const byMode = MODE_RULES[ctx.load.mode].mandatoryW(ctx);
  return Math.max(byMode, plannedPlan(ctx)?.powerW ?? 0);
}
