/**
 * Ripple-control receiver contacts as the allocator wants them: one boolean per input, in the
 * order the site's rules spell them ('10' = first closed, second open). A message names inputs
 * (`{ k1: true, k2: false }`) or lists them in order (`[true, false]`); a Modbus poll lists them.
 */
import { showValue } from '../show-value';
import { invalid, valid, type Validated } from '../validation';


function contact(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  return undefined;
}

export function parseRippleInputs(payload: unknown, names: readonly string[]): Validated<boolean[]> {
  const example = `{ ${names.map((n, i) => `${n}: ${i === 0}`).join(', ')} }`;
  if (names.length === 0) return invalid('msg.topic = "ripple": no ripple-control inputs configured: name them in the site (e.g. "k1, k2") and add rules');
  const values = Array.isArray(payload) ? payload : names.map((name) => (payload as Record<string, unknown> | null)?.[name]);
  if (!payload || typeof payload !== 'object' || values.length !== names.length) {
    return invalid(`msg.payload = ${showValue(payload)}: send ${example} or ${names.length} booleans in that order`);
  }
  const inputs = values.map(contact);
  const missing = inputs.findIndex((value) => value === undefined);
  if (missing >= 0) return invalid(`msg.payload${Array.isArray(payload) ? `[${missing}]` : `.${names[missing]}`} = ${showValue(values[missing])}: input ${names[missing]} must be true (closed) or false (open), e.g. ${example}`);
  return valid(inputs as boolean[]);
}
