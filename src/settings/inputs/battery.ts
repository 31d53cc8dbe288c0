/**
 * hems-battery: the optimiser's cycle message with the battery's mode for now (docs/architecture.md
 * "Battery"), and a mode or power set by hand.
 */
import { BATTERY_MODES, isBatteryMode, type BatteryCommand, type BatteryMode } from '../../engine/battery';
import { valid } from '../../engine/validation';
import { isRecord, refuse, type InputContract } from './gate';

/** The cycle's battery command; undefined when the cycle carried none (no planner with a battery). */
export interface OptimiserBatteryInput {
  command?: BatteryCommand;
}

export type BatteryModeChoice = BatteryMode | 'auto';

const MODE_CHOICES: readonly BatteryModeChoice[] = ['auto', ...BATTERY_MODES];

export const BATTERY_INPUTS: InputContract<undefined, { mode: BatteryModeChoice; power_w: number }, OptimiserBatteryInput> = {
  topics: {
    mode: {
      read: (payload) => (payload === 'auto' || isBatteryMode(payload) ? valid(payload) : refuse('msg.payload', payload, `choose one of ${MODE_CHOICES.join(', ')}`)),
    },
    power_w: {
      read: (payload) => {
        const powerW = typeof payload === 'number' || typeof payload === 'string' ? Number(payload) : Number.NaN;
        return Number.isFinite(powerW) && powerW >= 0 && String(payload).trim() !== '' ? valid(powerW) : refuse('msg.payload', payload, 'give the power for a mode set by hand in W, 0 or more');
      },
    },
  },
  otherwise: {
    read: (payload) => {
      if (!isRecord(payload) || !isRecord(payload.site)) {
        return refuse('msg.payload', payload, 'expected the optimiser cycle message { payload: { site, battery? } }: wire the hems-optimiser output here');
      }
      const battery = payload.battery;
      if (battery === undefined) return valid({});
      if (!isRecord(battery)) return refuse('msg.payload.battery', battery, 'expected { mode, powerW, reason } from the hems-optimiser');
      const { mode, powerW, reason } = battery;
      if (!isBatteryMode(mode)) return refuse('msg.payload.battery.mode', mode, `expected one of ${BATTERY_MODES.join(', ')}`);
      if (typeof powerW !== 'number' || !Number.isFinite(powerW) || powerW < 0) return refuse('msg.payload.battery.powerW', powerW, 'expected a power in W, 0 or more');
      return valid({ command: { mode, powerW, reason: typeof reason === 'string' ? reason : 'from the optimiser' } });
    },
  },
};
