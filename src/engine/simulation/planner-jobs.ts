/**
 * A scenario's loads as the planner sees them at one moment: each load's power range and the
 * deadline jobs its demand implies over [nowMs, untilMs), as one-off jobs with their dates (the
 * scenario's times of day are UTC). `hems plan` and `hems simulate --strategy planner` both use it.
 *
 * With a simulated demand state, the occurrence under way counts what is already done (energy
 * delivered, tank content, runtime run); without one (`hems plan` at a bare moment) the scenario's
 * starting state is assumed: a car plugged in now still needs its whole session, the tank holds
 * `initial_pct`, a runtime window has not run yet.
 */
import { minRunningPowerW, SLOT_HOURS, type LoadPower, type PlannerJob, type PlannerLoad } from '../planner';
import { loadPowerOf } from '../planner-session/load-power';
import { clockMinutes, MS_PER_DAY, nextClockTime, startOfDayUtc, weekdayOf } from './clock';
import type { DemandSpec, DemandState } from './demand';
import type { SimulatedLoad } from './scenario';

const MS_PER_MINUTE = 60_000;
/**
 * Kept in the tank above each draw: the allocator's anti-cycling may start a planned slot a few
 * minutes late, and just before a draw no re-plan has time left to make that up.
 */
export const TANK_RESERVE_KWH = 0.1;

export interface PlanningWindow {
  nowMs: number;
  /** The plan's end; occurrences opening later are left out, those due later are kept (the planner asks only what cannot wait). */
  untilMs: number;
  phaseVoltageV?: number;
  /**
   * Plan each job to be done this long before it is due (the simulation uses one slot): a planned
   * slot the allocator starts late can then still be made up by the next plan.
   */
  finishEarlyMs?: number;
}

type Of<T extends DemandSpec['type']> = Extract<DemandSpec, { type: T }>;
/** `minSlotWh`: the energy of one slot at the load's lowest running power. */
type JobsOf<T extends DemandSpec['type']> = (spec: Of<T>, window: PlanningWindow, state: DemandState | undefined, minSlotWh: number) => PlannerJob[];

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16);

/** A one-off window for an occurrence due at dueMs; in its last slot, the finish-early margin is what is left. */
function onceWindow(window: PlanningWindow, earliestStartMs: number, dueMs: number) {
  const earlyMs = dueMs - (window.finishEarlyMs ?? 0);
  return { kind: 'once' as const, deadlineMs: earlyMs > window.nowMs && earlyMs > earliestStartMs ? earlyMs : dueMs, earliestStartMs };
}

/** Each day's start (UTC midnight) from the day before nowMs, so windows opened yesterday count, up to untilMs. */
function daysAround(window: PlanningWindow): number[] {
  const days: number[] = [];
  for (let dayMs = startOfDayUtc(window.nowMs) - MS_PER_DAY; dayMs < window.untilMs; dayMs += MS_PER_DAY) days.push(dayMs);
  return days;
}

/**
 * An energy job asks for at least a slot at the charger's minimum power more as welcome: the
 * planner cannot otherwise plan a rest smaller than that (a modulating load runs at its minimum
 * or not at all), and the car stops by itself when full.
 */
const evJobs: JobsOf<'ev_sessions'> = (spec, window, state, minSlotWh) =>
  spec.sessions.flatMap((session, index) =>
    daysAround(window).flatMap((dayMs): PlannerJob[] => {
      const arriveMs = dayMs + clockMinutes(session.arrive) * MS_PER_MINUTE;
      if (session.days && !session.days.includes(weekdayOf(arriveMs))) return [];
      const departMs = nextClockTime(session.depart, arriveMs);
      if (departMs <= window.nowMs || arriveMs >= window.untilMs) return [];
      const energyWh = session.energyKwh * 1000;
      const job = { id: `session-${index}@${iso(arriveMs)}`, kind: 'energy' as const, energyWh, upToWh: energyWh + minSlotWh, window: onceWindow(window, arriveMs, departMs) };
      if (arriveMs > window.nowMs || state === undefined) return [job];
      // Under way: only the session the simulated car is plugged in for, with what it still needs.
      if (state.job?.departMs !== departMs) return [];
      return [{ ...job, doneWh: energyWh - state.job.remainingKwh * 1000 }];
    }),
  );

