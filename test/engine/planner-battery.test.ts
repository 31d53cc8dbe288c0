/**
 * The battery as a decision of the MILP planner, on small cases whose optimum is known by hand:
 * when to charge from the grid, when the grid may not charge it, targets, end value, losses, wear.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighsSolver, plan, validatePlannerInput, type MilpSolver, type Plan, type PlannerBattery, type PlannerInput, type PlannerSlot } from '../../src/engine/planner';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const SLOT = 15 * 60_000;

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

interface SlotSpec {
  importEurPerKwh: number;
  exportEurPerKwh?: number;
  pvW?: number;
  baseW?: number;
}

function slots(specs: SlotSpec[]): PlannerSlot[] {
  return specs.map((s, t) => ({ startMs: T0 + t * SLOT, importEurPerKwh: s.importEurPerKwh, exportEurPerKwh: s.exportEurPerKwh ?? 0, pvForecastW: s.pvW ?? 0, baseLoadForecastW: s.baseW ?? 0 }));
}

const repeat = (count: number, spec: SlotSpec): SlotSpec[] => new Array<SlotSpec>(count).fill(spec);

/** 4 kWh, 4 kW both ways, lossless, empty, nothing left over is worth anything: the cases say what differs. */
function battery(more: Partial<PlannerBattery> = {}): PlannerBattery {
  return { capacityWh: 4000, maxChargeW: 4000, maxDischargeW: 4000, roundTripEfficiency: 1, minSocPct: 0, maxSocPct: 100, socPct: 0, endValueEurPerKwh: 0, ...more };
}

function planWith(slotSpecs: SlotSpec[], batterySettings: PlannerBattery): Plan {
  const input: PlannerInput = { nowMs: T0, timeZone: 'UTC', slots: slots(slotSpecs), site: {}, battery: batterySettings, loads: [] };
  expect(validatePlannerInput(input)).toEqual([]);
  return plan(input, { solver });
}

const chargedKwh = (p: Plan): number => p.site.reduce((sum, s) => sum + Math.max(0, s.batteryW) / 4000, 0);
/** Energy into the battery in slots that import: charging the PV surplus does not cover. */
const gridChargedKwh = (p: Plan): number => p.site.reduce((sum, s) => sum + (s.gridW > 1e-6 ? Math.min(s.gridW, Math.max(0, s.batteryW)) / 4000 : 0), 0);
const maxSoc = (p: Plan): number => Math.max(...p.site.map((s) => s.socPct ?? 0));

/** Cheap night (4 slots at 0.10), expensive evening (4 slots at 0.40, house 4 kW). */
const NIGHT_THEN_EVENING: SlotSpec[] = [...repeat(4, { importEurPerKwh: 0.1 }), ...repeat(4, { importEurPerKwh: 0.4, baseW: 4000 })];

/** Midday PV 3 kW over a 1 kW house at 0.10, no export pay; then 4 slots of 4 kW house at 0.50. */
const PV_THEN_EVENING: SlotSpec[] = [...repeat(4, { importEurPerKwh: 0.1, pvW: 3000, baseW: 1000 }), ...repeat(4, { importEurPerKwh: 0.5, baseW: 4000 })];

