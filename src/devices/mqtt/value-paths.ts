/**
 * Values picked out of a JSON payload by path: `SML.Total_in`, `meters[0].power`. Used by the
 * Tasmota SML and generic JSON formats, where the user decides which field is which measurement.
 * Pure.
 */
import { MEASUREMENTS, type Quantity } from '../../engine/measurements';
import { showValue } from '../../engine/show-value';

export interface ValuePath {
  /** Canonical measurement name the value becomes. */
  measurement: string;
  /** Dot path with optional array indexes: `SML.Total_in`, `emeters[1].power`. */
  path: string;
  /** Factor applied to the raw value (0.001 for Wh → kWh); 1 when absent. */
  scale?: number;
}

export interface PickedValues {
  values: Record<string, number>;
  /** Canonical name → why its value is missing from this payload. */
  quality: Record<string, string>;
}

const PATH_STEP = /^([^.[\]]+)((?:\[\d+\])*)$/;

/** The steps of a path (property names and array indexes); throws naming the part that is no path. */
export function pathSteps(path: string): Array<string | number> {
  const steps: Array<string | number> = [];
  for (const part of path.split('.')) {
    const match = PATH_STEP.exec(part);
    if (!match) throw new Error(`"${path}" is not a value path: write it like SML.Total_in or meters[0].power`);
    steps.push(match[1], ...[...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  }
  return steps;
}

/** What sits at `path` in `json`, or undefined when some step is missing. */
export function valueAt(json: unknown, path: string): unknown {
  let here: unknown = json;
  for (const step of pathSteps(path)) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return here;
}

/** The canonical sign rules (shared/reference/measurements.md) a user-defined field may not follow. */
const CANONICAL_FORM: Partial<Record<Quantity, (value: number) => number>> = {
  current: Math.abs,
  power_factor: Math.abs,
};
const NEVER_NEGATIVE = new Set(['pv_power_w']);

function canonical(name: string, value: number): number {
  const form = CANONICAL_FORM[MEASUREMENTS[name].quantity];
  const shaped = form ? form(value) : value;
  return NEVER_NEGATIVE.has(name) ? Math.max(0, shaped) : shaped;
}

/** Devices write numbers, some as text ("230.1"); anything else is no value. */
function asNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Every mapped value found in `json`, scaled and in canonical form; the others named with the reason. */
export function pickValues(json: unknown, paths: readonly ValuePath[], topic: string): PickedValues {
  const picked: PickedValues = { values: {}, quality: {} };
  for (const { measurement, path, scale } of paths) {
    const raw = valueAt(json, path);
    const value = asNumber(raw);
    if (raw === undefined) picked.quality[measurement] = `${path} is not in the payload of ${topic}`;
    else if (value === undefined) picked.quality[measurement] = `${path} in ${topic} is ${showValue(raw)}, not a number`;
    else picked.values[measurement] = canonical(measurement, value * (scale ?? 1));
  }
  return picked;
}

/** Checks a user's mapping up front; throws with the offending entry and the fix. */
export function validateValuePaths(paths: readonly ValuePath[]): void {
  if (paths.length === 0) throw new Error('no values mapped: add at least one JSON path and the measurement it gives');
  const seen = new Set<string>();
  for (const { measurement, path, scale } of paths) {
    if (!(measurement in MEASUREMENTS)) {
      throw new Error(`"${measurement}" (for ${path}) is not a canonical measurement: pick one such as power_w or energy_import_kwh`);
    }
    pathSteps(path);
    if (scale !== undefined && (!Number.isFinite(scale) || scale === 0)) {
      throw new Error(`scale ${scale} for ${measurement} is not a factor: use a number other than 0, e.g. 0.001 for Wh → kWh`);
    }
    if (seen.has(measurement)) throw new Error(`${measurement} is mapped twice: map each measurement from one path`);
    seen.add(measurement);
  }
}

/** A payload as JSON, or what was wrong with it (for a warning that names the topic). */
export function parseJson(topic: string, payload: string): { json: unknown } | { problem: string } {
  try {
    return { json: JSON.parse(payload) };
  } catch (err) {
    const shown = payload.length > 60 ? `${payload.slice(0, 60)}…` : payload;
    return { problem: `${topic}: payload ${showValue(shown)} is not JSON (${(err as Error).message})` };
  }
}
