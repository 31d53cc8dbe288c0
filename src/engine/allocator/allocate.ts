/**
 * One control cycle. All loads are decided together: surplus is shared out in priority order,
 * then grid limits trim the plan, then the inverter is curtailed for whatever export is left.
 * Pure: the same input always gives the same output, and the memory it returns is the only state.
 */
import { recordSwitch, switchGuard } from './anti-cycling';
import { NO_TIMERS, type DecisionContext } from './decision';
import { decideLoad, mandatoryPowerW } from './decide-load';
import { resolveLoad, resolveSettings, type ResolvedLoad, type ResolvedSettings } from './defaults';
import { inverterLimit, maxExportW, staleInverterLimit, type InverterLimit } from './export-limit';
import { applyDimming14a, applyFuseLimit, applyHeatPumpLock, applyImportCap } from './grid-limits';
import { kindOf, samePlan } from './load-kinds';
import { totalDeltaW, type PlannedLoad } from './planned-load';
import { reason, siteReason } from './reasons';
import { evaluateRippleControl, type RippleOutcome } from './ripple-control';
import { safePlan, safeStateLabel } from './safe-state';
import { computeSurplus, projectGridPowerW } from './surplus';
import { probeHiddenSurplus, type ProbeMemory } from './surplus-probe';
import type {
  AllocatorInput,
  AllocatorMemory,
  AllocatorOutput,
  LoadCommand,
  LoadConfig,
  LoadMemory,
  LoadReading,
  SiteDecision,
} from './types';

const NO_READING: LoadReading = { powerW: 0, on: false };

/** Memory for the first cycle: every load starts from what its reading says. */
export const EMPTY_MEMORY: AllocatorMemory = Object.freeze({ loads: Object.freeze({}) }) as AllocatorMemory;

function initialMemory(load: ResolvedLoad, reading: LoadReading | undefined, voltageV: number): LoadMemory {
  const remembered = reading === undefined ? { commandedPowerW: 0 } : kindOf(load).rememberedFromReading(load, reading, voltageV);
  return { ...remembered, switchedOnAtMs: null, switchedOffAtMs: null, startTimesMs: [], ...NO_TIMERS };
}

/**
 * Resolving a load builds its rungs and defaults; a caller passes the same config objects cycle
 * after cycle, so each is resolved once. Configs are inputs and never changed in place (a change
 * is a new object), which keeps this a memo of a pure function rather than state.
 */
const RESOLVED = new WeakMap<LoadConfig, { voltageV: number; load: ResolvedLoad }>();

function resolvedOnce(config: LoadConfig, voltageV: number): ResolvedLoad {
  const known = RESOLVED.get(config);
  if (known?.voltageV === voltageV) return known.load;
  const load = resolveLoad(config, voltageV);
  RESOLVED.set(config, { voltageV, load });
  return load;
}

/** Every load with what is known about it, before any decision. Safe state is the placeholder plan. */
function prepare(input: AllocatorInput, settings: ResolvedSettings): PlannedLoad[] {
  const voltageV = settings.phaseVoltageV;
  return input.loads.map((config, index) => {
    const load = resolvedOnce(config, voltageV);
    const knownReading = input.site.loads[load.id];
    const memory = input.memory.loads[load.id] ?? initialMemory(load, knownReading, voltageV);
    const reading = knownReading ?? NO_READING;
    const kind = kindOf(load);
    const current = kind.planFromMemory(load, memory, voltageV);
    const plan = safePlan(load, current, voltageV);
    return {
      index,
      load,
      reading,
      hasReading: knownReading !== undefined,
      memory,
      current,
      shiftableNowW: kind.shiftableDrawW(load, reading, memory),
      plan,
      reason: reason('noReading', { state: safeStateLabel(load, plan), safeState: load.safeState }),
      timers: NO_TIMERS,
    };
  });
}

function byPriority(entries: PlannedLoad[]): PlannedLoad[] {
  return [...entries].sort((a, b) => a.load.priority - b.load.priority || a.index - b.index);
}

/** Surplus the inverter is curtailing away would earn nothing exported. */
function surplusValueEurPerKwh(input: AllocatorInput): number | undefined {
  const curtailing = input.memory.inverterLimitW !== undefined && input.memory.inverterLimitW !== null;
  return curtailing ? 0 : input.site.exportPriceEurPerKwh;
}

