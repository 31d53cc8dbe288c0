/** The demo household's physics: loads show at the grid, the battery answers them, limits hold. */
import { describe, expect, it } from 'vitest';
import { CONTROLS_AT_START, DEMO_HOUSEHOLD, newHousehold, sgReadyStateOf, stepHousehold, type HouseholdControls } from '../../src/simulator/household-model';

const DAY_MS = 86_400_000;
/** Noon (UTC) of the sample's sunny day, and 22:00 of it. */
const SUNNY_NOON = 2 * DAY_MS + 12 * 3_600_000;
const SUNNY_NIGHT = 2 * DAY_MS + 22 * 3_600_000;
const STEP_MS = 2000;

const step = (simMs: number, socPct: number, controls: Partial<HouseholdControls> = {}) =>
  stepHousehold(newHousehold(simMs, socPct), { ...CONTROLS_AT_START, ...controls }, STEP_MS);

describe('the demo household', () => {
  it('balances at every moment: grid = consumption − inverter output, inverter output = PV − battery charging', () => {
    for (const [simMs, soc] of [[SUNNY_NOON, 50], [SUNNY_NOON, 100], [SUNNY_NIGHT, 60], [SUNNY_NIGHT, 5]]) {
      const { flows } = step(simMs, soc, { waterHeaterOn: true, evCurrentA: 10 });
      expect(flows.gridW).toBeCloseTo(flows.houseW - flows.inverterAcW, 6);
      expect(flows.inverterAcW).toBeCloseTo(flows.pvW - flows.batteryW, 6);
      expect(flows.houseW).toBeCloseTo(flows.baseLoadW + flows.waterHeaterW + flows.heatPumpW + flows.poolPumpW + flows.evW, 6);
    }
  });

  it('a load switched on at noon with a full battery shows at the grid meter in full', () => {
    const off = step(SUNNY_NOON, 100);
    const on = step(SUNNY_NOON, 100, { waterHeaterOn: true });
    expect(on.flows.waterHeaterW).toBe(DEMO_HOUSEHOLD.waterHeaterW);
    expect(on.flows.gridW - off.flows.gridW).toBeCloseTo(DEMO_HOUSEHOLD.waterHeaterW, 0);
  });

  it('with room in the battery, the battery charges from the surplus and a load takes from its charging first', () => {
    const off = step(SUNNY_NOON, 50);
    expect(off.flows.batteryW).toBe(DEMO_HOUSEHOLD.batteryMaxChargeW);
    expect(off.state.batterySocPct).toBeGreaterThan(50);
    // Loads larger than the export, smaller than PV: no export left, the battery charges with the rest.
    const on = step(SUNNY_NOON, 50, { waterHeaterOn: true, poolPumpOn: true, sgContact1: true, sgContact2: true });
    expect(on.flows.batteryW).toBeGreaterThan(0);
    expect(on.flows.batteryW).toBeLessThan(off.flows.batteryW);
    expect(on.flows.gridW).toBeCloseTo(0, 6);
  });

  it('at night the battery covers the house down to its minimum charge, then the grid does', () => {
    const charged = step(SUNNY_NIGHT, 60);
    expect(charged.flows.pvW).toBe(0);
    expect(charged.flows.batteryW).toBeCloseTo(-charged.flows.houseW, 6);
    expect(charged.flows.gridW).toBeCloseTo(0, 6);
    expect(charged.state.batterySocPct).toBeLessThan(60);
    const empty = step(SUNNY_NIGHT, DEMO_HOUSEHOLD.batteryMinSocPct);
    expect(empty.flows.batteryW).toBe(0);
    expect(empty.flows.gridW).toBeCloseTo(empty.flows.houseW, 6);
  });

  it('the SUN2000 holds the export to the limit written to it by curtailing PV', () => {
    const free = step(SUNNY_NOON, 100);
    expect(-free.flows.gridW).toBeGreaterThan(3000);
    const limited = step(SUNNY_NOON, 100, { exportLimitW: 1000 });
    expect(limited.flows.gridW).toBeCloseTo(-1000, 6);
    expect(limited.flows.pvW).toBeLessThan(limited.flows.pvAvailableW);
  });

  it('the heat pump draws by its SG Ready contacts (BWP table); the wallbox only from 6 A', () => {
    expect([sgReadyStateOf(true, false), sgReadyStateOf(false, false), sgReadyStateOf(false, true), sgReadyStateOf(true, true)]).toEqual(['lock', 'normal', 'recommend', 'force_on']);
    expect(step(SUNNY_NOON, 50, { sgContact1: true }).flows.heatPumpW).toBe(0);
    expect(step(SUNNY_NOON, 50, { sgContact2: true }).flows.heatPumpW).toBe(DEMO_HOUSEHOLD.heatPumpW.recommend);
    expect(step(SUNNY_NOON, 50, { sgContact1: true, sgContact2: true }).flows.heatPumpW).toBe(DEMO_HOUSEHOLD.heatPumpW.force_on);
    expect(step(SUNNY_NOON, 50, { evCurrentA: 5 }).flows.evW).toBe(0);
    expect(step(SUNNY_NOON, 50, { evCurrentA: 16, evPhases: 3 }).flows.evW).toBe(16 * 3 * 230);
  });

  it('counters only grow and the charge stays within 0–100 % over a whole day in 30 s steps', () => {
    let state = newHousehold(2 * DAY_MS, 50);
    for (let t = 0; t < DAY_MS; t += 30_000) {
      const next = stepHousehold(state, { ...CONTROLS_AT_START, waterHeaterOn: t % 7_200_000 < 3_600_000 }, 30_000).state;
      for (const key of ['pvKwh', 'batteryChargeKwh', 'batteryDischargeKwh', 'heatPumpKwh'] as const) expect(next[key]).toBeGreaterThanOrEqual(state[key]);
      expect(next.batterySocPct).toBeGreaterThanOrEqual(0);
      expect(next.batterySocPct).toBeLessThanOrEqual(100);
      state = next;
    }
  });
});
