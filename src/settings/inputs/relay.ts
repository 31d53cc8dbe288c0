/** hems-relay: a command; `msg.topic` only names its source. */
import { valid } from '../../engine/validation';
import { isRecord, refuse, type InputContract } from './gate';

const WORDS: Record<string, boolean> = { on: true, true: true, off: false, false: false };
const USAGE = 'must be a command: true/false, "on"/"off", 1/0 or { on: true|false }';

export const RELAY_INPUTS: InputContract<undefined, Record<never, never>, boolean> = {
  topics: {},
  otherwise: {
    read: (payload) => {
      if (typeof payload === 'boolean') return valid(payload);
      if (payload === 1 || payload === 0) return valid(payload === 1);
      if (typeof payload === 'string' && Object.hasOwn(WORDS, payload.toLowerCase())) return valid(WORDS[payload.toLowerCase()]);
      if (isRecord(payload) && 'on' in payload) return typeof payload.on === 'boolean' ? valid(payload.on) : refuse('msg.payload.on', payload.on, 'must be true or false');
      return refuse('msg.payload', payload, USAGE);
    },
  },
};
