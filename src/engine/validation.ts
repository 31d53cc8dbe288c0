/**
 * The one shape of a check's outcome across the engine: a parser of messages and payloads returns
 * `Validated<T>` (the value, or one sentence saying what is wrong and how to fix it); a validator
 * of settings returns the list of `ValidationError`s (empty: valid), each naming its field and value.
 */

/** One problem with a setting: where it is, the value given, and what is wrong with it and how to fix it. */
export interface ValidationError {
  loadId?: string;
  field: string;
  value: unknown;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

export function valid<T>(value: T): Validated<T> {
  return { ok: true, value };
}

export function invalid<T = never>(error: string): Validated<T> {
  return { ok: false, error };
}
