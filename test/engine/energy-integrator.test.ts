import { describe, expect, it } from 'vitest';
import { integrate, MAX_GAP_MS, NEW_INTEGRATOR, type IntegratorState } from '../../src/engine/energy-integrator';

const H = 3_600_000;
const MIN = 60_000;
/** Samples every minute from `fromMs` to `toMs` with power given by `powerAt`. */
const every = (fromMs: number, toMs: number, powerAt: (t: number) => number): Array<[number, number]> =>
  Array.from({ length: (toMs - fromMs) / MIN + 1 }, (_, i) => [fromMs + i * MIN, powerAt(fromMs + i * MIN)]);
const feed = (samples: Array<[number, number]>, state: IntegratorState = NEW_INTEGRATOR) =>
  samples.reduce((s, [atMs, powerW]) => integrate(s, powerW, atMs), state);

describe('integrate', () => {
  it('counts constant import and constant export', () => {
    const imported = feed(every(0, H, () => 1000));
    expect(imported.importKwh).toBeCloseTo(1, 9);
    expect(imported.exportKwh).toBe(0);
    const exported = feed(every(0, 2 * H, () => -500));
    expect(exported.exportKwh).toBeCloseTo(1, 9);
    expect(exported.importKwh).toBe(0);
  });

  it('uses the trapezoid between samples', () => {
    expect(feed([[0, 0], [4 * MIN, 3000]]).importKwh).toBeCloseTo(0.1, 9);
  });

  it('splits an interval where the power changes sign at the zero crossing', () => {
    const s = feed([[0, 3000], [4 * MIN, -3000]]);
    expect(s.importKwh).toBeCloseTo(0.05, 9);
    expect(s.exportKwh).toBeCloseTo(0.05, 9);
  });

  it('counts nothing across a gap longer than the limit, nor for samples out of order', () => {
    expect(feed([[0, 1000], [MAX_GAP_MS + 1, 1000]]).importKwh).toBe(0);
    expect(feed([[1000, 1000], [0, 1000]]).importKwh).toBe(0);
  });

  it('never lowers either counter', () => {
    let s: IntegratorState = { importKwh: 10, exportKwh: 5 };
    for (let i = 0; i < 100; i++) {
      const next = integrate(s, Math.sin(i) * 3000, i * 10_000);
      expect(next.importKwh).toBeGreaterThanOrEqual(s.importKwh);
      expect(next.exportKwh).toBeGreaterThanOrEqual(s.exportKwh);
      s = next;
    }
  });
});
