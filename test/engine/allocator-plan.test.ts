/**
 * The real-time allocator follows the plan: a planned slot is a floor, the surplus still goes by
 * priority on top, and the user's word (mode off, an override) wins over the plan.
 */
import { describe, expect, it } from 'vitest';
import { validateLoadConfig } from '../../src/engine/allocator';
import { commandOf, evCharger, heater, heatPump, hold, onOff, simulate, stateOf } from './allocator-helpers';

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

/**
 * The case of issue #14: early-morning surplus earns 0.07–0.09 EUR/kWh exported, while the plan has
 * the heat pump at midday on PV worth 0.006 EUR/kWh at export. Running on the early surplus would
 * give up 0.08 to save 0.006.
 */
describe('surplus against the plan', () => {
  const later = { eurPerKwh: 0.006, slot: '11:00–11:15' };
  const exporting = (eurPerKwh: number, fromSeconds = 0, toSeconds = 120) =>
    hold(3000, fromSeconds, toSeconds).map((step) => ({ ...step, site: { exportPriceEurPerKwh: eurPerKwh } }));
  const pump = (fields = {}) => onOff('heatpump', { powerW: 2000, mode: 'surplus', plannedLater: later, ...fields });

  it('keeps surplus for export when it earns more now than the plan pays for that energy later, and says so', () => {
    const { last } = simulate([pump()], {}, exporting(0.08));
    expect([stateOf(commandOf(last, 'heatpump')), commandOf(last, 'heatpump').reason, commandOf(last, 'heatpump').reasonCode]).toEqual([
      'off',
      'off: surplus earns 0.080 €/kWh exported now > 0.006 €/kWh planned 11:00–11:15',
      'surplusWorthMoreExported',
    ]);
  });

  it('reserves none of that surplus, so a load without a plan gets it', () => {
    const loads = [pump({ priority: 1 }), onOff('boiler', { priority: 2, powerW: 2000 })];
    const { last } = simulate(loads, {}, exporting(0.08));
    expect([stateOf(commandOf(last, 'heatpump')), stateOf(commandOf(last, 'boiler'))]).toEqual(['off', 'on']);
  });

  it('still takes surplus that earns no more exported: a flat feed-in price, or PV the plan would also use', () => {
    const flat = simulate([pump({ plannedLater: { eurPerKwh: 0.08, slot: '11:00–11:15' } })], {}, exporting(0.08)).last;
    expect([stateOf(commandOf(flat, 'heatpump')), commandOf(flat, 'heatpump').reason]).toEqual(['on', 'on: surplus 3.0 kW ≥ 2.0 kW']);
    const dearLater = simulate([pump({ plannedLater: { eurPerKwh: 0.3, slot: '19:00–19:15' } })], {}, exporting(0.08)).last;
    expect(stateOf(commandOf(dearLater, 'heatpump'))).toBe('on');
  });

  it('counts surplus as free when no feed-in price is known or the inverter is curtailed', () => {
    const unknown = simulate([pump()], {}, hold(3000, 0, 120)).last;
    expect(stateOf(commandOf(unknown, 'heatpump'))).toBe('on');
    const curtailed = simulate([pump()], { exportLimitW: 1000, pvPeakW: 10_000 }, exporting(0.08)).last;
    expect(stateOf(commandOf(curtailed, 'heatpump'))).toBe('on');
  });

  it('stops a load already running on surplus once the surplus earns more exported, after its minimum on-time', () => {
    const loads = [pump({ plannedLater: undefined, minOnSeconds: 600 })];
    const steps = [...hold(3000, 0, 120), ...exporting(0.08, 125, 125), ...exporting(0.08, 700, 700)];
    const withLater = (step: (typeof steps)[number]) => (step.atSeconds >= 125 ? { ...step, loads: [pump({ minOnSeconds: 600 })] } : step);
    const run = simulate(loads, {}, steps.map(withLater));
    const [held, stopped] = run.outputs.slice(-2).map((o) => commandOf(o, 'heatpump'));
    expect([stateOf(held), held.reason]).toEqual(['on', 'held on: min on-time, 8 min left']);
    expect([stateOf(stopped), stopped.reason]).toEqual(['off', 'off: surplus earns 0.080 €/kWh exported now > 0.006 €/kWh planned 11:00–11:15']);
  });

  it('keeps a planned slot now, without surplus on top; a min+surplus load keeps its minimum', () => {
    const rod = heater('rod', { mode: 'surplus', minPowerW: 500, maxPowerW: 3000, planned: planned(1000), plannedLater: later });
    expect(commandOf(simulate([rod], {}, exporting(0.08)).last, 'rod').powerW).toBe(1000);
    const ev = evCharger('ev', { mode: 'min_surplus', plannedLater: later });
    const { last } = simulate([ev], {}, exporting(0.08));
    expect([commandOf(last, 'ev').powerW, commandOf(last, 'ev').reasonCode]).toEqual([1380, 'surplusWorthMoreExported']);
  });

  it('leaves an SG Ready pump forced on by a low grid price alone', () => {
    const steps = exporting(0.08).map((step) => ({ ...step, site: { ...step.site, gridPriceEurPerKwh: -0.01 } }));
    const { last } = simulate([heatPump('hp', { plannedLater: later })], {}, steps);
    expect(commandOf(last, 'hp').reasonCode).toBe('priceForceOn');
  });

  it('are checked: a planned-later price that is no number names the field', () => {
    expect(validateLoadConfig(onOff('boiler', { plannedLater: { eurPerKwh: Number.NaN, slot: 'x' } })).map((e) => e.message)).toEqual([
      'plannedLater.eurPerKwh = NaN: must be a price in EUR/kWh (the dearest slot planned later)',
    ]);
  });
});
