/**
 * Simple load physics: what each load needs and when, so the simulation can tell whether it may
 * draw power now and whether its deadlines were met. Pure: state in, state out.
 *
 * - `ev_sessions`: the car arrives at a time of day needing some energy and must have it by departure.
 * - `hot_water_tank`: a store (in kWh of electricity) emptied by draws at times of day; a draw
 *   the tank cannot cover is a missed deadline.
 * - `daily_runtime`: a pump that must run so many hours between two times of day.
 * - `always`: draws whatever it is given (a heating rod into a large buffer, an SG Ready boost).
 */
import { clockTimeWithin, isClock, nextClockTime, WEEKDAYS, type Weekday } from './clock';
import { show } from './errors';

export interface EvSession {
  days?: Weekday[];
  arrive: string;
  depart: string;
  energyKwh: number;
}
export interface HotWaterDraw {
  days?: Weekday[];
  at: string;
  kwh: number;
}

export type DemandSpec =
  | { type: 'ev_sessions'; sessions: EvSession[] }
  | { type: 'hot_water_tank'; capacityKwh: number; initialPct: number; lossKwhPerDay: number; reheatBelowPct: number; draws: HotWaterDraw[] }
  | { type: 'daily_runtime'; hours: number; from: string; by: string }
  | { type: 'always' };

export interface DemandState {
  /** ev: the car plugged in now. */
  job?: { energyKwh: number; remainingKwh: number; departMs: number };
  /** tank. */
  storedKwh?: number;
  heating?: boolean;
  /** daily runtime: seconds run in the current window, and its deadline. */
  runSeconds?: number;
  windowEndMs?: number;
  met: number;
  missed: number;
  /** The last missed deadline: when it was due and what the physics delivered. */
  lastMiss?: { dueMs: number; shortfall: string };
}

type Of<T extends DemandSpec['type']> = Extract<DemandSpec, { type: T }>;

/** Tolerance for "delivered": a fraction of a step's energy must not count as a miss. */
const EPSILON_KWH = 0.01;
const J_PER_KWH = 3_600_000;
const clockOf = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

interface DemandModel<S extends DemandSpec> {
  initial(spec: S): DemandState;
  /** Called at the start of every step: arrivals, draws and deadlines inside [fromMs, toMs). */
  advance(spec: S, state: DemandState, fromMs: number, toMs: number): DemandState;
  /** The most it can take over the step; 0 = no demand now (passed to the allocator as mode off). */
  maxDrawW(spec: S, state: DemandState, stepSeconds: number): number;
  /** After drawing `powerW` for the step. */
  consume(spec: S, state: DemandState, powerW: number, stepSeconds: number): DemandState;
}

const EV: DemandModel<Of<'ev_sessions'>> = {
  initial: () => ({ met: 0, missed: 0 }),
  advance(spec, state, fromMs, toMs) {
    let next = state;
    if (next.job && next.job.departMs < toMs) {
      const { energyKwh, remainingKwh, departMs } = next.job;
      const delivered = remainingKwh <= EPSILON_KWH;
      next = { ...next, job: undefined, met: next.met + (delivered ? 1 : 0), missed: next.missed + (delivered ? 0 : 1) };
      if (!delivered) next.lastMiss = { dueMs: departMs, shortfall: `${(energyKwh - remainingKwh).toFixed(1)} of ${energyKwh.toFixed(1)} kWh by ${clockOf(departMs)}` };
    }
    if (!next.job) {
      for (const session of spec.sessions) {
        const arriveMs = clockTimeWithin(session.arrive, fromMs, toMs, session.days);
        if (arriveMs !== undefined) {
          next = { ...next, job: { energyKwh: session.energyKwh, remainingKwh: session.energyKwh, departMs: nextClockTime(session.depart, arriveMs) } };
          break;
        }
      }
    }
    return next;
  },
  maxDrawW: (_spec, state, stepSeconds) => (state.job ? (state.job.remainingKwh * J_PER_KWH) / stepSeconds : 0),
  consume: (_spec, state, powerW, stepSeconds) =>
    state.job ? { ...state, job: { ...state.job, remainingKwh: Math.max(0, state.job.remainingKwh - (powerW * stepSeconds) / J_PER_KWH) } } : state,
};

