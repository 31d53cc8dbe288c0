import { showValue } from '../show-value';

/** Unknown fields named in one refusal; more are counted, not listed. */
const NAMED_AT_MOST = 5;

/** A field a person mistyped ("days" for "weekdays") must not be ignored in silence: the job would quietly do something else. */
export function refuseUnknownFields(raw: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(raw).filter((field) => !known.includes(field));
  if (unknown.length === 0) return;
  const named = unknown.slice(0, NAMED_AT_MOST).map((f) => showValue(f));
  if (unknown.length > NAMED_AT_MOST) named.push(`${unknown.length - NAMED_AT_MOST} more`);
  throw new Error(`${where}: ${named.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not known here: use ${known.join(', ')}`);
}

/** One item of a configured list as an object of known fields; `example` shows what one looks like. */
export function configuredItem(item: unknown, known: readonly string[], where: string, example: string): Record<string, unknown> {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error(`${where} = ${showValue(item)}: must be an object like ${example}`);
  const raw = item as Record<string, unknown>;
  refuseUnknownFields(raw, known, where);
  return raw;
}