function contextFor(entry: PlannedLoad, input: AllocatorInput, voltageV: number, budgetW: number): DecisionContext {
  return {
    load: entry.load,
    memory: entry.memory,
    current: entry.current,
    budgetW,
    nowMs: input.nowMs,
    voltageV,
    timeZone: input.settings.timeZone ?? 'UTC',
    guard: switchGuard(entry.load, entry.memory, input.nowMs),
    gridPriceEurPerKwh: input.site.gridPriceEurPerKwh,
    surplusEurPerKwh: surplusValueEurPerKwh(input),
  };
}

/**
 * Mandatory power (mode on, overrides, minimum on-time, min+surplus minimum) is set aside first;
 * the rest is offered in priority order, each load taking what it plans or reserves.
 */
function shareSurplus(ordered: PlannedLoad[], input: AllocatorInput, voltageV: number, surplusW: number): PlannedLoad[] {
  const contexts = ordered.map((entry) => contextFor(entry, input, voltageV, 0));
  const mandatory = contexts.map((context, position) => (ordered[position]?.hasReading ? mandatoryPowerW(context) : 0));
  let remainingW = surplusW - mandatory.reduce((sumW, powerW) => sumW + powerW, 0);
  return ordered.map((entry, position) => {
    const context = contexts[position];
    if (!entry.hasReading || context === undefined) return entry;
    // The context is this function's own scratch object; setting the budget avoids a copy per load.
    context.budgetW = remainingW + (mandatory[position] ?? 0);
    const decision = decideLoad(context);
    remainingW = context.budgetW - decision.consumptionW;
    return { ...entry, plan: decision.plan, reason: decision.reason, timers: decision.timers };
  });
}

function nextMemory(entry: PlannedLoad, nowMs: number): LoadMemory {
  const switches = recordSwitch(entry.memory, entry.current.rung > 0, entry.plan.rung > 0, nowMs);
  const memory: LoadMemory = { commandedPowerW: entry.plan.powerW, ...switches, ...entry.timers };
  const phases = entry.plan.phases ?? entry.memory.phases;
  if (phases !== undefined) memory.phases = phases;
  if (entry.plan.sgReadyState !== undefined) memory.sgReadyState = entry.plan.sgReadyState;
  return memory;
}

function commandFor(entry: PlannedLoad): LoadCommand {
  return kindOf(entry.load).toCommand(entry.load, entry.plan, {
    loadId: entry.load.id,
    powerW: entry.plan.powerW,
    changed: !samePlan(entry.plan, entry.current),
    reason: entry.reason.text,
    reasonCode: entry.reason.code,
  });
}

function finish(entries: PlannedLoad[], nowMs: number, site: SiteDecision, probe?: ProbeMemory): AllocatorOutput {
  const inInputOrder = [...entries].sort((a, b) => a.index - b.index);
  const memory: AllocatorMemory = { loads: {}, inverterLimitW: site.inverterLimitW, ...(probe ? { probe } : {}) };
  inInputOrder.forEach((entry) => {
    memory.loads[entry.load.id] = nextMemory(entry, nowMs);
  });
  return { commands: inInputOrder.map(commandFor), memory, site };
}

function siteDecision(
  fields: Partial<SiteDecision> & Pick<SiteDecision, 'surplusW' | 'projectedGridPowerW'>,
  ripple: RippleOutcome,
  limit: InverterLimit | null,
  maxExport: number | null,
): SiteDecision {
  return {
    stale: false,
    inverterLimitW: limit?.limitW ?? null,
    inverterLimitPct: limit?.limitPct ?? null,
    maxExportW: maxExport,
    feedInLimitPct: ripple.feedInPct,
    stopBatteryGridCharging: false,
    dimming14aActive: ripple.dimConsumption,
    heatPumpLockActive: ripple.lockHeatPumps,
    reasons: [],
    ...fields,
  };
}

