/** hems-pulse: a level (`true`/`false`, `1`/`0`) or an increment (whole new pulses), as configured. */
import { pulseFromPayload, type MessageMode } from '../../devices/pulse-counter';
import { invalid, valid } from '../../engine/validation';
import { refuse, type InputContract } from './gate';

export interface PulseInputContext {
  messageMode: MessageMode;
  /** The most pulses one increment may add (the "Largest increment" setting). */
  maxIncrement: number;
  /** The level is polled from Modbus: a level message would disturb the count. */
  levelFromModbus: boolean;
}

export type PulseInput = { level: boolean } | { increment: number };

export const PULSE_INPUTS: InputContract<PulseInputContext, Record<never, never>, PulseInput> = {
  topics: {},
  otherwise: {
    read: (payload, { messageMode, maxIncrement, levelFromModbus }) => {
      const pulse = pulseFromPayload(messageMode, payload, maxIncrement);
      if ('problem' in pulse) return invalid(pulse.problem);
      if ('level' in pulse && levelFromModbus) {
        return refuse('msg.payload', payload, 'the input is read from Modbus, a level message would disturb the count: send increments (message input "increment") or remove the bus');
      }
      return valid(pulse);
    },
  },
};
