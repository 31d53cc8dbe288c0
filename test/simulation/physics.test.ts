import { describe, expect, it } from 'vitest';
import { batteryPowerW, commandedBatteryPowerW, socAfter } from '../../src/engine/simulation/battery';
import { demandModel, parseDemand, type DemandSpec, type DemandState } from '../../src/engine/simulation/demand';
import { parseScenario, parseSeries, simulate } from '../../src/engine/simulation';

const T0 = Date.parse('2024-06-03T00:00:00Z'); // a Monday
const MIN = 60_000;
const HOUR = 60 * MIN;

function demand(raw: unknown): DemandSpec {
  const problems: string[] = [];
  const spec = parseDemand(raw, 'demand', problems);
  expect(problems).toEqual([]);
  return spec!;
}

/** Runs a demand model for `minutes`, drawing `drawW` whenever it wants power. */
function run(spec: DemandSpec, minutes: number, drawW: (atMs: number) => number, startMs = T0): DemandState {
  const model = demandModel(spec);
  let state = model.initial(spec);
  for (let m = 0; m < minutes; m += 1) {
    const atMs = startMs + m * MIN;
    state = model.advance(spec, state, atMs, atMs + MIN);
    const powerW = Math.min(drawW(atMs), model.maxDrawW(spec, state, 60));
    state = model.consume(spec, state, powerW, 60);
  }
  return state;
}

describe('EV sessions', () => {
  const ev = demand({ type: 'ev_sessions', sessions: [{ days: ['mon'], arrive: '17:00', depart: '07:00', energy_kwh: 10 }] });

  it('meets the deadline when the energy is delivered before departure', () => {
    const state = run(ev, 32 * 60, () => 3700);
    expect(state).toMatchObject({ met: 1, missed: 0 });
  });

  it('misses it when charging is too slow, and takes no power while the car is away', () => {
    expect(run(ev, 32 * 60, () => 500)).toMatchObject({ met: 0, missed: 1 });
    const model = demandModel(ev);
    const away = model.advance(ev, model.initial(ev), T0 + 12 * HOUR, T0 + 12 * HOUR + MIN);
    expect(model.maxDrawW(ev, away, 60)).toBe(0);
  });

  it('caps the draw at what the battery still needs, so a full car draws nothing', () => {
    const model = demandModel(ev);
    let state = model.advance(ev, model.initial(ev), T0 + 17 * HOUR, T0 + 17 * HOUR + MIN);
    state = { ...state, job: { ...state.job!, remainingKwh: 0.05 } };
    expect(model.maxDrawW(ev, state, 60)).toBeCloseTo(3000, 6);
  });
});

describe('hot-water tank', () => {
  const tank = demand({ type: 'hot_water_tank', capacity_kwh: 4, initial_pct: 50, loss_kwh_per_day: 0, reheat_below_pct: 80, draws: [{ at: '07:00', kwh: 3 }] });

  it('a draw the tank cannot cover is a missed deadline; one it can is met', () => {
    expect(run(tank, 8 * 60, () => 0)).toMatchObject({ met: 0, missed: 1, storedKwh: 0 });
    expect(run(tank, 8 * 60, () => 2000)).toMatchObject({ met: 1, missed: 0 });
  });

  it('heats from below the reheat level until full, then stops (thermostat hysteresis)', () => {
    const model = demandModel(tank);
    let state = model.advance(tank, model.initial(tank), T0, T0 + MIN);
    expect(state.heating).toBe(true);
    state = model.consume(tank, { ...state, storedKwh: 3.5 }, 0, 60);
    state = model.advance(tank, state, T0 + MIN, T0 + 2 * MIN);
    expect(state.heating).toBe(true);
    state = model.consume(tank, state, 30_000, 60);
    expect(state.storedKwh).toBe(4);
    state = model.advance(tank, state, T0 + 2 * MIN, T0 + 3 * MIN);
    expect(state.heating).toBe(false);
    expect(model.maxDrawW(tank, state, 60)).toBe(0);
  });
});

describe('daily runtime', () => {
  const pump = demand({ type: 'daily_runtime', hours: 2, from: '08:00', by: '12:00' });

  it('counts the day met when it ran long enough inside the window, missed otherwise', () => {
    expect(run(pump, 13 * 60, () => 800)).toMatchObject({ met: 1, missed: 0, runSeconds: 7200 });
    expect(run(pump, 13 * 60, (t) => (t >= T0 + 11 * HOUR ? 800 : 0))).toMatchObject({ met: 0, missed: 1 });
  });
});