const TANK: DemandModel<Of<'hot_water_tank'>> = {
  initial: (spec) => ({ storedKwh: (spec.capacityKwh * spec.initialPct) / 100, heating: false, met: 0, missed: 0 }),
  advance(spec, state, fromMs, toMs) {
    let stored = Math.max(0, state.storedKwh! - (spec.lossKwhPerDay * (toMs - fromMs)) / 86_400_000);
    let { met, missed, lastMiss } = state;
    for (const draw of spec.draws) {
      const atMs = clockTimeWithin(draw.at, fromMs, toMs, draw.days);
      if (atMs === undefined) continue;
      if (stored + EPSILON_KWH >= draw.kwh) met += 1;
      else {
        missed += 1;
        lastMiss = { dueMs: atMs, shortfall: `tank held ${stored.toFixed(1)} kWh for the ${draw.kwh.toFixed(1)} kWh draw at ${clockOf(atMs)}` };
      }
      stored = Math.max(0, stored - draw.kwh);
    }
    // A thermostat with hysteresis: it calls for heat below the reheat level, until the tank is full.
    const full = stored >= spec.capacityKwh - EPSILON_KWH;
    const heating = !full && (state.heating || stored < (spec.capacityKwh * spec.reheatBelowPct) / 100);
    return { ...state, storedKwh: stored, heating, met, missed, lastMiss };
  },
  maxDrawW: (spec, state, stepSeconds) => (state.heating ? ((spec.capacityKwh - state.storedKwh!) * J_PER_KWH) / stepSeconds : 0),
  consume: (spec, state, powerW, stepSeconds) => ({ ...state, storedKwh: Math.min(spec.capacityKwh, state.storedKwh! + (powerW * stepSeconds) / J_PER_KWH) }),
};

const RUNTIME: DemandModel<Of<'daily_runtime'>> = {
  initial: () => ({ runSeconds: 0, met: 0, missed: 0 }),
  advance(spec, state, fromMs, toMs) {
    let next = state;
    if (next.windowEndMs !== undefined && next.windowEndMs < toMs) {
      const done = next.runSeconds! >= spec.hours * 3600 - 1;
      const dueMs = next.windowEndMs;
      next = { ...next, windowEndMs: undefined, met: next.met + (done ? 1 : 0), missed: next.missed + (done ? 0 : 1) };
      if (!done) next.lastMiss = { dueMs, shortfall: `ran ${(next.runSeconds! / 3600).toFixed(1)} of ${spec.hours} h by ${clockOf(dueMs)}` };
    }
    const opensMs = next.windowEndMs === undefined ? clockTimeWithin(spec.from, fromMs, toMs) : undefined;
    if (opensMs !== undefined) next = { ...next, runSeconds: 0, windowEndMs: nextClockTime(spec.by, opensMs) };
    return next;
  },
  maxDrawW: (spec, state) => (state.windowEndMs !== undefined && state.runSeconds! < spec.hours * 3600 ? Number.POSITIVE_INFINITY : 0),
  consume: (_spec, state, powerW, stepSeconds) => (powerW > 0 ? { ...state, runSeconds: state.runSeconds! + stepSeconds } : state),
};

const ALWAYS: DemandModel<Of<'always'>> = {
  initial: () => ({ met: 0, missed: 0 }),
  advance: (_spec, state) => state,
  maxDrawW: () => Number.POSITIVE_INFINITY,
  consume: (_spec, state) => state,
};

const MODELS: { [T in DemandSpec['type']]: DemandModel<Of<T>> } = {
  ev_sessions: EV,
  hot_water_tank: TANK,
  daily_runtime: RUNTIME,
  always: ALWAYS,
};

export function demandModel(spec: DemandSpec): DemandModel<DemandSpec> {
  return MODELS[spec.type] as DemandModel<DemandSpec>;
}

// --- Parsing: every field checked, every problem named with its path. ---

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function days(raw: unknown, path: string, problems: string[]): Weekday[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.length > 0 && raw.every((d) => (WEEKDAYS as readonly unknown[]).includes(d))) return raw as Weekday[];
  problems.push(`${path} = ${show(raw)}: must be a list of weekdays from ${WEEKDAYS.join(', ')}, or left out for every day`);
  return undefined;
}

function clock(raw: unknown, path: string, problems: string[]): string {
  if (!isClock(raw)) problems.push(`${path} = ${show(raw)}: must be a time of day "HH:MM" in UTC, e.g. "17:30"`);
  return raw as string;
}

function number(raw: unknown, path: string, problems: string[], valid: (v: number) => boolean, problem: string): number {
  if (!(typeof raw === 'number' && Number.isFinite(raw) && valid(raw))) problems.push(`${path} = ${show(raw)}: ${problem}`);
  return raw as number;
}

