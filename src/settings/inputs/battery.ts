/**
 * hems-battery: the optimiser's cycle message with the planned battery command; by `msg.topic` a
 * mode set by hand (`auto` hands back to the plan) and the power for it.
 */
import { BATTERY_MODES, isBatteryMode, type BatteryMode, type OptimiserBatteryCommand } from '../../engine/battery';
import { valid } from '../../engine/validation';
import { isRecord, refuse, type InputContract } from './gate';

export interface BatteryInputContext {
  receivedAtMs: number;
}

/** What the optimiser's message says when it carries no battery command. */
export const NO_BATTERY_PLAN = 'the optimiser follows no plan with a battery (give the hems-planner a battery): self-consumption';

export const BATTERY_INPUTS: InputContract<BatteryInputContext, { mode: BatteryMode | 'auto'; power_w: number }, OptimiserBatteryCommand> = {
  topics: {
    mode: {
      read: (payload) => (payload === 'auto' || isBatteryMode(payload) ? valid(payload) : refuse('msg.payload', payload, `must be one of auto, ${BATTERY_MODES.join(', ')}`)),
    },
    power_w: {
      read: (payload) => {
        const powerW = typeof payload === 'number' ? payload : typeof payload === 'string' && payload.trim() !== '' ? Number(payload) : Number.NaN;
        return Number.isFinite(powerW) && powerW >= 0 ? valid(powerW) : refuse('msg.payload', payload, 'must be the power for a mode set by hand in W, 0 or more');
      },
    },
  },
  otherwise: {
    read: (payload, { receivedAtMs }) => {
      if (!isRecord(payload) || !isRecord(payload.site)) {
        return refuse('msg.payload', payload, 'expected the optimiser cycle message { payload: { site, battery? } }: wire the hems-optimiser output here');
      }
      const { battery } = payload;
      if (battery === undefined) return valid({ missingReason: NO_BATTERY_PLAN, receivedAtMs });
      if (!isRecord(battery)) return refuse('msg.payload.battery', battery, 'expected { mode, powerW, reason } from the hems-optimiser');
      const { mode, powerW, reason } = battery;
      if (!isBatteryMode(mode)) return refuse('msg.payload.battery.mode', mode, `must be one of ${BATTERY_MODES.join(', ')}`);
      if (typeof powerW !== 'number' || !Number.isFinite(powerW) || powerW < 0) return refuse('msg.payload.battery.powerW', powerW, 'must be a power in W, 0 or more');
      return valid({ command: { mode, powerW, reason: typeof reason === 'string' ? reason : 'from the optimiser' }, receivedAtMs });
    },
  },
};