/** Draws due after nowMs, in time order, through the first one after untilMs. */
function drawsAhead(spec: Of<'hot_water_tank'>, window: PlanningWindow): Array<{ atMs: number; kwh: number }> {
  const days: number[] = [];
  for (let dayMs = startOfDayUtc(window.nowMs); dayMs <= startOfDayUtc(window.untilMs) + MS_PER_DAY; dayMs += MS_PER_DAY) days.push(dayMs);
  const ahead = days
    .flatMap((dayMs) => spec.draws.map((draw) => ({ atMs: dayMs + clockMinutes(draw.at) * MS_PER_MINUTE, kwh: draw.kwh, days: draw.days })))
    .filter((draw) => draw.atMs > window.nowMs && (!draw.days || draw.days.includes(weekdayOf(draw.atMs))))
    .sort((a, b) => a.atMs - b.atMs);
  const firstAfter = ahead.findIndex((draw) => draw.atMs > window.untilMs);
  return ahead.slice(0, firstAfter === -1 ? ahead.length : firstAfter + 1);
}

/**
 * Before each draw, heat what the tank will lack for it: the draw plus the standing loss until then
 * minus what it holds, so heat is bought as late and as cheaply as the plan likes. More is welcome
 * up to a full tank, when it pays (negative prices).
 */
const tankJobs: JobsOf<'hot_water_tank'> = (spec, window, state) => {
  let storedKwh = state?.storedKwh ?? (spec.capacityKwh * spec.initialPct) / 100;
  let fromMs = window.nowMs;
  return drawsAhead(spec, window).map((draw) => {
    const lossKwh = (spec.lossKwhPerDay * (draw.atMs - fromMs)) / MS_PER_DAY;
    const neededKwh = Math.max(0, Math.min(spec.capacityKwh, draw.kwh + TANK_RESERVE_KWH) + lossKwh - storedKwh);
    const roomKwh = Math.max(neededKwh, spec.capacityKwh + lossKwh - storedKwh);
    const job: PlannerJob = {
      id: `draw@${iso(draw.atMs)}`,
      kind: 'energy',
      energyWh: neededKwh * 1000,
      upToWh: roomKwh * 1000,
      window: onceWindow(window, fromMs, draw.atMs),
    };
    storedKwh = Math.max(0, storedKwh - lossKwh + neededKwh - draw.kwh);
    fromMs = draw.atMs;
    return job;
  });
};

const runtimeJobs: JobsOf<'daily_runtime'> = (spec, window, state) =>
  daysAround(window).flatMap((dayMs): PlannerJob[] => {
    const fromMs = dayMs + clockMinutes(spec.from) * MS_PER_MINUTE;
    const byMs = nextClockTime(spec.by, fromMs);
    if (byMs <= window.nowMs || fromMs >= window.untilMs) return [];
    const job = { id: `runtime@${iso(fromMs)}`, kind: 'runtime' as const, runtimeMinutes: spec.hours * 60, interruptible: true, window: onceWindow(window, fromMs, byMs) };
    if (fromMs > window.nowMs || state === undefined) return [job];
    // Under way: only the window the simulated pump is counting, with what it has run.
    if (state.windowEndMs !== byMs) return [];
    return [{ ...job, doneMinutes: (state.runSeconds ?? 0) / 60 }];
  });

const JOBS: { [T in DemandSpec['type']]: JobsOf<T> } = {
  ev_sessions: evJobs,
  hot_water_tank: tankJobs,
  daily_runtime: runtimeJobs,
  always: () => [],
};

export function plannerJobs(demand: DemandSpec, power: LoadPower, window: PlanningWindow, state?: DemandState): PlannerJob[] {
  return (JOBS[demand.type] as JobsOf<DemandSpec['type']>)(demand as never, window, state, minRunningPowerW(power) * SLOT_HOURS);
}

/** The scenario's loads for the planner; `states[i]` is load i's simulated demand state, if any. */
export function plannerLoads(loads: readonly SimulatedLoad[], window: PlanningWindow, states?: readonly DemandState[]): PlannerLoad[] {
  return loads.map((load, i) => {
    const power = loadPowerOf(load.config, window.phaseVoltageV);
    return {
      id: load.config.id,
      name: load.config.name ?? load.config.id,
      power,
      minOnSeconds: load.config.minOnSeconds,
      minOffSeconds: load.config.minOffSeconds,
      jobs: plannerJobs(load.demand, power, window, states?.[i]),
    };
  });
}
