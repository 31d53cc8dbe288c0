/** What a kWh of flexible load costs a plan in each slot: the yardstick surplus now is weighed against. */
import { describe, expect, it } from 'vitest';
import { marginalCostsEurPerKwh, SLOT_MS, type Plan, type PlannerInput } from '../../src/engine/planner';

const T0 = Date.parse('2026-06-01T00:00:00Z');

describe('the marginal cost of a planned slot', () => {
  it('is the import price where the plan imports, the feed-in price where it exports or fills the battery from PV, nothing where it curtails', () => {
    const flows = [
      { gridW: 1500, batteryW: 0, pvCurtailedW: 0 },
      { gridW: -2000, batteryW: 0, pvCurtailedW: 0 },
      { gridW: 0, batteryW: 1200, pvCurtailedW: 0 },
      { gridW: -5000, batteryW: 0, pvCurtailedW: 800 },
      { gridW: 500, batteryW: 0, pvCurtailedW: 0 },
    ];
    const input = {
      slots: flows.map((_, i) => ({ startMs: T0 + i * SLOT_MS, importEurPerKwh: i === 4 ? null : 0.3, exportEurPerKwh: 0.006, pvForecastW: 0, baseLoadForecastW: 0 })),
    } as unknown as PlannerInput;
    const plan = { site: flows.map((f, i) => ({ ...f, startMs: T0 + i * SLOT_MS, socPct: null, pvUsedW: 0 })) } as unknown as Plan;
    expect([...marginalCostsEurPerKwh(plan, input).values()]).toEqual([0.3, 0.006, 0.006, 0, null]);
  });
});
