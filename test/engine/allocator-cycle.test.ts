/** Whole-cycle properties: all loads decided together, purity, serialisable memory. */
import { describe, expect, it } from 'vitest';
import { allocate, EMPTY_MEMORY, type AllocatorInput, type LoadConfig } from '../../src/engine/allocator';
import { commandOf, evCharger, heater, heatPump, onOff, simulate, stateOf, stepped, T0 } from './allocator-helpers';

const FLEET: LoadConfig[] = [
  onOff('pool-pump', { priority: 1, powerW: 1000 }),
  stepped('heating-rod', { priority: 2 }),
  evCharger('ev', { priority: 3 }),
  heater('infrared', { priority: 4 }),
  heatPump('heat-pump', { priority: 5, recommendThresholdW: 1000 }),
];

describe('a surplus step', () => {
  it('reaches commands for every affected load in the same cycle', () => {
    const { outputs } = simulate(FLEET, {}, [
      { atSeconds: 0, exportW: 0 },
      { atSeconds: 5, exportW: 20000 },
    ]);
    const stepCycle = outputs[1];
    if (stepCycle === undefined) throw new Error('missing cycle');
    const summary = stepCycle.commands.map((c) => [c.loadId, stateOf(c), c.changed, c.reason]);
    expect(summary).toEqual([
      ['pool-pump', 'on', true, 'on: surplus 20.0 kW ≥ 1.0 kW'],
      ['heating-rod', 'stage 3', true, 'stage 3 of 3: surplus 19.0 kW ≥ 6.0 kW'],
      ['ev', '16 A x 3 ph', true, '16 A × 3 ph (11.0 kW): surplus 13.0 kW ≥ 1.4 kW'],
      ['infrared', '1960 W', true, '2.0 kW: surplus 2.0 kW ≥ 0.5 kW'],
      ['heat-pump', 'normal', false, 'normal: surplus 0.0 kW < 1.0 kW'],
    ]);
  });

  it('starts every affected load’s enable delay in the same cycle', () => {
    const delayed = FLEET.map((load) => ({ ...load, enableDelaySeconds: 60 }));
    const { outputs } = simulate(delayed, {}, [
      { atSeconds: 0, exportW: 0 },
      { atSeconds: 5, exportW: 20000 },
      { atSeconds: 65, exportW: 20000 },
    ]);
    const [, pending, started] = outputs;
    if (pending === undefined || started === undefined) throw new Error('missing cycle');
    // The heat pump is last in line and every watt is reserved for the loads ahead of it.
    expect(pending.commands.map((c) => c.reasonCode)).toEqual(['pendingUp', 'pendingUp', 'pendingUp', 'pendingUp', 'belowStart']);
    expect(started.commands.map((c) => [c.loadId, stateOf(c)])).toEqual([
      ['pool-pump', 'on'],
      ['heating-rod', 'stage 3'],
      ['ev', '16 A x 3 ph'],
      ['infrared', '1960 W'],
      ['heat-pump', 'normal'],
    ]);
  });
});

describe('purity', () => {
  const input: AllocatorInput = {
    nowMs: T0,
    site: {
      readingsTimestampMs: T0,
      gridPowerW: -6000,
      pvPowerW: 8000,
      loads: { 'pool-pump': { powerW: 0, on: false }, ev: { powerW: 0, on: false } },
    },
    loads: [onOff('pool-pump', { enableDelaySeconds: 30 }), evCharger('ev', { priority: 2 })],
    memory: EMPTY_MEMORY,
    settings: { marginW: 100 },
  };

  it('gives the same output for the same input and leaves the input untouched', () => {
    const before = JSON.stringify(input);
    const first = allocate(input);
    const second = allocate(input);
    expect(second).toEqual(first);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('works the same from memory that went through JSON', () => {
    const first = allocate(input);
    const later = { ...input, nowMs: T0 + 30_000, site: { ...input.site, readingsTimestampMs: T0 + 30_000 } };
    const direct = allocate({ ...later, memory: first.memory });
    const roundTripped = allocate({ ...later, memory: JSON.parse(JSON.stringify(first.memory)) });
    expect(roundTripped).toEqual(direct);
    expect(commandOf(direct, 'pool-pump').reason).toBe('on: surplus 5.9 kW ≥ 2.0 kW for 30 s');
  });
});
