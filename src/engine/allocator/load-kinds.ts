/**
 * What differs between load kinds, as one table: how a plan is built, what it draws, how it
 * reads in a reason, how it is reduced when a grid limit needs power back, and which command it
 * becomes. The deciding and limiting code is written once against this table.
 */
import { KIND_DEFAULTS, type ResolvedLoad } from './defaults';
import { formatCurrentA, formatPowerKw } from './format';
import { rungAtOrBelow, SG_READY_LADDER_STATES } from './ladder';
import { fewestPhases, mostPhases, powerRangeW, snapPowerW } from './modulating-range';
import type {
  LoadCommand,
  LoadCommandCommon,
  LoadKind,
  LoadMemory,
  LoadReading,
  PhaseConnection,
  PhaseCount,
  SgReadyState,
} from './types';

export interface LoadPlan {
  /** Power drawn from the surplus (sg_ready: the boost on top of normal operation). */
  powerW: number;
  /** Ladder kinds: index of the rung. Modulating: 0 = off, 1 = running. */
  rung: number;
  phases?: PhaseCount;
  currentA?: number;
  sgReadyState?: SgReadyState;
}

export type PhaseShares = readonly [number, number, number];

export type RememberedCommand = Pick<LoadMemory, 'commandedPowerW' | 'phases' | 'sgReadyState'>;

interface KindBehaviour<C extends ResolvedLoad> {
  offPlan(cfg: C): LoadPlan;
  fullPlan(cfg: C, voltageV: number): LoadPlan;
  /** The least a running load can draw, e.g. while held on by its minimum on-time. */
  minRunningPlan(cfg: C, phases: PhaseCount, voltageV: number): LoadPlan;
  /** Override with a power: the highest level at or below it. */
  planForPower(cfg: C, powerW: number, voltageV: number): LoadPlan;
  planFromMemory(cfg: C, memory: LoadMemory, voltageV: number): LoadPlan;
  rememberedFromReading(cfg: C, reading: LoadReading, voltageV: number): RememberedCommand;
  /** The part of the measured draw the allocator may redistribute. */
  shiftableDrawW(cfg: C, reading: LoadReading, memory: LoadMemory): number;
  /** Everything the load will draw under the plan, shiftable or not. */
  plannedTotalDrawW(cfg: C, plan: LoadPlan, reading: LoadReading, shiftableNowW: number): number;
  stateLabel(cfg: C, plan: LoadPlan): string;
  /** One step down to give back at least `neededW`, or null when nothing is left to reduce. */
  reduce(cfg: C, plan: LoadPlan, neededW: number, voltageV: number): LoadPlan | null;
  phaseShares(cfg: C, plan: LoadPlan): PhaseShares;
  toCommand(cfg: C, plan: LoadPlan, common: LoadCommandCommon): LoadCommand;
}

export type OnOff = Extract<ResolvedLoad, { kind: 'on_off' }>;
export type Stepped = Extract<ResolvedLoad, { kind: 'stepped' }>;
export type Modulating = Extract<ResolvedLoad, { kind: 'modulating' }>;
export type SgReady = Extract<ResolvedLoad, { kind: 'sg_ready' }>;

const PHASE_SHARES: Record<PhaseConnection, PhaseShares> = {
  L1: [1, 0, 0],
  L2: [0, 1, 0],
  L3: [0, 0, 1],
  L1L2L3: [1 / 3, 1 / 3, 1 / 3],
};

function ladderPlan(powerW: number, rung: number): LoadPlan {
  return { powerW, rung };
}

const onOff: KindBehaviour<OnOff> = {
  offPlan: () => ladderPlan(0, 0),
  fullPlan: (cfg) => ladderPlan(cfg.powerW, 1),
  minRunningPlan: (cfg) => ladderPlan(cfg.powerW, 1),
  planForPower: (cfg, powerW) => (powerW >= cfg.powerW ? ladderPlan(cfg.powerW, 1) : ladderPlan(0, 0)),
  planFromMemory: (cfg, memory) => (memory.commandedPowerW > 0 ? ladderPlan(cfg.powerW, 1) : ladderPlan(0, 0)),
  rememberedFromReading: (cfg, reading) => ({ commandedPowerW: reading.on ? cfg.powerW : 0 }),
  shiftableDrawW: (_cfg, reading) => reading.powerW,
  plannedTotalDrawW: (_cfg, plan) => plan.powerW,
  stateLabel: (_cfg, plan) => (plan.rung > 0 ? 'on' : 'off'),
  reduce: (_cfg, plan) => (plan.rung > 0 ? ladderPlan(0, 0) : null),
  phaseShares: (cfg) => PHASE_SHARES[cfg.phase ?? KIND_DEFAULTS.phase],
  toCommand: (_cfg, plan, common) => ({ ...common, kind: 'on_off', on: plan.rung > 0 }),
};

