/**
 * Deadline jobs as a person writes them: repeating ones in the planner's configuration
 * ("pool pump 360 min by 24:00 every day"), one-off ones in messages ("EV 20 kWh by 07:00").
 * Each is turned into the planner's job (docs/planner.md); a mistake names the field and the fix.
 */
import { nextWallClockMs, parseClockMinutes, WEEKDAYS } from '../local-time';
import { SLOT_MS, type PlannerJob, type Weekday } from '../planner';
import { configuredItem, refuseUnknownFields } from './known-fields';
import { showValue } from '../show-value';

export interface LoadJob {
  loadId: string;
  job: PlannerJob;
}

type Raw = Record<string, unknown>;
type Amount = Pick<PlannerJob, 'kind'> & Record<string, unknown>;

const EXAMPLE_JOB = '{ "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" }';
const EXAMPLE_CONFIG = `[${EXAMPLE_JOB}, { "loadId": "ev", "energyKwh": 10, "by": "07:00", "from": "18:00", "weekdays": ["mon", "tue", "wed", "thu", "fri"] }]`;
const EXAMPLE_MESSAGE = '{ "loadId": "ev", "energyKwh": 20, "by": "07:00" }';
/** Where a job message's fields are, as its refusals name them. */
const MESSAGE = 'msg.payload';

const AMOUNT_FIELDS = ['energyKwh', 'upToKwh', 'runtimeMinutes', 'interruptible', 'upToMinutes', 'runningMinutesLeft'];
const CONFIG_FIELDS = ['loadId', 'by', 'from', 'weekdays', ...AMOUNT_FIELDS];
const MESSAGE_FIELDS = ['loadId', 'id', 'cancel', 'by', 'earliestStart', ...AMOUNT_FIELDS];

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function optionalNumber(raw: Raw, field: string, where: string, scale = 1): number | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (!isNonNegative(value)) throw new Error(`${where}.${field} = ${showValue(value)}: must be a number, 0 or more`);
  return value * scale;
}

/** "energyKwh" or "runtimeMinutes" (with "interruptible", default true), and their optional extras. */
function amountOf(raw: Raw, where: string): Amount {
  if (raw.energyKwh !== undefined && raw.runtimeMinutes !== undefined) throw new Error(`${where}: give "energyKwh" or "runtimeMinutes", not both: one job per amount`);
  if (raw.energyKwh !== undefined) {
    if (!isPositive(raw.energyKwh)) throw new Error(`${where}.energyKwh = ${showValue(raw.energyKwh)}: must be the energy in kWh, above 0, e.g. 20`);
    return { kind: 'energy', energyWh: raw.energyKwh * 1000, upToWh: optionalNumber(raw, 'upToKwh', where, 1000) };
  }
  if (raw.runtimeMinutes !== undefined) {
    if (!isPositive(raw.runtimeMinutes)) throw new Error(`${where}.runtimeMinutes = ${showValue(raw.runtimeMinutes)}: must be the runtime in minutes, above 0, e.g. 120`);
    if (raw.interruptible !== undefined && typeof raw.interruptible !== 'boolean') throw new Error(`${where}.interruptible = ${showValue(raw.interruptible)}: must be true (may pause) or false (one run)`);
    return {
      kind: 'runtime',
      runtimeMinutes: raw.runtimeMinutes,
      interruptible: raw.interruptible !== false,
      upToMinutes: optionalNumber(raw, 'upToMinutes', where),
      runningMinutesLeft: optionalNumber(raw, 'runningMinutesLeft', where),
    };
  }
  throw new Error(`${where}: give "energyKwh" (energy by a time) or "runtimeMinutes" (runtime by a time)`);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function loadIdOf(raw: Raw, where: string): string {
  if (typeof raw.loadId !== 'string' || raw.loadId.trim() === '') throw new Error(`${where}.loadId = ${showValue(raw.loadId)}: must be the load id of a hems-load on the planned optimiser`);
  return raw.loadId.trim();
}

function clockOf(raw: Raw, field: string, where: string): string | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  parseClockMinutes(value, `${where}.${field}`);
  return value as string;
}

function weekdaysOf(raw: Raw, where: string): Weekday[] {
  if (raw.weekdays === undefined) return [...WEEKDAYS];
  const days = raw.weekdays;
  if (!Array.isArray(days) || days.length === 0 || days.some((d) => !WEEKDAYS.includes(d as Weekday))) {
    throw new Error(`${where}.weekdays = ${showValue(days)}: must list days as ${JSON.stringify(WEEKDAYS)}, or be left out for every day`);
  }
  return days as Weekday[];
}