function allocateStale(entries: PlannedLoad[], input: AllocatorInput, settings: ResolvedSettings, ripple: RippleOutcome, ageSeconds: number): AllocatorOutput {
  const limitSeconds = settings.staleAfterSeconds;
  const safe = entries.map((entry) => ({
    ...entry,
    reason: reason('stale', { state: safeStateLabel(entry.load, entry.plan), ageSeconds, limitSeconds, safeState: entry.load.safeState }),
  }));
  const locked = applyHeatPumpLock(safe, ripple.lockHeatPumps);
  const maxExport = maxExportW(settings, ripple.feedInPct);
  const limit = staleInverterLimit(maxExport, settings.pvPeakW);
  const reasons = [siteReason('siteStale', { ageSeconds, limitSeconds }), ripple.siteReason, limit?.siteReason];
  const site = siteDecision(
    {
      stale: true,
      surplusW: 0,
      projectedGridPowerW: input.site.gridPowerW,
      dimming14aActive: false,
      reasons: reasons.filter((text): text is string => typeof text === 'string'),
    },
    ripple,
    limit,
    maxExport,
  );
  return finish(locked, input.nowMs, site);
}

export function allocate(input: AllocatorInput): AllocatorOutput {
  const settings = resolveSettings(input.settings);
  const voltageV = settings.phaseVoltageV;
  const entries = byPriority(prepare(input, settings));
  const ripple = evaluateRippleControl(settings.rippleControl?.rules, input.site.rippleInputs);
  const ageSeconds = (input.nowMs - input.site.readingsTimestampMs) / 1000;
  if (ageSeconds > settings.staleAfterSeconds) return allocateStale(entries, input, settings, ripple, ageSeconds);

  const managedDrawW = entries.reduce((sumW, entry) => sumW + entry.shiftableNowW, 0);
  const surplus = computeSurplus(input.site, managedDrawW, settings);
  const feedInLimitW = maxExportW(settings, ripple.feedInPct);
  const probe = probeHiddenSurplus({
    nowMs: input.nowMs,
    gridPowerW: input.site.gridPowerW,
    pvPowerW: input.site.pvPowerW,
    batteryPowerW: input.site.batteryPowerW ?? 0,
    managedDrawW,
    maxExportW: feedInLimitW,
    pvPeakW: settings.pvPeakW,
    // The margin comes off the credit like off any surplus.
    largestStartW: entries.reduce((largestW, entry) => Math.max(largestW, entry.load.enableThresholdW), 0) + settings.marginW,
    settings: settings.zeroExportProbe,
    memory: input.memory.probe,
  });
  const shared = shareSurplus(entries, input, voltageV, surplus.surplusW + probe.creditW);

  const locked = applyHeatPumpLock(shared, ripple.lockHeatPumps);
  const dimmed = applyDimming14a(locked, ripple.dimConsumption, settings);
  const fused = applyFuseLimit(dimmed.entries, input.site, settings);
  const capped = applyImportCap(fused.entries, input.site, settings, surplus.batteryW);

  const projectedGridPowerW = projectGridPowerW(input.site.gridPowerW, totalDeltaW(capped.entries), surplus.batteryW);
  const maxExport = feedInLimitW === null ? null : feedInLimitW + probe.extraExportW;
  // While PV is held back, a battery discharging into the house covers what PV could: the limit rises by that much.
  const heldBackDischargeW = input.memory.inverterLimitW == null ? 0 : Math.max(0, -(input.site.batteryPowerW ?? 0));
  const limit = inverterLimit(
    input.site.pvPowerW,
    projectedGridPowerW + heldBackDischargeW,
    maxExport,
    settings.pvPeakW,
    input.memory.inverterLimitW ?? null,
  );
  const reasons = [
    siteReason('siteSurplus', { ...surplus, gridPowerW: input.site.gridPowerW }),
    ripple.siteReason,
    ...dimmed.siteReasons,
    ...fused.siteReasons,
    ...capped.siteReasons,
    probe.reason,
    limit?.siteReason,
  ];
  const site = siteDecision(
    {
      surplusW: surplus.surplusW + probe.creditW,
      projectedGridPowerW,
      stopBatteryGridCharging: capped.stopBatteryGridCharging,
      reasons: reasons.filter((text): text is string => typeof text === 'string'),
      ...(probe.memory ? { probe: { creditW: probe.creditW, extraExportW: probe.extraExportW, decideByMs: probe.decideByMs } } : {}),
    },
    ripple,
    limit,
    maxExport,
  );
  return finish(capped.entries, input.nowMs, site, probe.memory);
}
