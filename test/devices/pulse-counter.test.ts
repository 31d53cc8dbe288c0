import { describe, expect, it } from 'vitest';
import { applyIncrement, applyLevel, NEW_PULSE_STATE, pulseFromPayload, pulseValues, validatePulseSettings, type PulseState } from '../../src/devices/pulse-counter';

/** Feeds [atMs, level] samples and returns the count and the accepted changes. */
function feed(samples: Array<[number, boolean]>, debounceMs: number, state: PulseState = NEW_PULSE_STATE) {
  let changes = 0;
  for (const [atMs, level] of samples) {
    const step = applyLevel(state, level, atMs, debounceMs);
    state = step.state;
    if (step.changed) changes++;
  }
  return { count: state.count, input: state.input, changes };
}

describe('applyLevel', () => {
  it.each<[string, Array<[number, boolean]>, number, { count: number; input: boolean; changes: number }]>([
    ['the first sample only learns the level', [[0, true]], 20, { count: 0, input: true, changes: 1 }],
    ['off → on is one pulse, on → off none', [[0, false], [100, true], [200, false]], 20, { count: 1, input: false, changes: 3 }],
    ['repeated levels change nothing', [[0, false], [100, false], [200, true], [300, true]], 20, { count: 1, input: true, changes: 2 }],
    ['bounce within the debounce time is ignored', [[0, false], [100, true], [102, false], [104, true], [106, false], [200, false]], 20, { count: 1, input: false, changes: 3 }],
    ['without debounce every bounce counts', [[0, false], [100, true], [102, false], [104, true]], 0, { count: 2, input: true, changes: 4 }],
    ['three clean pulses', [[0, false], [50, true], [100, false], [150, true], [200, false], [250, true]], 20, { count: 3, input: true, changes: 6 }],
  ])('%s', (_what, samples, debounceMs, expected) => {
    expect(feed(samples, debounceMs)).toEqual(expected);
  });

  it('continues a stored count after a restart without counting the first level', () => {
    expect(feed([[0, true], [100, false], [200, true]], 20, { count: 41 })).toMatchObject({ count: 42 });
  });
});

describe('increments and values', () => {
  it('adds increments; zero changes nothing', () => {
    expect(applyIncrement({ count: 5 }, 3)).toEqual({ state: { count: 8 }, counted: 3, changed: true });
    expect(applyIncrement({ count: 5 }, 0)).toEqual({ state: { count: 5 }, counted: 0, changed: false });
  });

  it.each([
    [1234, 1000, { pulse_count: 1234, pulse_total: 1.234 }],
    [250, 100, { pulse_count: 250, pulse_total: 2.5 }],
    [7, 1, { pulse_count: 7, pulse_total: 7 }],
  ])('%i pulses at %i per unit', (count, perUnit, expected) => {
    expect(pulseValues({ count }, perUnit)).toEqual(expected);
  });
});

describe('pulseFromPayload', () => {
  it.each<[string, unknown, unknown]>([
    ['level', true, { level: true }],
    ['level', false, { level: false }],
    ['level', 1, { level: true }],
    ['level', 0, { level: false }],
    ['level', '1', { level: true }],
    ['level', 2, { problem: 'msg.payload = 2: not a level: send true/false or 1/0' }],
    ['level', 'on', { problem: 'msg.payload = "on": not a level: send true/false or 1/0' }],
    ['increment', 3, { increment: 3 }],
    ['increment', '12', { increment: 12 }],
    ['increment', 0, { increment: 0 }],
    ['increment', -1, { problem: 'msg.payload = -1: not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', 1.5, { problem: 'msg.payload = 1.5: not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', true, { problem: 'msg.payload = true: not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', 1e21, { problem: 'msg.payload = 1e+21: not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', 1e308, { problem: 'msg.payload = 1e+308: not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', 'Infinity', { problem: 'msg.payload = "Infinity": not a pulse increment: send a whole number of new pulses, 0 or more' }],
    ['increment', 10_000, { increment: 10_000 }],
    ['increment', 10_001, { problem: 'msg.payload = 10001: more pulses than one message may carry (10000): check the sender, or raise "Largest increment"' }],
  ])('%s %j', (mode, payload, expected) => {
    expect(pulseFromPayload(mode as 'level' | 'increment', payload)).toEqual(expected);
  });

  it('takes its largest increment from the node', () => {
    expect(pulseFromPayload('increment', 60, 50)).toEqual({ problem: 'msg.payload = 60: more pulses than one message may carry (50): check the sender, or raise "Largest increment"' });
  });

  it('refuses a circular payload with a clear error, not a second exception', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(pulseFromPayload('increment', circular)).toEqual({ problem: 'msg.payload = {"self":[circular]}: not a pulse increment: send a whole number of new pulses, 0 or more' });
  });
});

describe('validatePulseSettings', () => {
  const good = { medium: 'gas_m3', pulsesPerUnit: 100, debounceMs: 20, messageMode: 'level', maxIncrement: 10_000 };
  it.each([
    [{ medium: 'oil' }, 'medium "oil" is not one of water_m3, water_l, gas_m3, electricity_kwh'],
    [{ pulsesPerUnit: 0 }, 'pulses per unit 0 must be above 0: the meter\'s plate says it, e.g. 1000 imp/kWh or 100 imp/m³'],
    [{ pulsesPerUnit: Number.NaN }, 'pulses per unit NaN must be above 0'],
    [{ debounceMs: -5 }, 'debounce -5 ms must be 0 or more'],
    [{ messageMode: 'edge' }, 'message input "edge" is not one of level, increment'],
    [{ maxIncrement: 0 }, 'largest increment 0 must be a whole number of pulses, 1 or more (10000 is usual)'],
    [{ maxIncrement: Number.POSITIVE_INFINITY }, 'largest increment Infinity must be a whole number of pulses'],
  ])('%j is refused', (override, message) => {
    expect(() => validatePulseSettings({ ...good, ...override })).toThrow(message);
  });
  it('accepts good settings', () => expect(() => validatePulseSettings(good)).not.toThrow());
});