function steppedPlan(cfg: Stepped, rung: number): LoadPlan {
  const rungs = cfg.rungs;
  const bounded = Math.max(0, Math.min(rungs.length - 1, rung));
  return ladderPlan(rungs[bounded]?.powerW ?? 0, bounded);
}

const stepped: KindBehaviour<Stepped> = {
  offPlan: () => ladderPlan(0, 0),
  fullPlan: (cfg) => steppedPlan(cfg, cfg.stagePowersW.length),
  minRunningPlan: (cfg) => steppedPlan(cfg, 1),
  planForPower: (cfg, powerW) => steppedPlan(cfg, rungAtOrBelow(cfg.rungs, powerW)),
  planFromMemory: (cfg, memory) => steppedPlan(cfg, rungAtOrBelow(cfg.rungs, memory.commandedPowerW)),
  rememberedFromReading: (cfg, reading) => {
    const rung = reading.stage ?? rungAtOrBelow(cfg.rungs, reading.on ? reading.powerW : 0);
    return { commandedPowerW: steppedPlan(cfg, rung).powerW };
  },
  shiftableDrawW: (_cfg, reading) => reading.powerW,
  plannedTotalDrawW: (_cfg, plan) => plan.powerW,
  stateLabel: (cfg, plan) => cfg.rungs[plan.rung]?.label ?? 'off',
  reduce: (cfg, plan) => (plan.rung > 0 ? steppedPlan(cfg, plan.rung - 1) : null),
  phaseShares: (cfg) => PHASE_SHARES[cfg.phase ?? KIND_DEFAULTS.phase],
  toCommand: (_cfg, plan, common) => ({ ...common, kind: 'stepped', stage: plan.rung }),
};

/** A running modulating load at `powerW`, clamped to its range and snapped to whole amperes. */
export function runningPlan(cfg: Modulating, powerW: number, phases: PhaseCount, voltageV: number): LoadPlan {
  const snapped = snapPowerW(cfg, powerW, phases, voltageV);
  return cfg.control === 'current'
    ? { powerW: snapped.powerW, rung: 1, phases, currentA: snapped.currentA }
    : { powerW: snapped.powerW, rung: 1 };
}

function reducedModulatingPlan(cfg: Modulating, plan: LoadPlan, neededW: number, voltageV: number): LoadPlan {
  const phases = plan.phases ?? fewestPhases(cfg);
  const range = powerRangeW(cfg, phases, voltageV);
  const targetW = plan.powerW - neededW;
  if (targetW < range.minW) return ladderPlan(0, 0);
  const reduced = runningPlan(cfg, targetW, phases, voltageV);
  if (reduced.powerW < plan.powerW) return reduced;
  // Rounding to whole amperes gave nothing back: one ampere less, or off at the minimum.
  const oneAmpLessW = plan.powerW - voltageV * phases;
  return oneAmpLessW >= range.minW ? runningPlan(cfg, oneAmpLessW, phases, voltageV) : ladderPlan(0, 0);
}

const modulating: KindBehaviour<Modulating> = {
  offPlan: () => ladderPlan(0, 0),
  fullPlan: (cfg, voltageV) => runningPlan(cfg, Number.POSITIVE_INFINITY, mostPhases(cfg), voltageV),
  minRunningPlan: (cfg, phases, voltageV) => runningPlan(cfg, 0, phases, voltageV),
  planForPower: (cfg, powerW, voltageV) =>
    runningPlan(cfg, powerW, powerW >= powerRangeW(cfg, mostPhases(cfg), voltageV).minW ? mostPhases(cfg) : fewestPhases(cfg), voltageV),
  planFromMemory: (cfg, memory, voltageV) =>
    memory.commandedPowerW > 0
      ? runningPlan(cfg, memory.commandedPowerW, memory.phases ?? fewestPhases(cfg), voltageV)
      : ladderPlan(0, 0),
  rememberedFromReading: (cfg, reading, voltageV) => {
    const phases = reading.phases ?? fewestPhases(cfg);
    return {
      commandedPowerW: reading.on ? runningPlan(cfg, reading.powerW, phases, voltageV).powerW : 0,
      phases,
    };
  },
  shiftableDrawW: (_cfg, reading) => reading.powerW,
  plannedTotalDrawW: (_cfg, plan) => plan.powerW,
  stateLabel: (cfg, plan) => {
    if (plan.rung === 0) return 'off';
    if (cfg.control === 'power') return formatPowerKw(plan.powerW);
    return `${formatCurrentA(plan.currentA ?? 0)} × ${plan.phases ?? 1} ph (${formatPowerKw(plan.powerW)})`;
  },
  reduce: (cfg, plan, neededW, voltageV) => (plan.rung > 0 ? reducedModulatingPlan(cfg, plan, neededW, voltageV) : null),
  phaseShares: (cfg, plan) => {
    if (cfg.control === 'power') return PHASE_SHARES[cfg.phase ?? KIND_DEFAULTS.phase];
    return (plan.phases ?? fewestPhases(cfg)) === 3 ? PHASE_SHARES.L1L2L3 : PHASE_SHARES[cfg.singlePhase ?? KIND_DEFAULTS.phase];
  },
  toCommand: (cfg, plan, common) =>
    cfg.control === 'current'
      ? { ...common, kind: 'modulating', on: plan.rung > 0, currentA: plan.rung > 0 ? plan.currentA : 0, phases: plan.phases }
      : { ...common, kind: 'modulating', on: plan.rung > 0 },
};

