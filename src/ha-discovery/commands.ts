import { showValue } from '../engine/show-value';
import { invalid as fail, valid as ok, type Validated } from '../engine/validation';
import type { EntitySpec } from './entities';

export type CommandValue = boolean | string | number;
export type CommandCheck = Validated<CommandValue>;

/** Checks a command payload from HA against the entity it was sent to; nothing acts on a bad one. */
const VALIDATORS: { [K in EntitySpec['kind']]?: (spec: Extract<EntitySpec, { kind: K }>, payload: string) => CommandCheck } = {
  switch: (_spec, payload) =>
    payload === 'ON' ? ok(true) : payload === 'OFF' ? ok(false) : fail(`${showValue(payload)} is not ON or OFF`),
  button: (_spec, payload) => (payload === 'PRESS' ? ok('PRESS') : fail(`${showValue(payload)} is not PRESS`)),
  select: (spec, payload) =>
    spec.options.includes(payload) ? ok(payload) : fail(`${showValue(payload)} is not one of ${spec.options.join(', ')}`),
  number: (spec, payload) => {
    const value = Number(payload);
    if (payload.trim() === '' || !Number.isFinite(value)) return fail(`${showValue(payload)} is not a number`);
    if (value < spec.min || value > spec.max) return fail(`${value} is outside ${spec.min} … ${spec.max}`);
    return ok(value);
  },
  text: (spec, payload) => {
    if (spec.max !== undefined && payload.length > spec.max) return fail(`text longer than ${spec.max} characters`);
    if (spec.min !== undefined && payload.length < spec.min) return fail(`text shorter than ${spec.min} characters`);
    if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(payload)) return fail(`${showValue(payload)} does not match ${spec.pattern}`);
    return ok(payload);
  },
};

export function validateCommand(spec: EntitySpec, payload: string): CommandCheck {
  const validator = VALIDATORS[spec.kind] as ((s: EntitySpec, p: string) => CommandCheck) | undefined;
  return validator ? validator(spec, payload) : fail(`${spec.kind} "${spec.key}" takes no commands`);
}
