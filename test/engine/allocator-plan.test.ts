/**
 * The real-time allocator follows the plan: a planned slot is a floor, the surplus still goes by
 * priority on top, and the user's word (mode off, an override) wins over the plan.
 */
import { describe, expect, it } from 'vitest';
import { validateLoadConfig } from '../../src/engine/allocator';
import { commandOf, evCharger, heater, onOff, simulate, stateOf } from './allocator-helpers';

const at = (atSeconds: number, exportW: number) => ({ atSeconds, exportW });
const planned = (powerW: number) => ({ powerW, reason: 'EV 20 kWh by 07:00, slot 02:00–02:15 at 0.08 €/kWh' });

describe('planned slots', () => {
  it('run a planned load from the grid when there is no surplus, and say why', () => {
    const { last } = simulate([onOff('boiler', { mode: 'surplus', powerW: 2000, planned: planned(2000) })], {}, [at(0, 0)]);
    expect([stateOf(commandOf(last, 'boiler')), commandOf(last, 'boiler').reason, commandOf(last, 'boiler').reasonCode]).toEqual([
      'on', 'on: planned, EV 20 kWh by 07:00, slot 02:00–02:15 at 0.08 €/kWh', 'planned',
    ]);
  });

  it('are a floor: a modulating load takes more when the surplus gives more', () => {
    const { last } = simulate([heater('rod', { mode: 'surplus', minPowerW: 500, maxPowerW: 3000, planned: planned(1000) })], {}, [at(0, 2600), at(60, 2600)]);
    expect(commandOf(last, 'rod').powerW).toBeGreaterThan(1000);
    expect(commandOf(last, 'rod').reason).not.toContain('planned');
  });

  it('keep their power before lower-priority loads get surplus', () => {
    const loads = [evCharger('ev', { priority: 2, mode: 'surplus', planned: planned(4140) }), onOff('pump', { priority: 1, powerW: 800 })];
    const { last } = simulate(loads, {}, [at(0, 2000), at(120, 2000)]);
    expect(stateOf(commandOf(last, 'ev'))).not.toBe('off');
    expect(commandOf(last, 'ev').reason).toContain('planned');
  });

  it('give way to mode off and to an override', () => {
    const off = simulate([onOff('boiler', { mode: 'off', powerW: 2000, planned: planned(2000) })], {}, [at(0, 0)]).last;
    expect(commandOf(off, 'boiler').reason).toBe('off: mode off');
    const overridden = simulate([onOff('boiler', { mode: 'surplus', powerW: 2000, planned: planned(2000), override: { on: false } })], {}, [at(0, 0)]).last;
    expect(commandOf(overridden, 'boiler').reason).toBe('override off, no expiry');
  });

  it('do not start a load inside its minimum off time', () => {
    const boiler = onOff('boiler', { mode: 'surplus', powerW: 2000, minOffSeconds: 600, enableDelaySeconds: 0, disableDelaySeconds: 0 });
    const withPlan = [{ ...boiler, planned: planned(2000) }];
    const run = simulate([boiler], {}, [at(0, 3000), at(60, 0), { ...at(120, 0), loads: withPlan }, { ...at(700, 0), loads: withPlan }]);
    expect(run.outputs.map((o) => stateOf(commandOf(o, 'boiler')))).toEqual(['on', 'off', 'off', 'on']);
    expect(commandOf(run.last, 'boiler').reason).toBe('on: planned, EV 20 kWh by 07:00, slot 02:00–02:15 at 0.08 €/kWh');
  });

  it('are checked: a negative planned power names the field', () => {
    expect(validateLoadConfig(onOff('boiler', { planned: { powerW: -5, reason: 'x' } })).map((e) => e.message)).toEqual([
      'planned.powerW = -5: must be a power in W, 0 or more (the planned slot)',
    ]);
  });
});
