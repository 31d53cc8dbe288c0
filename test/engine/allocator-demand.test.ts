/**
 * A load without demand (an EV unplugged or full) is off and holds back no surplus, whatever its
 * mode or override; the site decision names the feed-in limit at the grid point.
 */
import { describe, expect, it } from 'vitest';
import { validateLoadConfig } from '../../src/engine/allocator';
import { commandOf, evCharger, onOff, simulate, stateOf } from './allocator-helpers';

const at = (atSeconds: number, exportW: number) => ({ atSeconds, exportW });

describe('no demand', () => {
  it('an unplugged high-priority EV leaves the surplus to the next load', () => {
    const loads = [evCharger('ev', { priority: 1, mode: 'min_surplus', demand: false }), onOff('rod', { priority: 2, powerW: 2000 })];
    const { last } = simulate(loads, {}, [at(0, 3000)]);
    expect([stateOf(commandOf(last, 'ev')), commandOf(last, 'ev').reason, commandOf(last, 'ev').reasonCode]).toEqual(['off', 'off: no demand (unplugged or satisfied)', 'noDemand']);
    expect([stateOf(commandOf(last, 'rod')), commandOf(last, 'rod').reason]).toEqual(['on', 'on: surplus 3.0 kW ≥ 2.0 kW']);
  });

  it('with demand the same EV takes the surplus first', () => {
    const loads = [evCharger('ev', { priority: 1, mode: 'surplus', demand: true }), onOff('rod', { priority: 2, powerW: 2000 })];
    const { last } = simulate(loads, {}, [at(0, 3000)]);
    expect(stateOf(commandOf(last, 'ev'))).not.toBe('off');
    expect(commandOf(last, 'rod').reason).toMatch(/^waiting: surplus 0\.\d kW < 2\.0 kW/);
  });

  it('beats an override and mode on', () => {
    const { last } = simulate([onOff('rod', { mode: 'on', override: { on: true }, demand: false })], {}, [at(0, 0)]);
    expect(commandOf(last, 'rod').reason).toBe('off: no demand (unplugged or satisfied)');
  });

  it('is checked as a boolean', () => {
    expect(validateLoadConfig(onOff('rod', { demand: 'no' as unknown as boolean })).map((e) => e.message)).toEqual([
      'demand = "no": must be true (the load can take power) or false (unplugged or satisfied)',
    ]);
  });
});

describe('site.maxExportW', () => {
  it.each([
    [{}, null],
    [{ exportLimitW: 1000, pvPeakW: 10_000 }, 1000],
    [{ exportLimitPctOfPvPeak: 70, pvPeakW: 10_000 }, 7000],
    [{ exportLimitW: 9000, exportLimitPctOfPvPeak: 70, pvPeakW: 10_000 }, 7000],
  ])('%j → %s, curtailing or not', (settings, maxExportW) => {
    const { last } = simulate([], settings, [at(0, 500)]);
    expect(last.site.maxExportW).toBe(maxExportW);
  });
});
