import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_WINDOW_EVERY_SECONDS,
  PROBE_BACK_OFF_SECONDS,
  PROBE_CEILING_SECONDS,
  PROBE_STEP_SECONDS,
  PROBE_STEP_W,
  PROBE_TOLERANCE_W,
  probeHiddenSurplus,
  type ProbeInput,
  type ProbeOutcome,
  type ZeroExportProbeSettings,
} from '../../src/engine/allocator/surplus-probe';
import { T0 } from './allocator-helpers';

const LOADS_ONLY: ZeroExportProbeSettings = { maxExportW: 0, maxSeconds: 30 };
const WITH_EXPORT: ZeroExportProbeSettings = { maxExportW: 600, maxSeconds: 30 };

/** A zero-export site held at 0 W export with 1.2 kW of PV (all the house takes) on a 9 kW array. */
function input(fields: Partial<ProbeInput> = {}): ProbeInput {
  return {
    nowMs: T0,
    gridPowerW: 0,
    pvPowerW: 1200,
    batteryPowerW: 0,
    managedDrawW: 0,
    maxExportW: 0,
    pvPeakW: 9000,
    largestStartW: 4000,
    settings: LOADS_ONLY,
    memory: undefined,
    ...fields,
  };
}

/** Runs readings in order, each with the memory the previous step returned. */
function run(readings: Array<Partial<ProbeInput> & { atSeconds: number }>, base: Partial<ProbeInput> = {}): ProbeOutcome[] {
  const outcomes: ProbeOutcome[] = [];
  let memory: ProbeInput['memory'];
  for (const { atSeconds, ...fields } of readings) {
    const outcome = probeHiddenSurplus(input({ ...base, ...fields, nowMs: T0 + atSeconds * 1000, memory }));
    memory = outcome.memory;
    outcomes.push(outcome);
  }
  return outcomes;
}

const every5s = (fromSeconds: number, toSeconds: number, fields: Partial<ProbeInput> = {}) =>
  Array.from({ length: Math.floor((toSeconds - fromSeconds) / 5) + 1 }, (_, i) => ({ atSeconds: fromSeconds + i * 5, ...fields }));

