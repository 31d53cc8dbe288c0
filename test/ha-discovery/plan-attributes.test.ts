/** The plan in HA: the plan sensor's attributes, their documented shape and HA's size limit. */
import { describe, expect, it } from 'vitest';
import { planGreedy, type PlannerInput, type PlannerLoad } from '../../src/engine/planner';
import { PLAN_ATTRIBUTES_MAX_BYTES, planAttributes } from '../../src/ha-discovery/plan-attributes';
import { checkAttributes, RECORDER_MAX_ATTRIBUTES_BYTES } from '../ha-conformance/checker';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const SLOT = 15 * 60_000;

const cents = (eur: number) => Math.round(eur * 100) / 100;

const heater = (id: string, runtimeMinutes: number, deadlineSlots: number): PlannerLoad => ({
  id,
  power: { kind: 'on_off', powerW: 2000 },
  jobs: [{ id: 'job', kind: 'runtime', runtimeMinutes, interruptible: true, window: { kind: 'once', deadlineMs: T0 + deadlineSlots * SLOT, earliestStartMs: T0 } }],
});

function input(slotCount: number, loads: PlannerLoad[], more: Partial<PlannerInput> = {}): PlannerInput {
  return {
    nowMs: T0,
    timeZone: 'UTC',
    slots: Array.from({ length: slotCount }, (_, t) => ({
      startMs: T0 + t * SLOT,
      importEurPerKwh: t === 1 ? null : 0.3 - t * 0.01234,
      exportEurPerKwh: 0,
      pvForecastW: t * 1000.4,
      baseLoadForecastW: 300,
    })),
    site: {},
    loads,
    ...more,
  };
}

describe('plan attributes for Home Assistant', () => {
  it('hold one column per series over the horizon, times in ISO UTC', () => {
    const i = input(4, [heater('boiler', 15, 4)]);
    const p = planGreedy(i);
    expect(planAttributes(p, i, T0 + 5000)).toEqual({
      shape: 1,
      planned_at: '2026-03-02T00:00:05.000Z',
      planner: 'greedy',
      solver: 'greedy',
      fallback_reason: null,
      solve_ms: Math.round(p.solveMs),
      cost_eur: { import: cents(p.cost.importEur), export: 0, demand_charge: 0, wear: 0, total: cents(p.cost.totalEur) },
      slot_minutes: 15,
      start: ['2026-03-02T00:00:00Z', '2026-03-02T00:15:00Z', '2026-03-02T00:30:00Z', '2026-03-02T00:45:00Z'],
      price_eur_per_kwh: [0.3, null, 0.2753, 0.263],
      pv_forecast_w: [0, 1000, 2001, 3001],
      load_w: { boiler: [0, 0, 0, 2000] },
      slots_omitted: 0,
    });
  });

  it('give the battery state of charge when the plan has a battery', () => {
    const battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 1, minSocPct: 10, maxSocPct: 100, socPct: 50 };
    const i = input(3, [], { battery });
    const attributes = planAttributes(planGreedy(i), i, T0);
    // PV 0, 1000, 2001 W against a base load of 300 W: the battery covers 75 Wh, then takes 175 Wh and 425 Wh.
    expect(attributes.battery_soc_pct).toEqual([49.3, 51, 55.3]);
  });

  it('stay below the recorder limit: a 48-hour plan with many loads loses slots at its end, and says how many', () => {
    const loads = Array.from({ length: 40 }, (_, k) => heater(`load_${k}`, 600, 192));
    const i = input(192, loads);
    const attributes = planAttributes(planGreedy(i), i, T0);
    const bytes = new TextEncoder().encode(JSON.stringify(attributes)).length;
    expect(bytes).toBeLessThanOrEqual(PLAN_ATTRIBUTES_MAX_BYTES);
    expect(PLAN_ATTRIBUTES_MAX_BYTES).toBeLessThan(RECORDER_MAX_ATTRIBUTES_BYTES);
    expect(attributes.slots_omitted).toBeGreaterThan(0);
    expect(attributes.start.length + attributes.slots_omitted).toBe(192);
    for (const column of Object.values(attributes.load_w)) expect(column.length).toBe(attributes.start.length);
    // As many slots as fit: one more would not.
    const oneMore = planAttributes(planGreedy(i), i, T0, bytes + 1);
    expect(oneMore.start.length).toBe(attributes.start.length);
  });

  it('keep a 48-hour plan of a household (three loads and a battery) whole', () => {
    const battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: 50 };
    const i = input(192, [heater('boiler', 120, 96), heater('pool', 360, 192), heater('ev', 240, 192)], { battery });
    expect(planAttributes(planGreedy(i), i, T0).slots_omitted).toBe(0);
  });

  it('pass the conformance checker: no key Home Assistant ignores, small enough to be recorded', () => {
    const battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: 50 };
    const i = input(192, [heater('boiler', 120, 96), heater('pool', 360, 192)], { battery });
    expect(checkAttributes(JSON.stringify(planAttributes(planGreedy(i), i, T0)))).toEqual([]);
  });
});
