import type { SgReadyEvent, SgReadyMode } from './controller';
import { SG_READY_STATES, type SgReadyState } from './states';
import { showValue } from '../show-value';

const MODES: readonly SgReadyMode[] = ['auto', 'lock', 'normal', 'recommend', 'force'];
const USAGE = 'send lock, normal, recommend or force_on, { sgReadyState, reason } from a hems-load, or { mode: auto|lock|normal|recommend|force }';

const isState = (v: unknown): v is SgReadyState => SG_READY_STATES.includes(v as SgReadyState);

/** Turns an input message into an SG Ready event, or says what was wrong with it. */
export function parseSgReadyInput(payload: unknown, topic?: unknown): { event: SgReadyEvent } | { error: string } {
  const from = typeof topic === 'string' && topic ? `from ${topic}` : 'command';
  if (typeof payload === 'string') {
    return isState(payload) ? { event: { type: 'request', state: payload, reason: from } } : { error: `msg.payload = ${showValue(payload)}: not an SG Ready state: ${USAGE}` };
  }
  if (payload && typeof payload === 'object') {
    const p = payload as Record<string, unknown>;
    if ('mode' in p) {
      return MODES.includes(p.mode as SgReadyMode)
        ? { event: { type: 'mode', mode: p.mode as SgReadyMode } }
        : { error: `msg.payload.mode = ${showValue(p.mode)}: must be one of ${MODES.join(', ')}` };
    }
    if ('sgReadyState' in p) {
      return isState(p.sgReadyState)
        ? { event: { type: 'request', state: p.sgReadyState, reason: typeof p.reason === 'string' ? p.reason : from } }
        : { error: `msg.payload.sgReadyState = ${showValue(p.sgReadyState)}: must be one of ${SG_READY_STATES.join(', ')}` };
    }
  }
  return { error: `msg.payload = ${showValue(payload)}: ${USAGE}` };
}

export { MODES as SG_READY_MODES };