/** The jobs typed in the editor: a JSON list of weekly jobs. Throws naming the field. */
export function parseConfiguredJobs(text: string): LoadJob[] {
  if (text.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    throw new Error(`jobs are not JSON (${(err as Error).message}): write e.g. ${EXAMPLE_CONFIG}`);
  }
  if (!Array.isArray(list)) throw new Error(`jobs must be a list, e.g. ${EXAMPLE_CONFIG}`);
  return list.map((item, index) => {
    const where = `jobs[${index}]`;
    const raw = configuredItem(item, CONFIG_FIELDS, where, EXAMPLE_JOB);
    const loadId = loadIdOf(raw, where);
    const byTime = clockOf(raw, 'by', where);
    if (byTime === undefined) throw new Error(`${where}.by is missing: give the local time the job must be done by, e.g. "07:00"`);
    const window = withoutUndefined({ kind: 'weekly' as const, weekdays: weekdaysOf(raw, where), byTime, fromTime: clockOf(raw, 'from', where) });
    return { loadId, job: withoutUndefined({ id: `config-${index}`, window, ...amountOf(raw, where) }) as PlannerJob };
  });
}

/** A message job's own id: what a later message names to replace or cancel it. */
function jobIdOf(id: unknown): string {
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return String(id);
  throw new Error(`${MESSAGE}.id = ${showValue(id)}: must be a name or number for this job, e.g. "laundry"`);
}

/** "07:00" → the next time the local clock shows it after nowMs; an ISO time → that instant. */
function instantOf(value: unknown, field: string, nowMs: number, timeZone: string): number {
  const text = typeof value === 'string' ? value : '';
  if (/^\d\d:\d\d$/.test(text)) {
    return nextWallClockMs(parseClockMinutes(text, field), nowMs, timeZone);
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`${field} = ${showValue(value)}: must be a local time "HH:MM" (the next one) or an ISO time`);
  return ms;
}

export type JobMessage = { kind: 'add'; loadJob: LoadJob } | { kind: 'cancel'; loadId: string; jobId: string };

/**
 * `{ loadId, energyKwh | runtimeMinutes, by, earliestStart?, interruptible?, runningMinutesLeft?, id? }`:
 * a one-off job from now (or its earliest start) to `by`; the same load id and id replace it;
 * `{ loadId, id?, cancel: true }` drops it. Throws naming the field.
 */
export function parseJobMessage(payload: unknown, nowMs: number, timeZone: string): JobMessage {
  if (!payload || typeof payload !== 'object') throw new Error(`${MESSAGE} = ${showValue(payload)}: send e.g. ${EXAMPLE_MESSAGE}`);
  const raw = payload as Raw;
  refuseUnknownFields(raw, MESSAGE_FIELDS, MESSAGE);
  const loadId = loadIdOf(raw, MESSAGE);
  const jobId = `message-${raw.id === undefined ? 'once' : jobIdOf(raw.id)}`;
  if (raw.cancel === true) return { kind: 'cancel', loadId, jobId };
  if (raw.by === undefined) throw new Error(`${MESSAGE}.by is missing: give the time it must be done by, "HH:MM" or an ISO time, e.g. ${EXAMPLE_MESSAGE}`);
  const deadlineMs = instantOf(raw.by, `${MESSAGE}.by`, nowMs, timeZone);
  if (deadlineMs <= nowMs) throw new Error(`${MESSAGE}.by = ${showValue(raw.by)}: lies in the past; give a later time`);
  // From the start of the slot holding now: the planner opens a window at the first whole slot, and
  // a job given now may use the slot under way. Progress counts from there, so "20 kWh" means 20 kWh more.
  const earliestStartMs = raw.earliestStart === undefined ? Math.floor(nowMs / SLOT_MS) * SLOT_MS : instantOf(raw.earliestStart, `${MESSAGE}.earliestStart`, nowMs, timeZone);
  if (earliestStartMs >= deadlineMs) throw new Error(`${MESSAGE}.earliestStart = ${showValue(raw.earliestStart)}: must come before ${MESSAGE}.by = ${showValue(raw.by)}`);
  const window = { kind: 'once' as const, deadlineMs, earliestStartMs };
  return { kind: 'add', loadJob: { loadId, job: withoutUndefined({ id: jobId, window, ...amountOf(raw, MESSAGE) }) as PlannerJob } };
}