function list(raw: unknown, path: string, problems: string[], example: string): Json[] {
  if (Array.isArray(raw) && raw.length > 0 && raw.every(isObject)) return raw as Json[];
  problems.push(`${path} = ${show(raw)}: must be a non-empty list such as ${example}`);
  return [];
}

const PARSERS: { [T in DemandSpec['type']]: (raw: Json, path: string, problems: string[]) => Of<T> } = {
  ev_sessions: (raw, path, problems) => ({
    type: 'ev_sessions',
    sessions: list(raw.sessions, `${path}.sessions`, problems, '[{ "arrive": "17:30", "depart": "07:00", "energy_kwh": 12 }]').map((s, i) => ({
      days: days(s.days, `${path}.sessions[${i}].days`, problems),
      arrive: clock(s.arrive, `${path}.sessions[${i}].arrive`, problems),
      depart: clock(s.depart, `${path}.sessions[${i}].depart`, problems),
      energyKwh: number(s.energy_kwh, `${path}.sessions[${i}].energy_kwh`, problems, (v) => v > 0, 'must be the energy the car needs by departure in kWh, above 0'),
    })),
  }),
  hot_water_tank: (raw, path, problems) => {
    const capacityKwh = number(raw.capacity_kwh, `${path}.capacity_kwh`, problems, (v) => v > 0, 'must be the tank’s storable energy in kWh of electricity, above 0');
    return {
      type: 'hot_water_tank',
      capacityKwh,
      initialPct: number(raw.initial_pct ?? 100, `${path}.initial_pct`, problems, (v) => v >= 0 && v <= 100, 'must be the starting charge in %, 0 to 100'),
      lossKwhPerDay: number(raw.loss_kwh_per_day ?? 0, `${path}.loss_kwh_per_day`, problems, (v) => v >= 0, 'must be the standing loss in kWh per day, 0 or more'),
      reheatBelowPct: number(raw.reheat_below_pct ?? 100, `${path}.reheat_below_pct`, problems, (v) => v > 0 && v <= 100, 'must be the thermostat’s reheat level in %, above 0 up to 100'),
      draws: list(raw.draws, `${path}.draws`, problems, '[{ "at": "07:00", "kwh": 1.5 }]').map((d, i) => ({
        days: days(d.days, `${path}.draws[${i}].days`, problems),
        at: clock(d.at, `${path}.draws[${i}].at`, problems),
        kwh: number(d.kwh, `${path}.draws[${i}].kwh`, problems, (v) => v > 0 && (!positive(capacityKwh) || v <= capacityKwh), 'must be the energy drawn in kWh, above 0 and at most capacity_kwh'),
      })),
    };
  },
  daily_runtime: (raw, path, problems) => ({
    type: 'daily_runtime',
    hours: number(raw.hours, `${path}.hours`, problems, (v) => v > 0 && v < 24, 'must be the hours it must run per day, above 0 and below 24'),
    from: clock(raw.from, `${path}.from`, problems),
    by: clock(raw.by, `${path}.by`, problems),
  }),
  always: () => ({ type: 'always' }),
};

const KNOWN_FIELDS: Record<DemandSpec['type'], string[]> = {
  ev_sessions: ['type', 'sessions'],
  hot_water_tank: ['type', 'capacity_kwh', 'initial_pct', 'loss_kwh_per_day', 'reheat_below_pct', 'draws'],
  daily_runtime: ['type', 'hours', 'from', 'by'],
  always: ['type'],
};

export function parseDemand(raw: unknown, path: string, problems: string[]): DemandSpec | undefined {
  const types = Object.keys(PARSERS);
  if (!isObject(raw) || !types.includes(String(raw.type))) {
    problems.push(`${path}${isObject(raw) ? '.type' : ''} = ${show(isObject(raw) ? raw.type : raw)}: must be one of ${types.join(', ')} (see docs/simulate.md)`);
    return undefined;
  }
  const type = raw.type as DemandSpec['type'];
  for (const key of Object.keys(raw).filter((k) => !KNOWN_FIELDS[type].includes(k))) {
    problems.push(`${path}.${key}: unknown field for ${type}; known here: ${KNOWN_FIELDS[type].join(', ')}`);
  }
  return (PARSERS[type] as (r: Json, p: string, pr: string[]) => DemandSpec)(raw, path, problems);
}
