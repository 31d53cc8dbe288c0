/** Weekly and one-off jobs → occurrences in the horizon, in local time across DST; and input validation. */
import { describe, expect, it } from 'vitest';
import { jobInstances, validatePlannerInput, type PlannerInput, type PlannerLoad } from '../../src/engine/planner';

const SLOT = 15 * 60_000;

function input(nowIso: string, hours: number, loads: PlannerLoad[], timeZone = 'Europe/Berlin'): PlannerInput {
  const nowMs = Date.parse(nowIso);
  const startMs = nowMs - (nowMs % SLOT);
  return {
    nowMs,
    timeZone,
    slots: Array.from({ length: hours * 4 }, (_, t) => ({ startMs: startMs + t * SLOT, importEurPerKwh: 0.3, exportEurPerKwh: 0.08, pvForecastW: 0, baseLoadForecastW: 300 })),
    site: {},
    loads,
  };
}

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ev: PlannerLoad = {
  id: 'ev',
  power: { kind: 'modulating', minPowerW: 1400, maxPowerW: 11_000 },
  jobs: [{ id: 'commute', kind: 'energy', energyWh: 20_000, window: { kind: 'weekly', weekdays: [...everyDay], byTime: '07:00', fromTime: '17:00' } }],
};

const iso = (ms: number) => new Date(ms).toISOString();

describe('job occurrences', () => {
  it('a weekly 17:00 → 07:00 job opens the evening before, in local time', () => {
    const found = jobInstances(input('2026-03-02T12:00:00Z', 48, [ev]));
    expect(found.map((i) => [iso(i.earliestMs), iso(i.deadlineMs)])).toEqual([
      ['2026-03-02T16:00:00.000Z', '2026-03-03T06:00:00.000Z'],
      ['2026-03-03T16:00:00.000Z', '2026-03-04T06:00:00.000Z'],
    ]);
  });

  it('follows the DST switch: 07:00 is 05:00 UTC after the last Sunday of March', () => {
    const found = jobInstances(input('2026-03-28T12:00:00Z', 48, [ev]));
    expect(found.map((i) => iso(i.deadlineMs))).toEqual(['2026-03-29T05:00:00.000Z', '2026-03-30T05:00:00.000Z']);
  });

  it('only the listed weekdays; "24:00" with no start time is the whole local day', () => {
    const pump: PlannerLoad = { id: 'pump', power: { kind: 'on_off', powerW: 800 }, jobs: [{ id: 'daily', kind: 'runtime', runtimeMinutes: 360, interruptible: true, window: { kind: 'weekly', weekdays: ['wed'], byTime: '24:00' } }] };
    const found = jobInstances(input('2026-03-02T12:00:00Z', 72, [pump]));
    expect(found.map((i) => [iso(i.earliestMs), iso(i.deadlineMs), i.requiredInHorizon])).toEqual([['2026-03-03T23:00:00.000Z', '2026-03-04T23:00:00.000Z', 24]]);
  });

  it('an occurrence under way counts what is done; a deadline past the horizon asks only what cannot wait', () => {
    const load: PlannerLoad = { ...ev, jobs: [{ id: 'commute', kind: 'energy', energyWh: 20_000, doneWh: 5000, window: { kind: 'once', deadlineMs: Date.parse('2026-03-03T06:00:00Z'), earliestStartMs: Date.parse('2026-03-02T10:00:00Z') } }] };
    const [underWay] = jobInstances(input('2026-03-02T20:00:00Z', 24, [load]));
    expect(underWay).toMatchObject({ remaining: 15, requiredInHorizon: 15, firstSlot: 0 });
    const [beyond] = jobInstances(input('2026-03-02T20:00:00Z', 9, [load]));
    // Horizon ends 05:00 UTC; one hour at 11 kW is left after it, so 4 kWh must come before.
    expect(beyond.requiredInHorizon).toBeCloseTo(4, 9);
  });
});

describe('bounds of a job', () => {
  it('a job that may start now may use the slot under way, even in the middle of it', () => {
    const now = '2026-03-02T20:07:00Z';
    const load: PlannerLoad = { ...ev, jobs: [{ id: 'top-up', kind: 'energy', energyWh: 2000, window: { kind: 'once', deadlineMs: Date.parse('2026-03-02T22:00:00Z'), earliestStartMs: Date.parse(now) } }] };
    expect(jobInstances(input(now, 24, [load]))[0].firstSlot).toBe(0);
    const later: PlannerLoad = { ...ev, jobs: [{ ...load.jobs[0], window: { kind: 'once', deadlineMs: Date.parse('2026-03-02T22:00:00Z'), earliestStartMs: Date.parse('2026-03-02T20:37:00Z') } }] };
    expect(jobInstances(input(now, 24, [later]))[0].firstSlot).toBe(3);
  });

  it('a remainder below one slot at minimum power may overshoot to one such slot', () => {
    // 0.2 kWh left; 15 min at the EV's 1.4 kW minimum is 0.35 kWh.
    const load: PlannerLoad = { ...ev, jobs: [{ id: 'top-up', kind: 'energy', energyWh: 200, window: { kind: 'once', deadlineMs: Date.parse('2026-03-02T22:00:00Z') } }] };
    const [instance] = jobInstances(input('2026-03-02T20:00:00Z', 24, [load]));
    expect(instance.upToInHorizon).toBeCloseTo(0.2 + 0.35, 9);
  });
});

describe('validation', () => {
  it('names the field, shows the value and says what to enter', () => {
    const bad = input('2026-03-02T12:00:00Z', 24, [
      { id: 'ev', power: { kind: 'modulating', minPowerW: 5000, maxPowerW: 3000 }, jobs: [{ id: 'j', kind: 'energy', energyWh: 10_000, window: { kind: 'weekly', weekdays: ['monday' as never], byTime: '7:00' } }] },
    ]);
    bad.battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 90, minSocPct: 10, maxSocPct: 100, socPct: 50 };
    expect(validatePlannerInput(bad).map((e) => e.message)).toEqual([
      'battery.roundTripEfficiency = 90: must be a fraction above 0 and at most 1, like 0.9',
      'power.minPowerW = 5000: must be the lowest running power in W, at most maxPowerW',
      'jobs[0].window.weekdays = ["monday"]: must list days out of mon, tue, wed, thu, fri, sat, sun',
      'jobs[0].window.byTime = "7:00": must be a local time "HH:MM" from "00:00" to "24:00"',
    ]);
  });

  it('accepts a good input', () => {
    expect(validatePlannerInput(input('2026-03-02T12:00:00Z', 24, [ev]))).toEqual([]);
  });
});
