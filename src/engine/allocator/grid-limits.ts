/**
 * Limits that override the surplus plan, mode, override and minimum on-time, in this order:
 * the ripple-control heat-pump lock, §14a dimming, the main fuse per phase, the import cap.
 * Each sheds the lowest-priority loads first and says so in the load's reason.
 */
import { NO_TIMERS } from './decision';
import type { ResolvedSettings } from './defaults';
import { kindOf, sgReadyPlan } from './load-kinds';
import { plannedTotalDrawW, totalDeltaW, type PlannedLoad } from './planned-load';
import { reason, siteReason } from './reasons';
import { shedLowestPriorityFirst } from './shedding';
import { projectGridPowerW } from './surplus';
import type { PhaseName, SiteState } from './types';

export interface LimitResult {
  entries: PlannedLoad[];
  siteReasons: string[];
}

const unchanged = (entries: PlannedLoad[]): LimitResult => ({ entries, siteReasons: [] });

const drawsPower = (entry: PlannedLoad): boolean => plannedTotalDrawW(entry) > 0;

export function applyHeatPumpLock(entries: PlannedLoad[], lockHeatPumps: boolean): PlannedLoad[] {
  if (!lockHeatPumps) return entries;
  return entries.map((entry) =>
    entry.load.kind === 'sg_ready'
      ? { ...entry, plan: sgReadyPlan(entry.load, 'lock'), reason: reason('rippleLock'), timers: NO_TIMERS }
      : entry,
  );
}

export function applyDimming14a(entries: PlannedLoad[], active: boolean, settings: ResolvedSettings): LimitResult {
  if (!active) return unchanged(entries);
  const limitW = settings.dimmedLimitW;
  const controllable = (entry: PlannedLoad): boolean => entry.load.controllable14a;
  const result = shedLowestPriorityFirst(
    entries,
    {
      excess: (working) => working.filter(controllable).reduce((sumW, entry) => sumW + plannedTotalDrawW(entry), 0) - limitW,
      eligible: (entry) => controllable(entry) && drawsPower(entry),
      neededW: (_entry, excessW) => excessW,
      reason: (state) => reason('dimmed14a', { state, limitW }),
    },
    settings.phaseVoltageV,
  );
  return { entries: result.entries, siteReasons: [siteReason('siteDimming', { limitW, reducedLoads: result.reducedLoads })] };
}

const PHASES: readonly PhaseName[] = ['L1', 'L2', 'L3'];

function measuredCurrentsA(site: SiteState): number[] | null {
  const currents = [site.currentL1A, site.currentL2A, site.currentL3A];
  return currents.every((currentA) => currentA !== undefined) ? (currents as number[]) : null;
}

function phaseDeltaA(entry: PlannedLoad, phaseIndex: number, voltageV: number): number {
  const kind = kindOf(entry.load);
  const plannedShare = kind.phaseShares(entry.load, entry.plan)[phaseIndex] ?? 0;
  const currentShare = kind.phaseShares(entry.load, entry.current)[phaseIndex] ?? 0;
  return (plannedTotalDrawW(entry) * plannedShare - entry.reading.powerW * currentShare) / voltageV;
}

function projectedPhaseA(entries: PlannedLoad[], measuredA: number, phaseIndex: number, voltageV: number): number {
  return entries.reduce((sumA, entry) => sumA + phaseDeltaA(entry, phaseIndex, voltageV), measuredA);
}

export function applyFuseLimit(entries: PlannedLoad[], site: SiteState, settings: ResolvedSettings): LimitResult {
  const limitA = settings.fuseLimitA;
  if (limitA === undefined) return unchanged(entries);
  const measured = measuredCurrentsA(site);
  if (measured === null) return { entries, siteReasons: [siteReason('siteCurrentsMissing')] };
  const voltageV = settings.phaseVoltageV;
  let working = entries;
  const siteReasons: string[] = [];
  PHASES.forEach((phase, phaseIndex) => {
    const measuredA = measured[phaseIndex] ?? 0;
    const projectedA = projectedPhaseA(working, measuredA, phaseIndex, voltageV);
    if (projectedA <= limitA) return;
    const share = (entry: PlannedLoad): number => kindOf(entry.load).phaseShares(entry.load, entry.plan)[phaseIndex] ?? 0;
    const result = shedLowestPriorityFirst(
      working,
      {
        excess: (candidate) => projectedPhaseA(candidate, measuredA, phaseIndex, voltageV) - limitA,
        eligible: (entry) => share(entry) > 0 && drawsPower(entry),
        neededW: (entry, excessA) => (excessA * voltageV) / share(entry),
        reason: (state) => reason('shedFuse', { state, phase, limitA, projectedA }),
      },
      voltageV,
    );
    working = result.entries;
    siteReasons.push(siteReason('siteFuse', { phase, projectedA, limitA, reducedLoads: result.reducedLoads }));
  });
  return { entries: working, siteReasons };
}

export interface ImportCapResult extends LimitResult {
  stopBatteryGridCharging: boolean;
}

export function applyImportCap(
  entries: PlannedLoad[],
  site: SiteState,
  settings: ResolvedSettings,
  batteryW: number,
): ImportCapResult {
  const capW = settings.importCapW;
  const projectW = (working: PlannedLoad[]): number => projectGridPowerW(site.gridPowerW, totalDeltaW(working), batteryW);
  const projectedW = projectW(entries);
  if (capW === undefined || projectedW <= capW) return { ...unchanged(entries), stopBatteryGridCharging: false };
  // Stopping grid charging gives back whatever the battery still charges after feeding the loads.
  const chargeLeftW = (working: PlannedLoad[]): number =>
    Math.max(0, (site.batteryPowerW ?? 0) - Math.max(0, Math.min(totalDeltaW(working), batteryW)));
  const result = shedLowestPriorityFirst(
    entries,
    {
      excess: (working) => projectW(working) - chargeLeftW(working) - capW,
      eligible: drawsPower,
      neededW: (_entry, excessW) => excessW,
      reason: (state) => reason('shedImportCap', { state, capW }),
    },
    settings.phaseVoltageV,
  );
  return {
    entries: result.entries,
    siteReasons: [siteReason('siteImportCap', { projectedW, capW, reducedLoads: result.reducedLoads })],
    stopBatteryGridCharging: true,
  };
}
