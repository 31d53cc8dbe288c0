/**
 * The greedy planner: each job in deadline order takes the cheapest free slots of its window
 * (the evcc-style cheapest-slot pick), a non-interruptible run the cheapest contiguous block;
 * with any price in the window unknown, the latest slots instead, so a later price can still
 * move it. It keeps under the import cap where it can, ignores the battery (which then runs in
 * self-consumption) and never fails. It is the MILP's fallback and a benchmark baseline.
 */
import type { Schedule } from './assemble-plan';
import { selfConsumptionDispatch } from './dispatch';
import { SLOT_HOURS, type Horizon } from './horizon';
import { windowSlots, type JobInstance } from './job-instances';
import { largestPowerWithin, maxPowerW, minRunningPowerW } from './load-power';
import type { PlannerInput } from './types';

interface State {
  loadW: Map<string, number[]>;
  /** What the import cap still allows in each slot after base load, PV and planned loads. */
  headroomW: number[];
}

function pricesKnown(input: Horizon, from: number, to: number): boolean {
  for (let t = from; t < to; t += 1) if (input.slots[t].importEurPerKwh === null) return false;
  return true;
}

/** Cheapest first, the later slot on equal prices; or latest first when prices are unknown. */
function slotOrder(horizon: Horizon, from: number, to: number): number[] {
  const slots = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  if (!pricesKnown(horizon, from, to)) return slots.reverse();
  return slots.sort((a, b) => horizon.slots[a].importEurPerKwh! - horizon.slots[b].importEurPerKwh! || b - a);
}

function place(state: State, loadW: number[], t: number, powerW: number): void {
  loadW[t] += powerW;
  state.headroomW[t] -= powerW;
}

function planInterruptible(instance: JobInstance, horizon: Horizon, state: State, loadW: number[]): void {
  const { from, to } = windowSlots(instance, horizon.slots.length);
  let left = instance.requiredInHorizon;
  for (const t of slotOrder(horizon, from, to)) {
    if (left <= 1e-9) return;
    if (loadW[t] > 0) continue;
    let powerW = largestPowerWithin(instance.load.power, state.headroomW[t]);
    if (powerW <= 0) continue;
    if (instance.job.kind === 'energy') {
      const neededW = (left * 1000) / SLOT_HOURS;
      // A modulating load takes just what is left; an on/off or stepped one runs its slot out.
      if (instance.load.power.kind === 'modulating') powerW = Math.min(powerW, Math.max(neededW, minRunningPowerW(instance.load.power)));
      left -= (powerW * SLOT_HOURS) / 1000;
    } else {
      left -= 1;
    }
    place(state, loadW, t, powerW);
  }
}

function blockFits(instance: JobInstance, state: State, loadW: number[], start: number, runSlots: number, slotCount: number): boolean {
  const powerW = maxPowerW(instance.load.power);
  for (let t = start; t < Math.min(start + runSlots, slotCount); t += 1) {
    if (loadW[t] > 0 || state.headroomW[t] < powerW) return false;
  }
  return true;
}

function blockCost(horizon: Horizon, start: number, runSlots: number): number {
  let cost = 0;
  for (let t = start; t < Math.min(start + runSlots, horizon.slots.length); t += 1) cost += horizon.slots[t].importEurPerKwh ?? 0;
  return cost;
}

/** The cheapest block ending by the deadline (latest on ties or unknown prices); else the earliest block that fits at all. */
function planRun(instance: JobInstance, horizon: Horizon, state: State, loadW: number[]): void {
  const slotCount = horizon.slots.length;
  const runSlots = instance.remaining;
  const powerW = maxPowerW(instance.load.power);
  if (instance.pinnedSlots > 0) {
    for (let t = 0; t < instance.pinnedSlots; t += 1) place(state, loadW, t, powerW);
    return;
  }
  if (runSlots <= 0 || instance.deadlineSlot - runSlots >= slotCount) return;
  const onTimeStarts: number[] = [];
  for (let start = instance.firstSlot; start + runSlots <= Math.min(instance.deadlineSlot, slotCount); start += 1) {
    if (blockFits(instance, state, loadW, start, runSlots, slotCount)) onTimeStarts.push(start);
  }
  let chosen: number | undefined;
  if (onTimeStarts.length > 0) {
    const known = pricesKnown(horizon, instance.firstSlot, Math.min(instance.deadlineSlot, slotCount));
    chosen = known ? onTimeStarts.reduce((best, s) => (blockCost(horizon, s, runSlots) <= blockCost(horizon, best, runSlots) ? s : best)) : onTimeStarts.at(-1);
  } else {
    for (let start = instance.firstSlot; start < slotCount && chosen === undefined; start += 1) {
      if (blockFits(instance, state, loadW, start, runSlots, slotCount)) chosen = start;
    }
  }
  if (chosen === undefined) return;
  for (let t = chosen; t < Math.min(chosen + runSlots, slotCount); t += 1) place(state, loadW, t, powerW);
}

export function greedySchedule(input: PlannerInput, horizon: Horizon, instances: JobInstance[]): Schedule {
  const slotCount = horizon.slots.length;
  const capW = input.site.importCapW ?? Number.POSITIVE_INFINITY;
  const state: State = {
    loadW: new Map(),
    headroomW: horizon.slots.map((s) => capW - s.baseLoadForecastW + Math.max(0, s.pvForecastW)),
  };
  const byDeadline = [...instances].sort((a, b) => a.deadlineMs - b.deadlineMs || input.loads.indexOf(a.load) - input.loads.indexOf(b.load));
  for (const instance of byDeadline) {
    if (!state.loadW.has(instance.load.id)) state.loadW.set(instance.load.id, new Array<number>(slotCount).fill(0));
    const loadW = state.loadW.get(instance.load.id)!;
    if (instance.interruptible) planInterruptible(instance, horizon, state, loadW);
    else planRun(instance, horizon, state, loadW);
  }
  const totalW = horizon.slots.map((_, t) => [...state.loadW.values()].reduce((sum, w) => sum + w[t], 0));
  return { loadW: state.loadW, site: selfConsumptionDispatch(horizon.slots, totalW, input.site, input.battery) };
}
