/**
 * A value as an error message may quote it: JSON-like, cut short, and never a second exception.
 * Inputs come from anywhere (a flow, a broker): circular objects, huge arrays, objects whose
 * toString is not a function, getters that throw, null prototypes, BigInt. Nothing here calls the
 * value's own methods. Pure.
 */

/** Characters of the shown value; a longer one ends in "…". */
export const SHOWN_VALUE_MAX_CHARS = 120;
const MAX_DEPTH = 3;
const MAX_ITEMS = 8;

function showProperty(target: object, key: string, depth: number, seen: Set<object>): string {
  let value: unknown;
  try {
    value = (target as Record<string, unknown>)[key];
  } catch {
    return 'unreadable';
  }
  return showInner(value, depth, seen);
}

function showInner(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > SHOWN_VALUE_MAX_CHARS ? value.slice(0, SHOWN_VALUE_MAX_CHARS) : value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[…]' : '{…}';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.slice(0, MAX_ITEMS).map((item) => showInner(item, depth + 1, seen));
      if (object.length > MAX_ITEMS) items.push(`… ${object.length} items`);
      return `[${items.join(',')}]`;
    }
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'an invalid date' : JSON.stringify(object.toISOString());
    const keys = Object.keys(object);
    const entries = keys.slice(0, MAX_ITEMS).map((key) => `${JSON.stringify(key)}:${showProperty(object, key, depth + 1, seen)}`);
    if (keys.length > MAX_ITEMS) entries.push(`… ${keys.length} keys`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * The value for an error message: `payload.mode = {"a":1}: must be one of …`. Strings are quoted,
 * undefined says "missing", anything long ends in "…".
 */
export function showValue(value: unknown): string {
  let shown: string;
  try {
    shown = value === undefined ? 'missing' : showInner(value, 0, new Set());
  } catch {
    // A proxy whose traps throw, a revoked proxy: nothing more can be said of it.
    shown = 'an unreadable value';
  }
  return shown.length > SHOWN_VALUE_MAX_CHARS ? `${shown.slice(0, SHOWN_VALUE_MAX_CHARS - 1)}…` : shown;
}