describe('battery', () => {
  const spec = { capacityKwh: 10, maxChargeW: 5000, maxDischargeW: 4000, efficiency: 0.81, minSocPct: 10, maxSocPct: 90, initialSocPct: 50 };

  it('charges from surplus and discharges for deficits within its power limits', () => {
    expect(batteryPowerW(spec, 50, 2000, 60)).toBe(2000);
    expect(batteryPowerW(spec, 50, 9000, 60)).toBe(5000);
    expect(batteryPowerW(spec, 50, -6000, 60)).toBe(-4000);
  });

  it('stops at its state-of-charge limits and loses energy both ways', () => {
    expect(batteryPowerW(spec, 90, 2000, 60)).toBe(0);
    expect(batteryPowerW(spec, 10, -2000, 60)).toBe(-0);
    // 1 kWh in at 90 % one-way efficiency stores 0.9 kWh = 9 % of 10 kWh.
    expect(socAfter(spec, 50, 1000, 3600)).toBeCloseTo(59, 6);
    expect(socAfter(spec, 50, -900, 3600)).toBeCloseTo(40, 6);
  });

  it('does what the mode it is told says: hold, charge from the grid, a discharge cap', () => {
    const told = (mode: 'self_consumption' | 'hold' | 'charge' | 'discharge', powerW: number, surplusW: number, socPct = 50) =>
      commandedBatteryPowerW(spec, socPct, surplusW, { mode, powerW }, 60);
    expect(told('self_consumption', 0, -3000)).toBe(-3000);
    // Hold: no discharge into a deficit, PV surplus still charges it.
    expect(told('hold', 0, -3000)).toBe(0);
    expect(told('hold', 0, 2000)).toBe(2000);
    // Charge at the commanded power with no surplus (the grid pays for it), within its limits.
    expect(told('charge', 3000, -500)).toBe(3000);
    expect(told('charge', 3000, 4500)).toBe(4500);
    expect(told('charge', 3000, 0, 90)).toBe(0);
    // Discharge capped below what the deficit asks; surplus still charges it.
    expect(told('discharge', 1200, -3000)).toBe(-1200);
    expect(told('discharge', 1200, -800)).toBe(-800);
    expect(told('discharge', 1200, 2000)).toBe(2000);
  });
});

describe('simulate', () => {
  const csv = (rows: string[]) => ['timestamp,base_load_w,pv_w', ...rows].join('\n');
  const day = Array.from({ length: 24 }, (_, h) => `2024-06-03T${String(h).padStart(2, '0')}:00:00Z,500,${h >= 10 && h < 16 ? 4000 : 0}`);

  it('without loads or battery, import and export are the base load and PV', () => {
    const { kpis } = simulate(parseScenario({ loads: [], prices: { import_eur_per_kwh: 0.3, export_eur_per_kwh: 0.1 } }), parseSeries(csv(day)));
    expect(kpis).toMatchObject({ days: 1, import_kwh: 9, export_kwh: 21, pv_kwh: 24, self_consumption_pct: 12.5, self_sufficiency_pct: 25, peak_import_w: 500 });
    expect(kpis.cost_eur).toBeCloseTo(9 * 0.3 - 21 * 0.1, 6);
  });

  it('a surplus load runs on PV only; under no_control it runs at once and imports', () => {
    const heater = { id: 'rod', kind: 'on_off', power_w: 2000, priority: 1, mode: 'surplus', enable_delay_s: 60, disable_delay_s: 60, demand: { type: 'daily_runtime', hours: 3, from: '00:00', by: '23:00' } };
    const surplus = simulate(parseScenario({ loads: [heater] }), parseSeries(csv(day))).kpis;
    const baseline = simulate(parseScenario({ loads: [heater], strategy: 'no_control' }), parseSeries(csv(day))).kpis;
    expect(surplus.import_kwh).toBeCloseTo(9, 1);
    expect(surplus.loads.rod).toMatchObject({ energy_kwh: 6, deadlines_met: 1, switches: 2 });
    expect(baseline.import_kwh).toBeCloseTo(9 + 6, 1);
    expect(baseline.peak_import_w).toBe(2500);
  });

  it('curtails the inverter to the export limit', () => {
    const scenario = parseScenario({ loads: [], site: { export_limit_w: 1000, pv_peak_w: 5000 } });
    const { kpis } = simulate(scenario, parseSeries(csv(day)));
    expect(kpis.export_kwh).toBeLessThan(6 * 1.0 + 0.5);
    expect(kpis.curtailed_kwh).toBeGreaterThan(10);
  });
});
