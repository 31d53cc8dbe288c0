/** A load's decision in progress: what the priority pass planned, before grid limits trim it. */
import type { LoadTimers } from './decision';
import type { ResolvedLoad } from './defaults';
import { kindOf, type LoadPlan } from './load-kinds';
import type { Reason } from './reasons';
import type { LoadMemory, LoadReading } from './types';

export interface PlannedLoad {
  /** Position in the caller's load list, so commands come back in that order. */
  index: number;
  load: ResolvedLoad;
  reading: LoadReading;
  hasReading: boolean;
  memory: LoadMemory;
  /** The plan last commanded. */
  current: LoadPlan;
  shiftableNowW: number;
  plan: LoadPlan;
  reason: Reason;
  timers: LoadTimers;
}

export function plannedTotalDrawW(entry: PlannedLoad): number {
  return kindOf(entry.load).plannedTotalDrawW(entry.load, entry.plan, entry.reading, entry.shiftableNowW);
}

/** How much more (or less) the load will draw than it draws now. */
function plannedDeltaW(entry: PlannedLoad): number {
  return plannedTotalDrawW(entry) - entry.reading.powerW;
}

export function totalDeltaW(entries: PlannedLoad[]): number {
  return entries.reduce((sumW, entry) => sumW + plannedDeltaW(entry), 0);
}