export function sgReadyPlan(cfg: SgReady, state: SgReadyState): LoadPlan {
  const rung = Math.max(0, SG_READY_LADDER_STATES.indexOf(state as (typeof SG_READY_LADDER_STATES)[number]));
  return { powerW: cfg.rungs[rung]?.powerW ?? 0, rung, sgReadyState: state };
}

function isBoosted(state: SgReadyState | undefined): boolean {
  return state === 'recommend' || state === 'force_on';
}

const sgReady: KindBehaviour<SgReady> = {
  offPlan: (cfg) => sgReadyPlan(cfg, 'normal'),
  fullPlan: (cfg) => sgReadyPlan(cfg, 'force_on'),
  minRunningPlan: (cfg) => sgReadyPlan(cfg, 'normal'),
  planForPower: (cfg, powerW) => sgReadyPlan(cfg, powerW >= cfg.boostPowerW ? 'force_on' : 'normal'),
  planFromMemory: (cfg, memory) => sgReadyPlan(cfg, memory.sgReadyState ?? 'normal'),
  rememberedFromReading: (cfg, reading) => {
    const state = reading.sgReadyState ?? 'normal';
    return { commandedPowerW: isBoosted(state) ? cfg.boostPowerW : 0, sgReadyState: state };
  },
  shiftableDrawW: (cfg, reading, memory) =>
    isBoosted(memory.sgReadyState) ? Math.min(Math.max(0, reading.powerW), cfg.boostPowerW) : 0,
  plannedTotalDrawW: (_cfg, plan, reading, shiftableNowW) =>
    plan.sgReadyState === 'lock' ? 0 : reading.powerW - shiftableNowW + plan.powerW,
  stateLabel: (_cfg, plan) => plan.sgReadyState ?? 'normal',
  reduce: (cfg, plan) => (plan.sgReadyState === 'lock' ? null : sgReadyPlan(cfg, 'lock')),
  phaseShares: (cfg) => PHASE_SHARES[cfg.phase ?? KIND_DEFAULTS.phase],
  toCommand: (_cfg, plan, common) => ({ ...common, kind: 'sg_ready', sgReadyState: plan.sgReadyState ?? 'normal' }),
};

const KINDS: { [K in LoadKind]: KindBehaviour<Extract<ResolvedLoad, { kind: K }>> } = {
  on_off: onOff,
  stepped,
  modulating,
  sg_ready: sgReady,
};

export function kindOf(load: ResolvedLoad): KindBehaviour<ResolvedLoad> {
  // The table is keyed by the same discriminant, so the entry always matches the load.
  return KINDS[load.kind] as unknown as KindBehaviour<ResolvedLoad>;
}

export function samePlan(a: LoadPlan, b: LoadPlan): boolean {
  return a.rung === b.rung && a.powerW === b.powerW && a.phases === b.phases && a.sgReadyState === b.sgReadyState;
}

export type LadderLoad = OnOff | Stepped | SgReady;

export function planAtRung(load: LadderLoad, rung: number): LoadPlan {
  if (load.kind === 'on_off') return rung > 0 ? onOff.fullPlan(load, 0) : onOff.offPlan(load);
  if (load.kind === 'stepped') return steppedPlan(load, rung);
  return sgReadyPlan(load, SG_READY_LADDER_STATES[rung] ?? 'normal');
}
