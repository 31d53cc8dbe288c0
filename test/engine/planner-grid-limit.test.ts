/**
 * No plan above the grid connection limit: whatever the prices and the base load, as long as the
 * base load alone fits under the limit, neither the MILP nor the greedy plan draws more in any
 * slot, with an EV, a heater, a stepped rod and a battery that may charge from the grid all wanting
 * the cheap slots at once.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, plan, planGreedy, type MilpSolver, type PlannerInput, type PlannerLoad } from '../../src/engine/planner';
import { plannerSiteOf } from '../../src/engine/planner-session/site-limits';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const SLOT = 15 * 60_000;
const SLOTS = 32;
const CAP_W = 11_000;

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

const byDeadline = { kind: 'once' as const, deadlineMs: T0 + SLOTS * SLOT };
const LOADS: PlannerLoad[] = [
  { id: 'ev', power: { kind: 'modulating', minPowerW: 1400, maxPowerW: 11_000 }, jobs: [{ id: 'ev', kind: 'energy', energyWh: 30_000, window: byDeadline }] },
  { id: 'heater', power: { kind: 'on_off', powerW: 3000 }, jobs: [{ id: 'heat', kind: 'runtime', runtimeMinutes: 180, interruptible: true, window: byDeadline }] },
  { id: 'rod', power: { kind: 'stepped', stagePowersW: [2000, 2000] }, jobs: [{ id: 'rod', kind: 'energy', energyWh: 6000, upToWh: 12_000, window: byDeadline }] },
];

const site = fc.record({
  importPrices: fc.array(fc.double({ min: -0.1, max: 0.5, noNaN: true }), { minLength: SLOTS, maxLength: SLOTS }),
  baseLoadW: fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: SLOTS, maxLength: SLOTS }),
  socPct: fc.integer({ min: 0, max: 100 }),
});

function inputOf(s: { importPrices: number[]; baseLoadW: number[]; socPct: number }): PlannerInput {
  return {
    nowMs: T0,
    timeZone: 'UTC',
    slots: s.importPrices.map((price, t) => ({ startMs: T0 + t * SLOT, importEurPerKwh: price, exportEurPerKwh: 0, pvForecastW: 0, baseLoadForecastW: s.baseLoadW[t] })),
    site: { importCapW: CAP_W },
    battery: { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: s.socPct },
    loads: LOADS,
  };
}

describe('no plan above the grid connection limit', { timeout: 120_000 }, () => {
  it('the MILP and the greedy plan stay under the import cap in every slot', () => {
    fc.assert(
      fc.property(site, (s) => {
        const input = inputOf(s);
        for (const made of [plan(input, { solver }), planGreedy(input)]) {
          const overW = Math.max(...made.site.map((slot) => slot.gridW)) - CAP_W;
          expect(overW, `${made.planner} plan`).toBeLessThanOrEqual(1e-6);
        }
      }),
      { numRuns: 8, seed: 14 },
    );
  });

  it('is the import cap, or the main fuse on three phases when that is stricter or the only limit', () => {
    expect(plannerSiteOf({ importCapW: 11_000, fuseLimitA: 25 })).toEqual({ importCapW: 11_000 });
    expect(plannerSiteOf({ importCapW: 20_000, fuseLimitA: 25 })).toEqual({ importCapW: 17_250 });
    expect(plannerSiteOf({ fuseLimitA: 32, phaseVoltageV: 220 })).toEqual({ importCapW: 21_120 });
    expect(plannerSiteOf({ exportLimitW: 4000 })).toEqual({ exportLimitW: 4000 });
  });
});
