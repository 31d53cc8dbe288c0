/**
 * hems-load: its measured state (a reading, or `{ on, powerW?, … }`) or an EV charger's `{ demand }`;
 * by `msg.topic` a change of mode, priority, override or demand, checked against the load as it is now.
 */
import { validateLoadConfig, type LoadConfig, type LoadOverride } from '../../engine/allocator';
import { parseMeasuredState, withLoadChange, type LoadChange, type MeasuredState } from '../../engine/optimiser';
import { valid, type Validated } from '../../engine/validation';
import { isRecord, refuse, refuseSetting, type InputContract, type InputRoute } from './gate';
import { powerProblem } from './physical-range';

export interface LoadInputContext {
  /** The load's config in force (with earlier changes). */
  current: LoadConfig;
  voltageV: number;
  maxPowerW: number | undefined;
  nowMs: number;
}

/** A change the load's config takes as a whole (its validation names the setting, the message field the value came in). */
function checked(change: LoadChange, current: LoadConfig): Validated<LoadChange> {
  const errors = validateLoadConfig(withLoadChange(current, change));
  return errors.length > 0 ? refuseSetting('msg.payload', errors) : valid(change);
}

function change(make: (payload: unknown, context: LoadInputContext) => Validated<LoadChange>): InputRoute<LoadInputContext, LoadChange> {
  return {
    read: (payload, context) => {
      const made = make(payload, context);
      return made.ok ? checked(made.value, context.current) : made;
    },
  };
}

const DEMAND = 'must be true (plugged in, wants power) or false (unplugged or full)';

function override(payload: unknown, { nowMs, maxPowerW }: LoadInputContext): Validated<LoadChange> {
  if (payload === null || payload === 'auto' || payload === undefined) return valid({ override: undefined });
  if (!isRecord(payload) || typeof payload.on !== 'boolean') return refuse('msg.payload', payload, 'must be { on: true|false, powerW?, minutes? }, or "auto" to remove the override');
  const { on, powerW, minutes } = payload;
  if (minutes !== undefined && !(typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0)) {
    return refuse('msg.payload.minutes', minutes, 'must be a number of minutes above 0, or left out for no expiry');
  }
  const tooMuch = typeof powerW === 'number' ? powerProblem(powerW, maxPowerW) : undefined;
  if (tooMuch) return refuse('msg.payload.powerW', powerW, tooMuch);
  const made: LoadOverride = { on };
  if (powerW !== undefined) made.powerW = powerW as number;
  if (typeof minutes === 'number') made.expiresAtMs = nowMs + minutes * 60_000;
  return valid({ override: made });
}

/** What the main input carries. */
export type LoadInput = { demand: boolean } | { measured: MeasuredState };

function measured(payload: unknown, { current, voltageV, maxPowerW }: LoadInputContext): Validated<LoadInput> {
  // `{ demand }` alone is an EV charger's plug state: not a read-back, a change of demand.
  if (isRecord(payload) && Object.keys(payload).length === 1 && 'demand' in payload) {
    return typeof payload.demand === 'boolean' ? valid({ demand: payload.demand }) : refuse('msg.payload.demand', payload.demand, DEMAND);
  }
  const state = parseMeasuredState(payload, current, voltageV);
  if (!state.ok) return state;
  const tooMuch = state.value.powerW === undefined ? undefined : powerProblem(state.value.powerW, maxPowerW);
  if (tooMuch) return refuse(isRecord(payload) && isRecord(payload.values) ? 'msg.payload.values.power_w' : 'msg.payload.powerW', state.value.powerW, tooMuch);
  return valid({ measured: state.value });
}

export const LOAD_INPUTS: InputContract<LoadInputContext, { mode: LoadChange; priority: LoadChange; override: LoadChange; demand: LoadChange }, LoadInput> = {
  topics: {
    mode: change((payload) => valid({ mode: payload as LoadConfig['mode'] })),
    priority: change((payload) => valid({ priority: payload as number })),
    override: change(override),
    demand: change((payload) => (typeof payload === 'boolean' ? valid({ demand: payload }) : refuse('msg.payload', payload, DEMAND))),
  },
  otherwise: { read: measured },
};
