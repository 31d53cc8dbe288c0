/**
 * Jobs → the occurrences that touch the horizon, each with its window in slots and what must be
 * done inside the horizon. A deadline beyond the horizon asks only for what the time after the
 * horizon cannot cover, so the plan neither rushes nor leaves an impossible rest.
 */
import { horizonOf, SLOT_HOURS, SLOT_MS, slotAtOrAfter, slotsEndingBy, type Horizon } from './horizon';
import { maxPowerW } from './load-power';
import { localParts, parseClockMinutes, wallClockToMs, WEEKDAYS } from '../local-time';
import type { JobWindow, PlannerInput, PlannerJob, PlannerLoad } from './types';

export interface JobInstance {
  load: PlannerLoad;
  job: PlannerJob;
  deadlineMs: number;
  earliestMs: number;
  /** First slot the job may use. */
  firstSlot: number;
  /** Slots ending by the deadline, counted from the horizon start; may lie beyond the horizon. */
  deadlineSlot: number;
  /** Energy jobs kWh, runtime jobs slots: what this occurrence still needs in total. */
  remaining: number;
  /** What must happen inside the horizon (same unit). */
  requiredInHorizon: number;
  /** Most that may happen inside the horizon (same unit). */
  upToInHorizon: number;
  interruptible: boolean;
  /** A non-interruptible run under way: its first slots are fixed on. */
  pinnedSlots: number;
}

interface Occurrence {
  deadlineMs: number;
  earliestMs: number;
}

const DAY_MS = 86_400_000;

function onceOccurrences(window: Extract<JobWindow, { kind: 'once' }>, nowMs: number): Occurrence[] {
  return [{ deadlineMs: window.deadlineMs, earliestMs: window.earliestStartMs ?? nowMs }];
}

function weeklyOccurrences(window: Extract<JobWindow, { kind: 'weekly' }>, input: PlannerInput, horizon: Horizon): Occurrence[] {
  const byMinutes = parseClockMinutes(window.byTime, 'byTime');
  const fromMinutes = window.fromTime === undefined ? byMinutes : parseClockMinutes(window.fromTime, 'fromTime');
  // A window starting at or after its deadline's clock time opens the day before.
  const fromDayOffset = fromMinutes >= byMinutes ? -1 : 0;
  const days = new Set(window.weekdays.map((day) => WEEKDAYS.indexOf(day)));
  const occurrences: Occurrence[] = [];
  const lastDay = Math.ceil((horizon.endMs - input.nowMs) / DAY_MS) + 1;
  for (let offset = -1; offset <= lastDay; offset += 1) {
    const date = localParts(input.nowMs + offset * DAY_MS, input.timeZone);
    if (!days.has(date.weekdayIndex)) continue;
    const deadlineMs = wallClockToMs(date.year, date.month, date.day, byMinutes, input.timeZone);
    const earliestMs = wallClockToMs(date.year, date.month, date.day + fromDayOffset, fromMinutes, input.timeZone);
    occurrences.push({ deadlineMs, earliestMs });
  }
  return occurrences;
}

function occurrencesOf(job: PlannerJob, input: PlannerInput, horizon: Horizon): Occurrence[] {
  const all = job.window.kind === 'once' ? onceOccurrences(job.window, input.nowMs) : weeklyOccurrences(job.window, input, horizon);
  return all.filter((o) => o.deadlineMs > input.nowMs && o.earliestMs < horizon.endMs);
}

/** Energy in kWh or runtime in slots the load can deliver between the horizon end and the deadline. */
function capacityAfterHorizon(job: PlannerJob, load: PlannerLoad, horizon: Horizon, deadlineMs: number): number {
  const slotsAfter = Math.max(0, Math.floor((deadlineMs - horizon.endMs) / SLOT_MS));
  return job.kind === 'energy' ? (slotsAfter * SLOT_HOURS * maxPowerW(load.power)) / 1000 : slotsAfter;
}

function instanceOf(load: PlannerLoad, job: PlannerJob, occurrence: Occurrence, input: PlannerInput, horizon: Horizon): JobInstance {
  const underWay = occurrence.earliestMs <= input.nowMs;
  const slotMinutes = SLOT_MS / 60_000;
  let remaining: number;
  let upTo: number;
  let pinnedSlots = 0;
  let interruptible = true;
  if (job.kind === 'energy') {
    const doneKwh = underWay ? (job.doneWh ?? 0) / 1000 : 0;
    remaining = Math.max(0, job.energyWh / 1000 - doneKwh);
    // A running slot delivers at least a whole slot of the load's smallest power (all of it for
    // on/off and stepped loads, the minimum for modulating ones): demanding an exact total would make
    // the plan a subset-sum puzzle, or leave a remainder below one slot at minimum power unplannable,
    // so the plan may overshoot by one such slot (the load stops once its job is done).
    const smallestSlotW = load.power.kind === 'modulating' ? load.power.minPowerW : maxPowerW(load.power);
    upTo = Math.max(remaining + (smallestSlotW * SLOT_HOURS) / 1000, (job.upToWh ?? job.energyWh) / 1000 - doneKwh);
  } else {
    interruptible = job.interruptible;
    const running = underWay && job.runningMinutesLeft !== undefined;
    const doneMinutes = underWay ? (job.doneMinutes ?? 0) : 0;
    const leftMinutes = running ? job.runningMinutesLeft! : Math.max(0, job.runtimeMinutes - doneMinutes);
    remaining = Math.ceil(leftMinutes / slotMinutes - 1e-9);
    upTo = interruptible ? Math.max(remaining, Math.ceil(((job.upToMinutes ?? job.runtimeMinutes) - doneMinutes) / slotMinutes - 1e-9)) : remaining;
    if (running && !interruptible) pinnedSlots = Math.min(remaining, horizon.slots.length);
  }
  const afterHorizon = capacityAfterHorizon(job, load, horizon, occurrence.deadlineMs);
  return {
    load,
    job,
    deadlineMs: occurrence.deadlineMs,
    earliestMs: occurrence.earliestMs,
    // A job that may start already may use the slot under way; later starts round up to a whole slot.
    firstSlot: pinnedSlots > 0 || occurrence.earliestMs <= input.nowMs ? 0 : slotAtOrAfter(horizon, occurrence.earliestMs),
    deadlineSlot: slotsEndingBy(horizon, occurrence.deadlineMs),
    remaining,
    requiredInHorizon: Math.max(0, remaining - afterHorizon),
    upToInHorizon: upTo,
    interruptible,
    pinnedSlots,
  };
}

/** Every occurrence of every job that touches the horizon, in load then deadline order. */
export function jobInstances(input: PlannerInput, horizon: Horizon = horizonOf(input)): JobInstance[] {
  return input.loads.flatMap((load) =>
    load.jobs
      .flatMap((job) => occurrencesOf(job, input, horizon).map((o) => instanceOf(load, job, o, input, horizon)))
      .sort((a, b) => a.deadlineMs - b.deadlineMs),
  );
}

/** The slots an occurrence may use inside the horizon: from its first slot to its deadline. */
export function windowSlots(instance: JobInstance, horizonLength: number): { from: number; to: number } {
  return { from: Math.min(instance.firstSlot, horizonLength), to: Math.min(Math.max(instance.deadlineSlot, instance.firstSlot), horizonLength) };
}
