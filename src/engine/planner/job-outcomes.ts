/** Kept and broken promises of a schedule, with the reason a broken one could not be kept. */
import { SLOT_HOURS, SLOT_MS, slotStartMs, type Horizon } from './horizon';
import { windowSlots, type JobInstance } from './job-instances';
import { maxPowerW } from './load-power';
import { formatLocalClock } from '../local-time';
import { REASONS, runtime, kwh, SEPARATOR } from './reasons';
import type { JobOutcome, PlannerInput, SitePlanSlot } from './types';

const SLOT_MINUTES = SLOT_MS / 60_000;
/** Solver tolerances leave a few Wh short of an exactly met target. */
const ENERGY_TOLERANCE_KWH = 0.005;
const ON_THRESHOLD_W = 0.5;

interface Context {
  input: PlannerInput;
  horizon: Horizon;
  site: SitePlanSlot[];
  clock: (ms: number) => string;
}

function nameOf(instance: JobInstance): string {
  return instance.load.name ?? instance.load.id;
}

/** Why an interruptible job got less than it needed: too little time, the import cap, or neither. */
function shortfallCause(instance: JobInstance, loadW: number[], ctx: Context): string {
  const slotCount = ctx.horizon.slots.length;
  const { from, to } = windowSlots(instance, slotCount);
  const windowCount = Math.max(0, to - from);
  const fromText = ctx.clock(Math.max(instance.earliestMs, ctx.horizon.startMs, ctx.input.nowMs));
  const deadline = ctx.clock(instance.deadlineMs);
  const powerW = maxPowerW(instance.load.power);
  const capacity = instance.job.kind === 'energy' ? (windowCount * powerW * SLOT_HOURS) / 1000 : windowCount;
  if (capacity + 1e-9 < instance.requiredInHorizon) {
    return instance.job.kind === 'energy'
      ? REASONS.onlyWindowEnergy(windowCount, SLOT_MINUTES, fromText, deadline, powerW)
      : REASONS.onlyWindowRuntime(windowCount, SLOT_MINUTES, fromText, deadline);
  }
  const capW = ctx.input.site.importCapW;
  if (capW !== undefined) {
    for (let t = from; t < to; t += 1) {
      if (loadW[t] < powerW - ON_THRESHOLD_W && ctx.site[t].gridW >= capW - powerW * 0.01) return REASONS.importCap(capW);
    }
  }
  return REASONS.unexplained();
}

function interruptibleOutcome(instance: JobInstance, loadW: number[], ctx: Context): JobOutcome {
  const slotCount = ctx.horizon.slots.length;
  const { from, to } = windowSlots(instance, slotCount);
  let planned = 0;
  for (let t = from; t < to; t += 1) {
    planned += instance.job.kind === 'energy' ? (loadW[t] * SLOT_HOURS) / 1000 : loadW[t] > ON_THRESHOLD_W ? 1 : 0;
  }
  const tolerance = instance.job.kind === 'energy' ? ENERGY_TOLERANCE_KWH : 0;
  const kept = planned + tolerance >= instance.requiredInHorizon;
  const deadline = ctx.clock(instance.deadlineMs);
  const name = nameOf(instance);
  const beyond = instance.requiredInHorizon < instance.remaining;
  const shownPlanned = beyond ? planned : Math.min(planned, instance.remaining);
  let promise =
    instance.job.kind === 'energy'
      ? REASONS.energy(name, shownPlanned, instance.remaining, deadline)
      : REASONS.runtime(name, shownPlanned, instance.remaining, SLOT_MINUTES, deadline);
  if (beyond) {
    const inHorizon = instance.job.kind === 'energy' ? kwh(instance.requiredInHorizon) : runtime(instance.requiredInHorizon, SLOT_MINUTES);
    promise = REASONS.beyondHorizon(promise, ctx.clock(ctx.horizon.endMs), inHorizon);
  }
  return {
    jobId: instance.job.id,
    deadlineMs: instance.deadlineMs,
    unit: instance.job.kind === 'energy' ? 'Wh' : 'min',
    required: instance.job.kind === 'energy' ? instance.remaining * 1000 : instance.remaining * SLOT_MINUTES,
    planned: instance.job.kind === 'energy' ? Math.round(planned * 1000) : planned * SLOT_MINUTES,
    kept,
    reason: kept ? promise : promise + SEPARATOR + shortfallCause(instance, loadW, ctx),
  };
}

/** A non-interruptible run: where it starts, whether it ends in time. */
function runOutcome(instance: JobInstance, loadW: number[], ctx: Context): JobOutcome {
  const slotCount = ctx.horizon.slots.length;
  const runSlots = instance.remaining;
  const name = nameOf(instance);
  const deadline = ctx.clock(instance.deadlineMs);
  let start = -1;
  for (let t = instance.firstSlot; t < slotCount && start < 0; t += 1) if (loadW[t] > ON_THRESHOLD_W) start = t;
  const base = { jobId: instance.job.id, deadlineMs: instance.deadlineMs, unit: 'min' as const, required: runSlots * SLOT_MINUTES };
  const mayStartAfterHorizon = instance.deadlineSlot - runSlots >= slotCount;
  if (runSlots === 0 || (start < 0 && mayStartAfterHorizon)) {
    const promise = REASONS.runtime(name, 0, runSlots, SLOT_MINUTES, deadline);
    return { ...base, planned: 0, kept: true, reason: runSlots === 0 ? promise : REASONS.beyondHorizon(promise, ctx.clock(ctx.horizon.endMs), runtime(0, SLOT_MINUTES)) };
  }
  const windowCount = Math.max(0, instance.deadlineSlot - instance.firstSlot);
  const fromText = ctx.clock(Math.max(instance.earliestMs, ctx.horizon.startMs, ctx.input.nowMs));
  const tooShort = REASONS.onlyWindowRuntime(Math.min(windowCount, slotCount), SLOT_MINUTES, fromText, deadline);
  if (start < 0) {
    return { ...base, planned: 0, kept: false, reason: REASONS.runMissing(name, runSlots, SLOT_MINUTES, deadline) + SEPARATOR + tooShort };
  }
  const finishSlot = start + runSlots;
  const lateSlots = Math.max(0, finishSlot - instance.deadlineSlot);
  const finish = ctx.clock(slotStartMs(ctx.horizon, finishSlot));
  if (lateSlots === 0) {
    return { ...base, planned: runSlots * SLOT_MINUTES, kept: true, reason: REASONS.run(name, runSlots, SLOT_MINUTES, ctx.clock(slotStartMs(ctx.horizon, start)), finish, deadline) };
  }
  return {
    ...base,
    planned: runSlots * SLOT_MINUTES,
    kept: false,
    reason: REASONS.runLate(name, runSlots, SLOT_MINUTES, finish, lateSlots, deadline) + SEPARATOR + tooShort,
  };
}

export function jobOutcomes(instances: JobInstance[], loadW: Map<string, number[]>, input: PlannerInput, horizon: Horizon, site: SitePlanSlot[]): Map<JobInstance, JobOutcome> {
  const ctx: Context = { input, horizon, site, clock: (ms) => formatLocalClock(ms, input.timeZone) };
  const zeros = horizon.slots.map(() => 0);
  return new Map(
    instances.map((instance) => {
      const power = loadW.get(instance.load.id) ?? zeros;
      return [instance, instance.interruptible ? interruptibleOutcome(instance, power, ctx) : runOutcome(instance, power, ctx)];
    }),
  );
}
