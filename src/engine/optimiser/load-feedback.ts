/**
 * The measured state a load's output (or its own meter) sends back: either a reading message
 * (`values.power_w`) or a plain `{ on, powerW?, stage?, phases?, sgReadyState? }`.
 */
import { smallestRunningPowerW } from '../allocator/defaults';
import type { LoadConfig, LoadReading, PhaseCount, SgReadyState } from '../allocator';
import { showValue } from '../show-value';
import { invalid, valid, type Validated } from '../validation';

/** Standby draw (a charger's electronics, a pump's controller) must not count as running. */
const RUNNING_SHARE_OF_SMALLEST_POWER = 0.1;

export interface MeasuredState {
  on: boolean;
  /** Absent when the output only knows on/off: the commanded power is assumed. */
  powerW?: number;
  stage?: number;
  phases?: PhaseCount;
  sgReadyState?: SgReadyState;
  /** The reading's timestamp, if it carried one. */
  atMs?: number;
}

const SG_READY_STATES: readonly string[] = ['lock', 'normal', 'recommend', 'force_on'];


function fromReading(payload: { timestamp?: unknown; values: Record<string, unknown> }, config: LoadConfig, voltageV: number): Validated<MeasuredState> {
  const power = payload.values.power_w ?? payload.values.load_power_w;
  if (typeof power !== 'number' || !Number.isFinite(power)) {
    return invalid(`msg.payload.values.power_w = ${showValue(power)}: must be the measured power in W: send the meter that measures this load, or { payload: { on, powerW } }`);
  }
  const atMs = typeof payload.timestamp === 'string' ? Date.parse(payload.timestamp) : Number.NaN;
  const powerW = Math.abs(power);
  const on = powerW >= RUNNING_SHARE_OF_SMALLEST_POWER * smallestRunningPowerW(config, voltageV);
  return valid({ on, powerW, ...(Number.isFinite(atMs) ? { atMs } : {}) });
}

function fromPlainState(payload: Record<string, unknown>): Validated<MeasuredState> {
  const { on, powerW, stage, phases, sgReadyState } = payload;
  if (typeof on !== 'boolean') return invalid(`msg.payload.on = ${showValue(on)}: must be true or false`);
  if (powerW !== undefined && !(typeof powerW === 'number' && Number.isFinite(powerW) && powerW >= 0)) {
    return invalid(`msg.payload.powerW = ${showValue(powerW)}: must be the measured power in W, 0 or more (or leave it out)`);
  }
  if (stage !== undefined && !(Number.isInteger(stage) && (stage as number) >= 0 && (stage as number) <= 3)) {
    return invalid(`msg.payload.stage = ${showValue(stage)}: must be the active stage, 0 to 3`);
  }
  if (phases !== undefined && phases !== 1 && phases !== 3) return invalid(`msg.payload.phases = ${showValue(phases)}: must be 1 or 3`);
  if (sgReadyState !== undefined && !SG_READY_STATES.includes(sgReadyState as string)) {
    return invalid(`msg.payload.sgReadyState = ${showValue(sgReadyState)}: must be one of ${SG_READY_STATES.join(', ')}`);
  }
  const state: MeasuredState = { on };
  if (powerW !== undefined) state.powerW = powerW as number;
  if (stage !== undefined) state.stage = stage as number;
  if (phases !== undefined) state.phases = phases as PhaseCount;
  if (sgReadyState !== undefined) state.sgReadyState = sgReadyState as SgReadyState;
  return valid(state);
}

export function parseMeasuredState(payload: unknown, config: LoadConfig, voltageV: number): Validated<MeasuredState> {
  if (!payload || typeof payload !== 'object') {
    return invalid(`msg.payload = ${showValue(payload)}: must be a reading { device, timestamp, values: { power_w } } or { on, powerW }`);
  }
  const p = payload as Record<string, unknown>;
  if (p.values && typeof p.values === 'object') return fromReading(p as { timestamp?: unknown; values: Record<string, unknown> }, config, voltageV);
  return fromPlainState(p);
}

/** The allocator's view: a measured state without power draws what was last commanded when on. */
export function toLoadReading(state: MeasuredState, commandedPowerW: number): LoadReading {
  const reading: LoadReading = { on: state.on, powerW: state.powerW ?? (state.on ? commandedPowerW : 0) };
  if (state.stage !== undefined) reading.stage = state.stage;
  if (state.phases !== undefined) reading.phases = state.phases;
  if (state.sgReadyState !== undefined) reading.sgReadyState = state.sgReadyState;
  return reading;
}
