/** hems-sg-ready: a state, a load's `{ sgReadyState, reason }` or `{ mode }`; `msg.topic` names the source. */
import { parseSgReadyInput, type SgReadyEvent } from '../../engine/sg-ready';
import { invalid, valid } from '../../engine/validation';
import type { InputContract } from './gate';

export interface SgReadyInputContext {
  /** The message's `msg.topic`: the reason a request gives when it brings none. */
  topic: unknown;
}

export const SG_READY_INPUTS: InputContract<SgReadyInputContext, Record<never, never>, SgReadyEvent> = {
  topics: {},
  otherwise: {
    read: (payload, { topic }) => {
      const parsed = parseSgReadyInput(payload, topic);
      return 'error' in parsed ? invalid(parsed.error) : valid(parsed.event);
    },
  },
};
