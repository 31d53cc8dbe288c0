/**
 * The one input gate: every node's message passes `gateInput` with its node type's contract (the
 * tables beside this file, docs/architecture.md "Input contracts"). A contract says which inputs
 * `msg.topic` selects and which one takes every other message; each input reads `msg.payload`
 * into the value the node acts on, or refuses it in one sentence naming the `msg.` field, the
 * value (showValue: safe for anything) and what is expected. The node only acts on what passed.
 * Pure: the node hands over what the contract needs to know (settings, the site, the time).
 */
import { showValue } from '../../engine/show-value';
import { invalid, valid, type Validated, type ValidationError } from '../../engine/validation';

/** One input of a node: what it reads `msg.payload` into. */
export interface InputRoute<C, T> {
  read(payload: unknown, context: C): Validated<T>;
}

/** A node type's message contract: inputs named by `msg.topic`, and the one for any other message. */
export interface InputContract<C, Topics extends Record<string, unknown>, Other> {
  topics: { [K in keyof Topics]: InputRoute<C, Topics[K]> };
  otherwise: InputRoute<C, Other>;
}

/** What passed the gate: the topic's input and its value (`topic` undefined: the node's main input). */
export type GateInput<Topics extends Record<string, unknown>, Other> = { [K in keyof Topics]: { topic: K; value: Topics[K] } }[keyof Topics] | { topic: undefined; value: Other };

interface InputMessage {
  topic?: unknown;
  payload?: unknown;
}

export function gateInput<C, Topics extends Record<string, unknown>, Other>(
  contract: InputContract<C, Topics, Other>,
  msg: InputMessage,
  context: C,
): Validated<GateInput<Topics, Other>> {
  const topic = typeof msg.topic === 'string' && Object.hasOwn(contract.topics, msg.topic) ? (msg.topic as keyof Topics) : undefined;
  if (topic !== undefined) {
    const read = contract.topics[topic].read(msg.payload, context);
    return read.ok ? valid({ topic, value: read.value } as GateInput<Topics, Other>) : read;
  }
  const read = contract.otherwise.read(msg.payload, context);
  if (read.ok) return valid({ topic: undefined, value: read.value } as GateInput<Topics, Other>);
  const topics = Object.keys(contract.topics);
  // A payload that is not the main input at all may be meant for another one under a mistyped topic: say which there are.
  const notTheMainInput = read.error.startsWith('msg.payload = ');
  return topics.length > 0 && msg.topic !== undefined && notTheMainInput ? invalid(`${read.error}; or msg.topic = ${showValue(msg.topic)} is not one of ${topics.join(', ')}`) : read;
}

/** The refusal of one field: `msg.payload.on = "yes": must be true or false`. */
export function refuse<T = never>(field: string, value: unknown, expected: string): Validated<T> {
  return invalid(`${field} = ${showValue(value)}: ${expected}`);
}

/** A settings check's first problem as the refusal of the message field that carried the value. */
export function refuseSetting<T = never>(field: string, errors: readonly ValidationError[]): Validated<T> {
  return invalid(`${field}: ${errors.map((e) => e.message).join('; ')}`);
}

/** Characters of a key from a message that a field path quotes. */
const KEY_MAX_CHARS = 40;

/** `msg.payload.values` + `power_w` → `msg.payload.values.power_w`; a stranger's key is cut short. */
export function fieldPath(path: string, key: string): string {
  return `${path}.${key.length > KEY_MAX_CHARS ? `${key.slice(0, KEY_MAX_CHARS)}…` : key}`;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
