/**
 * Pulse inputs (an S0 output, a reed contact on a water or gas meter): levels or increments in,
 * a lifetime pulse count out, with contact bounce filtered by a minimum time between changes.
 * Pure: time comes in with every sample, the state is plain data the node persists.
 */
import { showValue } from '../engine/show-value';

/** What the pulses measure, and how Home Assistant should show the total. */
export interface PulseMedium {
  label: string;
  unit: string;
  /** HA sensor device class for the total (water, gas, energy). */
  deviceClass: string;
  precision: number;
}

export const PULSE_MEDIA = {
  water_m3: { label: 'Water', unit: 'm³', deviceClass: 'water', precision: 3 },
  water_l: { label: 'Water', unit: 'L', deviceClass: 'water', precision: 0 },
  gas_m3: { label: 'Gas', unit: 'm³', deviceClass: 'gas', precision: 3 },
  electricity_kwh: { label: 'Energy', unit: 'kWh', deviceClass: 'energy', precision: 3 },
} as const satisfies Record<string, PulseMedium>;

export type PulseMediumId = keyof typeof PULSE_MEDIA;

export interface PulseState {
  /** Pulses counted since the counter was set up; never decreases. */
  count: number;
  /** The input's level once a sample came; unknown after a restart until the next one. */
  input?: boolean;
  lastChangeAtMs?: number;
}

export const NEW_PULSE_STATE: PulseState = { count: 0 };

export interface PulseStep {
  state: PulseState;
  /** Pulses this sample added. */
  counted: number;
  /** Whether the input level changed (a reading is due). */
  changed: boolean;
}

/**
 * One level sample: a rising edge (off → on) is one pulse. A change sooner than `debounceMs` after
 * the last accepted one is contact bounce and ignored. The first sample only learns the level: it
 * may be the middle of a pulse counted before a restart.
 */
export function applyLevel(state: PulseState, level: boolean, atMs: number, debounceMs: number): PulseStep {
  const unchanged = { state, counted: 0, changed: false };
  if (state.input === level) return unchanged;
  if (state.lastChangeAtMs !== undefined && atMs - state.lastChangeAtMs < debounceMs) return unchanged;
  const counted = state.input === false && level ? 1 : 0;
  return { state: { count: state.count + counted, input: level, lastChangeAtMs: atMs }, counted, changed: true };
}

/** Pulses another counter already counted (a message carrying an increment). */
export function applyIncrement(state: PulseState, pulses: number): PulseStep {
  return { state: { ...state, count: state.count + pulses }, counted: pulses, changed: pulses > 0 };
}

export function pulseValues(state: PulseState, pulsesPerUnit: number): { pulse_count: number; pulse_total: number } {
  return { pulse_count: state.count, pulse_total: state.count / pulsesPerUnit };
}

export type MessageMode = 'level' | 'increment';
export const MESSAGE_MODES: readonly MessageMode[] = ['level', 'increment'];

const LEVELS = new Map<unknown, boolean>([
  [true, true],
  [false, false],
  [1, true],
  [0, false],
  ['1', true],
  ['0', false],
]);

/**
 * The most pulses one increment message may carry unless the node says otherwise: an S0 output
 * at 1000 imp/kWh under 20 kW gives 5.6 pulses a second, so 10 000 covers half an hour of it.
 * A larger one is a fault (a counter's reset, a typo) that would poison the lifetime total.
 */
export const DEFAULT_MAX_INCREMENT = 10_000;

/** A count kept from before a restart, if it is one (files written by older versions may hold null). */
export function isPulseCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A message's payload as a level or an increment, or what was wrong with it. */
export function pulseFromPayload(
  mode: MessageMode,
  payload: unknown,
  maxIncrement = DEFAULT_MAX_INCREMENT,
): { level: boolean } | { increment: number } | { problem: string } {
  if (mode === 'level') {
    const level = LEVELS.get(payload);
    return level === undefined ? { problem: `msg.payload = ${showValue(payload)}: not a level: send true/false or 1/0` } : { level };
  }
  const increment = typeof payload === 'string' && payload.trim() !== '' ? Number(payload) : payload;
  if (!isPulseCount(increment)) {
    return { problem: `msg.payload = ${showValue(payload)}: not a pulse increment: send a whole number of new pulses, 0 or more` };
  }
  if (increment > maxIncrement) {
    return { problem: `msg.payload = ${showValue(payload)}: more pulses than one message may carry (${maxIncrement}): check the sender, or raise "Largest increment"` };
  }
  return { increment };
}

/** Checks the settings up front; throws naming the value and the fix. */
export function validatePulseSettings(settings: { medium: string; pulsesPerUnit: number; debounceMs: number; messageMode: string; maxIncrement: number }): void {
  if (!(settings.medium in PULSE_MEDIA)) throw new Error(`medium "${settings.medium}" is not one of ${Object.keys(PULSE_MEDIA).join(', ')}`);
  if (!Number.isFinite(settings.pulsesPerUnit) || settings.pulsesPerUnit <= 0) {
    throw new Error(`pulses per unit ${settings.pulsesPerUnit} must be above 0: the meter's plate says it, e.g. 1000 imp/kWh or 100 imp/m³`);
  }
  if (!Number.isFinite(settings.debounceMs) || settings.debounceMs < 0) throw new Error(`debounce ${settings.debounceMs} ms must be 0 or more`);
  if (!MESSAGE_MODES.includes(settings.messageMode as MessageMode)) {
    throw new Error(`message input "${settings.messageMode}" is not one of ${MESSAGE_MODES.join(', ')}`);
  }
  if (!isPulseCount(settings.maxIncrement) || settings.maxIncrement < 1) {
    throw new Error(`largest increment ${settings.maxIncrement} must be a whole number of pulses, 1 or more (${DEFAULT_MAX_INCREMENT} is usual)`);
  }
}
