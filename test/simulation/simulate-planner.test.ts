import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, type MilpSolver } from '../../src/engine/planner';
import { parseScenario, parseSeries, simulate } from '../../src/engine/simulation';
import { forecaster } from '../../src/engine/simulation/planner-input';
import { MIDDAY_EXPORT_HOURS, MORNING_EXPORT_HOURS, NEGATIVE_EXPORT_HOURS, NEGATIVE_IMPORT_HOURS, PLANNER_SCENARIO, PLANNER_SERIES, SURPLUS_SCENARIO, surplusSeries } from './fixtures';

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

function run(scenario: object = PLANNER_SCENARIO) {
  return simulate(parseScenario(scenario), parseSeries(PLANNER_SERIES), { keepIntervals: true, planning: { solver } });
}

const hourOf = (ms: number) => new Date(ms).getUTCHours();

describe('hems simulate with the planner', () => {
  it('meets the deadline that can be met and reports the one that cannot, with the plan’s reason', () => {
    const { kpis } = run();
    expect(kpis.strategy).toBe('planner');
    expect(kpis.loads.ev).toMatchObject({ deadlines_met: 1, deadlines_missed: 0 });
    expect(kpis.loads.boat).toMatchObject({ deadlines_met: 0, deadlines_missed: 2 });
    expect(kpis.missed_deadlines[0]).toEqual({
      load: 'boat',
      due: '2024-06-03T21:00:00.000Z',
      reason: expect.stringMatching(/^4\.0 of 30\.0 kWh by 21:00; the plan could not keep it: Boat: .* — only .* at 2\.0 kW$/),
    });
    expect(kpis.planning?.plans).toBeGreaterThan(1);
    expect(kpis.planning?.greedy_fallbacks).toBe(0);
  });

  it('moves the EV into the hours with a negative import price', () => {
    const { intervals } = run();
    const firstNight = intervals.filter((r) => r.startMs >= Date.parse('2024-06-03T18:00:00Z') && r.startMs < Date.parse('2024-06-04T07:00:00Z'));
    const cheapKwh = firstNight.filter((r) => NEGATIVE_IMPORT_HOURS.includes(hourOf(r.startMs))).reduce((sum, r) => sum + r.loadW.ev / 1000, 0);
    // 16 A on one phase for both cheap hours: 7.4 kWh of the 10.
    expect(cheapKwh).toBeGreaterThan(7);
  });

  it('curtails PV instead of exporting at a negative feed-in price', () => {
    const { kpis, intervals } = run({ ...PLANNER_SCENARIO, loads: [PLANNER_SCENARIO.loads[1]] });
    const negative = intervals.filter((r) => NEGATIVE_EXPORT_HOURS.includes(hourOf(r.startMs)));
    const positive = intervals.filter((r) => hourOf(r.startMs) === 10);
    for (const r of negative) expect(r.gridW).toBeGreaterThan(-100);
    for (const r of positive) expect(r.gridW).toBeLessThan(-4000);
    expect(kpis.curtailed_kwh).toBeGreaterThan(15);
  });
});

describe('the battery in hems simulate follows the plan (issue #14)', () => {
  // A 10 kWh battery, nearly empty at the start; only the boat, which cannot use the cheap night.
  const BATTERY = { capacity_kwh: 10, max_charge_w: 3000, max_discharge_w: 3000, efficiency: 0.9, min_soc_pct: 10, max_soc_pct: 100, initial_soc_pct: 12 };
  const withBattery = { ...PLANNER_SCENARIO, battery: BATTERY, loads: [PLANNER_SCENARIO.loads[1]] };

  it('charges from the grid in the hours with a negative import price, where the plan says so', () => {
    const { intervals } = run(withBattery);
    // The first night, under the plan made at the start (a battery that drifts 5 SoC points off its plan runs on its own until the next one).
    const cheap = intervals.filter((r) => r.startMs < Date.parse('2024-06-03T12:00:00Z') && NEGATIVE_IMPORT_HOURS.includes(hourOf(r.startMs)));
    for (const r of cheap) {
      expect(r.pvW).toBe(0);
      // Charging at the 3 kW it can while the grid covers it: the MILP's plan, carried out.
      expect(r.batteryW).toBeGreaterThan(2500);
      expect(r.gridW).toBeGreaterThan(2500);
    }
    const beforeCheap = intervals.find((r) => hourOf(r.startMs) === 1);
    const afterCheap = intervals.find((r) => hourOf(r.startMs) === 3);
    expect(afterCheap!.batterySocPct! - beforeCheap!.batterySocPct!).toBeGreaterThan(40);
  });

  it('costs less than the same plan with the battery left to itself', () => {
    const planned = run(withBattery).kpis;
    const selfConsumption = simulate(parseScenario({ ...withBattery, strategy: 'pv_surplus' }), parseSeries(PLANNER_SERIES), {}).kpis;
    expect(planned.cost_eur).toBeLessThan(selfConsumption.cost_eur - 0.3);
  });
});

describe('surplus against the plan in hems simulate (issue #14)', () => {
  const runSurplus = (flatExportEurPerKwh?: number) =>
    simulate(parseScenario(SURPLUS_SCENARIO), parseSeries(surplusSeries(flatExportEurPerKwh)), { keepIntervals: true, planning: { solver } });
  const kwhIn = (intervals: ReturnType<typeof runSurplus>['intervals'], hours: number[]) =>
    intervals.filter((r) => hours.includes(hourOf(r.startMs))).reduce((sum, r) => sum + r.loadW.heatpump / 1000, 0);

  it('leaves the morning surplus, worth 0.08 EUR/kWh exported, for the midday slots the plan pays 0.006 for', () => {
    const { kpis, intervals } = runSurplus();
    expect(kwhIn(intervals, MORNING_EXPORT_HOURS)).toBe(0);
    expect(kwhIn(intervals, MIDDAY_EXPORT_HOURS)).toBeCloseTo(4, 1);
    expect(kpis.loads.heatpump).toMatchObject({ deadlines_met: 1, deadlines_missed: 0 });
  });

  it('still takes the first free surplus when the feed-in price is flat', () => {
    const { kpis, intervals } = runSurplus(0.05);
    expect(kwhIn(intervals, MORNING_EXPORT_HOURS)).toBeGreaterThan(3.5);
    expect(kpis.loads.heatpump).toMatchObject({ deadlines_met: 1, deadlines_missed: 0 });
  });
});

describe('the persistence forecast of hems simulate', () => {
  it('is the one hems-planner uses: persistence of the measured days, scaled to the last two hours', () => {
    // Day 1 sunny (5 kW 09:00–17:00), day 2 at half that: at 12:00 on day 2 the next slot is forecast
    // at half, fading back to day 1's 5 kW over six hours.
    const rows = PLANNER_SERIES.split('\n').map((line, i) => {
      if (i === 0) return line;
      const cells = line.split(',');
      if (cells[0].startsWith('2024-06-04') && Number(cells[2]) > 0) cells[2] = '2500';
      return cells.join(',');
    });
    const series = parseSeries(rows.join('\n'), 'series.csv', 3_600_000);
    const forecast = forecaster('persistence', series);
    const noon = Date.parse('2024-06-04T12:00:00Z');
    const starts = [noon, noon + 3_600_000];
    const [now, inAnHour] = forecast(starts, [], noon).pvW;
    expect(now).toBe(2500);
    expect(inAnHour).toBeCloseTo(5000 * (1 - 0.5 * (5 / 6)), 6);
  });
});