describe('zero-export probe', () => {
  it('is off without settings or without a feed-in limit: nothing offered, nothing said, nothing kept', () => {
    for (const fields of [{ settings: undefined }, { maxExportW: null }]) {
      expect(probeHiddenSurplus(input(fields))).toEqual({ creditW: 0, extraExportW: 0, decideByMs: null, reason: null, memory: undefined });
    }
  });

  it('offers loads one step more every 15 s while export stays at the limit and nothing is imported', () => {
    const outcomes = run(every5s(0, 60));
    expect(outcomes.map((o) => o.creditW)).toEqual([0, 0, 0, 500, 500, 500, 1000, 1000, 1000, 1500, 1500, 1500, 2000]);
    expect(outcomes.every((o) => o.extraExportW === 0)).toBe(true);
    expect(outcomes.at(-1)?.reason).toBe('probe: export held at the 0.0 kW limit, PV may give more: 2.0 kW offered to loads, kept while import does not rise');
  });

  it('keeps what PV followed: a load that started on the credit without import uses it up, and the next step probes further', () => {
    const outcomes = run([...every5s(0, 45), { atSeconds: 50, managedDrawW: 1500 }, { atSeconds: 55, managedDrawW: 1500 }, { atSeconds: 60, managedDrawW: 1500 }]);
    expect(outcomes[9].creditW).toBe(1500);
    // The load's 1.5 kW now shows as its own draw (the surplus counts it): none of the credit is left over.
    expect(outcomes[10].creditW).toBe(0);
    expect(outcomes[11].creditW).toBe(0);
    expect(outcomes[12].creditW).toBe(PROBE_STEP_W);
  });

  it('backs off when import appears: credit gone at once, no probing for 5 min, each step says why', () => {
    const outcomes = run([...every5s(0, 45), { atSeconds: 50, gridPowerW: 800 }, { atSeconds: 55 }, { atSeconds: 50 + PROBE_BACK_OFF_SECONDS - 5 }, ...every5s(50 + PROBE_BACK_OFF_SECONDS, 50 + PROBE_BACK_OFF_SECONDS + 15)]);
    const backOff = outcomes[10];
    expect(backOff.creditW).toBe(0);
    expect(backOff.reason).toBe('probe backs off: importing 0.8 kW, PV did not follow; next probe in 5 min');
    expect(outcomes[11]).toMatchObject({ creditW: 0, reason: 'probe: PV did not follow, next probe in 5 min' });
    expect(outcomes[12]).toMatchObject({ creditW: 0, reason: 'probe: PV did not follow, next probe in 5 s' });
    // The first step comes 15 s after the wait.
    expect(outcomes.slice(13).map((o) => o.creditW)).toEqual([0, 0, PROBE_STEP_W, PROBE_STEP_W]);
  });

  it('after a load PV covered only in part, offers no more than PV covered of it for 15 min', () => {
    const wait = PROBE_BACK_OFF_SECONDS;
    const outcomes = run([
      ...every5s(0, 60),
      { atSeconds: 65, managedDrawW: 2000, gridPowerW: 1300 },
      ...every5s(65 + wait, 65 + wait + 120),
      ...every5s(65 + PROBE_CEILING_SECONDS, 65 + PROBE_CEILING_SECONDS + 60),
    ]);
    expect(outcomes[13].reason).toBe('probe backs off: importing 1.3 kW, PV did not follow; next probe in 5 min');
    const afterWait = outcomes.slice(14, 14 + 25);
    expect(Math.max(...afterWait.map((o) => o.creditW))).toBe(700);
    expect(Math.max(...outcomes.slice(14 + 25).map((o) => o.creditW))).toBeGreaterThan(700);
  });

  it('counts a battery discharging into the loads as import: PV did not follow', () => {
    const outcomes = run([...every5s(0, 15), { atSeconds: 20, batteryPowerW: -600 }]);
    expect(outcomes.at(-1)).toMatchObject({ creditW: 0, reason: 'probe backs off: importing 0.6 kW, PV did not follow; next probe in 5 min' });
  });

  it('probes nothing at night, while importing, or while export is below the limit (PV not held back)', () => {
    expect(probeHiddenSurplus(input({ pvPowerW: 0 }))).toMatchObject({ creditW: 0, reason: 'probe: no PV, nothing hidden' });
    expect(probeHiddenSurplus(input({ gridPowerW: 400 }))).toMatchObject({ creditW: 0, reason: 'probe: importing 0.4 kW, nothing hidden' });
    expect(probeHiddenSurplus(input({ maxExportW: 800, gridPowerW: -300 }))).toMatchObject({
      creditW: 0,
      reason: 'probe: export 0.3 kW below the 0.8 kW limit, PV not held back',
    });
  });

  it('never offers more than the PV peak leaves, nor more than the largest load needs to start', () => {
    expect(Math.max(...run(every5s(0, 600), { pvPowerW: 8200 }).map((o) => o.creditW))).toBe(800);
    expect(Math.max(...run(every5s(0, 600), { largestStartW: 2300 }).map((o) => o.creditW))).toBe(2300);
  });

  it('opens an export window for at most maxSeconds, then keeps what PV gave above the limit as credit', () => {
    const outcomes = run([
      { atSeconds: 0 },
      { atSeconds: 5, gridPowerW: -600 },
      { atSeconds: 10, gridPowerW: -450 },
      { atSeconds: 30, gridPowerW: -450 },
      { atSeconds: 35 },
    ], { settings: WITH_EXPORT });
    expect(outcomes[0]).toMatchObject({ extraExportW: 600, decideByMs: T0 + 30_000, reason: 'probe: export limit raised by 0.6 kW for 30 s to see what PV can give' });
    expect(outcomes[2]).toMatchObject({ extraExportW: 600, creditW: 0, reason: 'probe: export limit raised by 0.6 kW for 20 s to see what PV can give' });
    expect(outcomes[3]).toMatchObject({ extraExportW: 0, creditW: 600, reason: 'probe: PV gave 0.6 kW above the export limit; export limit back, that power offered to loads' });
    expect(outcomes[4].extraExportW).toBe(0);
  });

  it('opens the next export window only 5 min after the last one closed', () => {
    const outcomes = run(every5s(0, 30 + EXPORT_WINDOW_EVERY_SECONDS), { settings: WITH_EXPORT });
    const open = outcomes.map((o, i) => (o.extraExportW > 0 ? i * 5 : -1)).filter((t) => t >= 0);
    expect(open).toEqual([0, 5, 10, 15, 20, 25, 30 + EXPORT_WINDOW_EVERY_SECONDS]);
  });

  // A probe run: readings at irregular times, any grid, PV, battery and load draw.
  const reading = fc.record({
    afterMs: fc.integer({ min: 100, max: 20_000 }),
    gridPowerW: fc.oneof(fc.constant(0), fc.integer({ min: -2000, max: 3000 })),
    pvPowerW: fc.integer({ min: 0, max: 9000 }),
    batteryPowerW: fc.oneof(fc.constant(0), fc.integer({ min: -2000, max: 2000 })),
    managedDrawW: fc.integer({ min: 0, max: 8000 }),
  });
  const settings = fc.record({ maxExportW: fc.integer({ min: 0, max: 2000 }), maxSeconds: fc.integer({ min: 1, max: 300 }) });

  function replay(readings: Array<Omit<ProbeInput, 'nowMs' | 'memory' | 'settings' | 'maxExportW' | 'pvPeakW' | 'largestStartW'> & { afterMs: number }>, s: ZeroExportProbeSettings, limitW: number) {
    let nowMs = T0;
    let memory: ProbeInput['memory'];
    return readings.map(({ afterMs, ...fields }) => {
      nowMs += afterMs;
      const probeInput = { ...fields, nowMs, memory, settings: s, maxExportW: limitW, pvPeakW: 9000, largestStartW: 4000 };
      const outcome = probeHiddenSurplus(probeInput);
      memory = outcome.memory;
      return { input: probeInput, outcome };
    });
  }

  it('property: credit within what the PV peak leaves, export above the limit within the setting, every step explained', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 80 }), settings, fc.integer({ min: 0, max: 1000 }), (readings, s, limitW) => {
        for (const { input: i, outcome } of replay(readings, s, limitW)) {
          expect(outcome.creditW).toBeGreaterThanOrEqual(0);
          expect(outcome.creditW).toBeLessThanOrEqual(Math.max(Math.min(4000, 9000 - i.pvPowerW), outcome.memory!.creditW, 0));
          expect(outcome.extraExportW).toBeLessThanOrEqual(s.maxExportW);
          expect(typeof outcome.reason).toBe('string');
        }
      }),
    );
  });

  it('property: an export window is asked to close by maxSeconds after it opened and is never reported open past that', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 80 }), settings, (readings, s) => {
        let openedAtMs: number | null = null;
        for (const { input: i, outcome } of replay(readings, s, 0)) {
          if (outcome.extraExportW === 0) {
            openedAtMs = null;
            continue;
          }
          openedAtMs ??= i.nowMs;
          expect(i.nowMs).toBeLessThan(openedAtMs + s.maxSeconds * 1000);
          expect(outcome.decideByMs).toBe(openedAtMs + s.maxSeconds * 1000);
        }
      }),
    );
  });

  it('property: once probing, import above the tolerance takes the whole credit and closes the window at once', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 80 }), settings, (readings, s) => {
        const steps = replay(readings, s, 0);
        steps.forEach(({ input: i, outcome }) => {
          const importW = Math.max(0, i.gridPowerW) + Math.max(0, -i.batteryPowerW);
          if (importW > PROBE_TOLERANCE_W) expect(outcome).toMatchObject({ creditW: 0, extraExportW: 0 });
        });
      }),
    );
  });

  it('property: the credit grows by at most one step per 15 s', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 80 }), (readings) => {
        const steps = replay(readings, LOADS_ONLY, 0);
        let lastGrowthMs = -Infinity;
        steps.forEach(({ input: i, outcome }, n) => {
          const before = n === 0 ? 0 : steps[n - 1].outcome.creditW;
          if (outcome.creditW > before) {
            expect(outcome.creditW - before).toBeLessThanOrEqual(PROBE_STEP_W);
            expect(i.nowMs - lastGrowthMs).toBeGreaterThanOrEqual(PROBE_STEP_SECONDS * 1000);
            lastGrowthMs = i.nowMs;
          }
        });
      }),
    );
  });
});