describe('MILP planner: the battery', () => {
  it('charges from the grid in the cheap night and covers the expensive evening', () => {
    const p = planWith(NIGHT_THEN_EVENING, battery());
    expect(gridChargedKwh(p)).toBeCloseTo(4, 3);
    expect(p.site.slice(4).map((s) => Math.round(s.gridW))).toEqual([0, 0, 0, 0]);
    expect(p.cost.totalEur).toBeCloseTo(0.4, 4);
  });

  it('a hold-only battery never charges from the grid, even where the grid is cheap', () => {
    const p = planWith(NIGHT_THEN_EVENING, battery({ holdOnly: true }));
    expect(chargedKwh(p)).toBeCloseTo(0, 6);
  });

  it('a hold-only battery charges only the PV surplus, with no import while it charges', () => {
    const free = planWith(PV_THEN_EVENING, battery({ maxChargeW: 5000 }));
    expect(chargedKwh(free)).toBeCloseTo(4, 3);
    expect(gridChargedKwh(free)).toBeGreaterThan(0.5);
    const held = planWith(PV_THEN_EVENING, battery({ maxChargeW: 5000, holdOnly: true }));
    expect(gridChargedKwh(held)).toBeCloseTo(0, 6);
    expect(chargedKwh(held)).toBeCloseTo(2, 3);
    for (const s of held.site.slice(0, 4)) expect(s.gridW).toBeLessThanOrEqual(1e-6);
  });

  it('charges from the grid only up to gridChargeMaxSocPct; PV may fill it further', () => {
    const capped = planWith(NIGHT_THEN_EVENING, battery({ gridChargeMaxSocPct: 50 }));
    expect(maxSoc(capped)).toBeCloseTo(50, 3);
    expect(gridChargedKwh(capped)).toBeCloseTo(2, 3);
    const withPv = planWith(
      [...repeat(4, { importEurPerKwh: 0.1 }), ...repeat(2, { importEurPerKwh: 0.3, pvW: 5000, baseW: 1000 }), ...repeat(4, { importEurPerKwh: 0.5, baseW: 4000 })],
      battery({ gridChargeMaxSocPct: 50 }),
    );
    expect(maxSoc(withPv)).toBeCloseTo(100, 3);
    // The grid charged it to 50 % at night, PV the rest: importing slots never end above the cap.
    for (const s of withPv.site) if (s.batteryW > 1e-6 && s.gridW > 1e-6) expect(s.socPct!).toBeLessThanOrEqual(50 + 1e-6);
    expect(gridChargedKwh(withPv)).toBeCloseTo(2, 3);
  });

  it('meets a target state of charge by its time, though prices give no reason to charge', () => {
    const flat = repeat(8, { importEurPerKwh: 0.3 });
    expect(chargedKwh(planWith(flat, battery()))).toBeCloseTo(0, 6);
    const p = planWith(flat, battery({ targetSoc: { socPct: 80, byMs: T0 + 4 * SLOT } }));
    expect(p.site[3].socPct!).toBeCloseTo(80, 3);
  });

  it('a target the grid may not reach is met as far as PV allows, and the plan still comes back', () => {
    const p = planWith(PV_THEN_EVENING, battery({ holdOnly: true, targetSoc: { socPct: 90, byMs: T0 + 4 * SLOT } }));
    expect(p.planner).toBe('milp');
    expect(gridChargedKwh(p)).toBeCloseTo(0, 6);
    expect(p.site[3].socPct!).toBeCloseTo(50, 3);
  });

  it('keeps a hold-only battery off the grid beside an EV that charges from it', () => {
    const input: PlannerInput = {
      nowMs: T0,
      timeZone: 'UTC',
      slots: slots(PV_THEN_EVENING),
      site: {},
      battery: battery({ maxChargeW: 5000, holdOnly: true }),
      loads: [{ id: 'ev', power: { kind: 'modulating', minPowerW: 1400, maxPowerW: 7400 }, jobs: [{ id: 'job', kind: 'energy', energyWh: 3000, window: { kind: 'once', deadlineMs: T0 + 4 * SLOT } }] }],
    };
    const p = plan(input, { solver });
    expect(p.planner).toBe('milp');
    expect(p.loads[0].jobs[0].kept).toBe(true);
    expect(gridChargedKwh(p)).toBeCloseTo(0, 6);
  });

  it('values the energy left at the end, so it does not empty the battery into a poor export price', () => {
    const evening = repeat(8, { importEurPerKwh: 0.3, exportEurPerKwh: 0.1 });
    const full = { socPct: 100, roundTripEfficiency: 0.9 };
    const { endValueEurPerKwh: _none, ...defaultEndValue } = battery(full);
    expect(planWith(evening, defaultEndValue).site.at(-1)!.socPct!).toBeCloseTo(100, 3);
    expect(planWith(evening, battery(full)).site.at(-1)!.socPct!).toBeCloseTo(0, 3);
  });

  it('round-trip losses make a small spread not worth cycling, a large one worth it', () => {
    const spread = (eveningEurPerKwh: number) => planWith([...repeat(4, { importEurPerKwh: 0.3 }), ...repeat(4, { importEurPerKwh: eveningEurPerKwh, baseW: 4000 })], battery({ roundTripEfficiency: 0.9 }));
    // 0.30 / 0.9 = 0.333 EUR per kWh delivered: above 0.32, below 0.40.
    expect(chargedKwh(spread(0.32))).toBeCloseTo(0, 6);
    expect(chargedKwh(spread(0.4))).toBeGreaterThan(3);
  });

  it('a wear cost per discharged kWh above the spread stops cycling', () => {
    const withWear = (wearEurPerKwh: number) => planWith([...repeat(4, { importEurPerKwh: 0.3 }), ...repeat(4, { importEurPerKwh: 0.35, baseW: 4000 })], battery({ wearEurPerKwh }));
    expect(chargedKwh(withWear(0.1))).toBeCloseTo(0, 6);
    expect(chargedKwh(withWear(0.02))).toBeCloseTo(4, 3);
  });

  it('validation names a grid-charge cap or target outside 0–100 % or above maxSocPct', () => {
    const input: PlannerInput = { nowMs: T0, timeZone: 'UTC', slots: slots(repeat(8, { importEurPerKwh: 0.3 })), site: {}, loads: [], battery: battery({ maxSocPct: 90, gridChargeMaxSocPct: 120, targetSoc: { socPct: 95, byMs: T0 } }) };
    expect(validatePlannerInput(input).map((e) => e.message)).toEqual([
      'battery.gridChargeMaxSocPct = 120: must be a percentage from 0 to 100, or left out to let the grid charge up to maxSocPct',
      'battery.targetSoc.socPct = 95: must be a percentage from 0 to maxSocPct',
    ]);
  });
});
