import { describe, expect, it } from 'vitest';
import { SLOT_MS } from '../../src/engine/planner';
import { loadPlanViews, planRequest, type PlanRequest } from '../../src/engine/planner-session';
import { PAST_MS, timelineView } from '../../src/sidebar';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T10:07:00Z');
const SLOT_NOW = Math.floor(NOW / SLOT_MS) * SLOT_MS;
const PAST = Date.parse('2026-06-01T09:00:00Z');

function request(): PlanRequest {
  const prices = Array.from({ length: 30 }, (_, i) => ({ startMs: PAST - HOUR + i * HOUR, endMs: PAST + i * HOUR, importEurPerKwh: i === 0 ? 0.25 : 0.3 + (i % 5) / 100 }));
  return {
    nowMs: NOW,
    timeZone: 'Europe/Berlin',
    horizonHours: 24,
    prices,
    tariff: [],
    exportEurPerKwh: 0.08,
    pvForecast: [],
    pvHistory: { samples: [{ startMs: PAST, powerW: 3000.4 }], stepMs: SLOT_MS },
    baseLoadHistory: { samples: [{ startMs: PAST, powerW: 499.6 }, { startMs: PAST - 3 * PAST_MS, powerW: 100 }], stepMs: SLOT_MS },
    site: {},
    battery: { capacityWh: 10_000, maxChargeW: 3000, maxDischargeW: 3000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: 50 },
    loads: [{ id: 'pump', name: 'Pool pump', power: { kind: 'on_off', powerW: 800 }, jobs: [{ id: 'daily', kind: 'runtime', runtimeMinutes: 60, interruptible: true, window: { kind: 'once', deadlineMs: NOW + 6 * HOUR } }] }],
    progress: {
      // Ran at 800 W for half of the 09:00 slot; another slot two days ago is older than the timeline.
      pump: { energy: [[PAST, 800 * (SLOT_MS / 2), SLOT_MS / 2], [PAST - 2 * PAST_MS, 800 * SLOT_MS, SLOT_MS], [PAST + SLOT_MS, 0, 0]], running: [], runningNow: false },
    },
    problems: [],
  };
}

function view() {
  const req = request();
  const { input, plan } = planRequest(req, {});
  if (!input || !plan) throw new Error('the test request must plan');
  return { view: timelineView({ plannerId: 'p1', name: 'Planner', siteKey: 'site1', request: req, input, plan, views: loadPlanViews(plan) }), input, plan };
}

describe('timelineView', () => {
  it('covers the last 24 h as measured, then the plan: one row per 15-minute slot', () => {
    const { view: v, input } = view();
    expect(v).toMatchObject({ plannerId: 'p1', name: 'Planner', siteKey: 'site1', timeZone: 'Europe/Berlin', nowMs: NOW, slotMs: SLOT_MS, planner: 'greedy' });
    expect(v.slots).toHaveLength(96 + input.slots.length);
    expect(v.slots[0].startMs).toBe(SLOT_NOW - PAST_MS);
    expect(v.slots[96].startMs).toBe(SLOT_NOW);
    expect(v.slots.slice(0, 96).every((s) => s.measured && s.socPct === null && s.gridW === null)).toBe(true);
    expect(v.slots.slice(96).every((s) => !s.measured)).toBe(true);
    for (let i = 1; i < v.slots.length; i += 1) expect(v.slots[i].startMs - v.slots[i - 1].startMs).toBe(SLOT_MS);
  });

  it('past slots hold what was measured and the price that was known; the rest are gaps', () => {
    const past = view().view.slots.find((s) => s.startMs === PAST)!;
    expect(past).toMatchObject({ pvW: 3000, houseW: 500, importEurPerKwh: 0.31 });
    const before = view().view.slots.find((s) => s.startMs === PAST - HOUR)!;
    expect(before).toMatchObject({ pvW: null, houseW: null, importEurPerKwh: 0.25 });
    expect(view().view.slots[0].importEurPerKwh).toBeNull();
  });

  it("future slots hold the planner's input and the planned battery and grid", () => {
    const { view: v, input, plan } = view();
    const first = v.slots[96];
    expect(first.importEurPerKwh).toBe(input.slots[0].importEurPerKwh);
    expect(first.houseW).toBe(Math.round(input.slots[0].baseLoadForecastW));
    expect(first.socPct).toBe(Math.round(plan.site[0].socPct! * 10) / 10);
    expect(first.gridW).toBe(Math.round(plan.site[0].gridW));
  });

  it("each planned load: its planned slots, its promise and the last 24 h's measured power", () => {
    const { view: v, plan } = view();
    expect(v.loads).toHaveLength(1);
    const pump = v.loads[0];
    expect(pump).toMatchObject({ id: 'pump', name: 'Pool pump', promise: 'kept' });
    expect(pump.planned.length).toBe(plan.loads[0].slots.filter((s) => s.powerW > 0).length);
    expect(pump.planned.reduce((sum, s) => sum + (s.endMs - s.startMs), 0)).toBe(HOUR);
    expect(pump.measured).toEqual([{ startMs: PAST, powerW: 800 }]);
  });
});
