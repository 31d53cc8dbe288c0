/** Decisions between cycles: which readings make one due at once, and the hold-off between them. */
import { describe, expect, it } from 'vitest';
import { DecisionHoldOff, OptimiserSession, type OptimiserSettings } from '../../src/engine/optimiser';
import { limitCrossed, lowerBaselines } from '../../src/engine/optimiser/decision-trigger';

const T0 = Date.parse('2026-06-01T10:00:00Z');
const reading = (device: string, values: Record<string, number>, atMs: number) => ({ device, timestamp: new Date(atMs).toISOString(), values });

function sessionWith(site: OptimiserSettings['site'], sources: OptimiserSettings['sources'] = { gridDevice: 'grid' }) {
  const session = new OptimiserSession({ deviceId: 'optimiser', site, strategy: 'pv_surplus', sources }, T0, () => 'day');
  let nowMs = T0;
  /** Grid readings one second apart: what each one made due. */
  const grid = (values: Record<string, number>) => {
    nowMs += 1000;
    return session.siteReading(reading('grid', values, nowMs), nowMs).decisionDue;
  };
  return { session, grid, decide: () => session.cycle(nowMs), now: () => nowMs };
}

describe('a reading that crosses a limit makes a decision due at once', () => {
  it('import cap: entering it, not staying over it, again only once well within it', () => {
    const { grid, decide } = sessionWith({ importCapW: 5000 });
    expect(grid({ power_w: 4000 })).toBeUndefined();
    decide();
    expect(grid({ power_w: 4900 })).toBeUndefined();
    expect(grid({ power_w: 8000 })).toBe('importCap');
    decide();
    // The loads were shed; until the relays act the meter still shows the same import.
    expect(grid({ power_w: 8000 })).toBeUndefined();
    expect(grid({ power_w: 8300 })).toBeUndefined();
    expect(grid({ power_w: 5000 })).toBeUndefined();
    // Back under the cap by less than the step: a wobble over it is not a new crossing …
    expect(grid({ power_w: 4800 })).toBeUndefined();
    expect(grid({ power_w: 5200 })).toBeUndefined();
    // … but half a kW beyond the smallest excess since the decision is.
    expect(grid({ power_w: 5600 })).toBe('importCap');
    decide();
    expect(grid({ power_w: 4400 })).toBeUndefined();
    expect(grid({ power_w: 5100 })).toBe('importCap');
  });

  it('import cap: a reading far further over than the last decision saw', () => {
    const { grid, decide } = sessionWith({ importCapW: 5000 });
    grid({ power_w: 4000 });
    expect(grid({ power_w: 5500 })).toBe('importCap');
    decide();
    expect(grid({ power_w: 5900 })).toBeUndefined();
    expect(grid({ power_w: 6100 })).toBe('importCap');
  });

  it('main fuse on any phase, with importing current only', () => {
    const { grid, decide } = sessionWith({ fuseLimitA: 25 });
    const phases = (l1: number, l2: number, l3: number, l3PowerW = 1000) => ({ power_w: 0, current_l1_a: l1, current_l2_a: l2, current_l3_a: l3, power_l3_w: l3PowerW });
    grid(phases(20, 20, 20));
    decide();
    expect(grid(phases(20, 20, 30, -6900))).toBeUndefined();
    expect(grid(phases(20, 26, 20))).toBe('fuseL2');
    decide();
    expect(grid(phases(20, 27, 20))).toBeUndefined();
    expect(grid(phases(20, 29, 20))).toBe('fuseL2');
    expect(grid(phases(31, 29, 20))).toBe('fuseL1');
  });

  it('export limit, in W and as a percentage of PV peak, and a ripple-control rule that lowers it', () => {
    const ripple = { rules: [{ inputs: '0', feedInPct: 100 as const }, { inputs: '1', feedInPct: 30 as const }] };
    const { session, grid, decide } = sessionWith({ exportLimitW: 7000, pvPeakW: 10_000, rippleControl: ripple });
    expect(session.setRippleInputs([false])).toBe('ripple');
    grid({ power_w: -5000 });
    decide();
    expect(grid({ power_w: -7400 })).toBe('exportLimit');
    decide();
    expect(session.setRippleInputs([false])).toBeUndefined();
    expect(session.setRippleInputs([true])).toBe('ripple');
    expect(session.setRippleInputs(undefined)).toBe('ripple');
    session.setRippleInputs([true]);
    expect(grid({ power_w: -2000 })).toBeUndefined();
    expect(grid({ power_w: -3600 })).toBe('exportLimit');
  });

  it('a curtailed export hovering at the limit does not call for a decision on every wobble', () => {
    const { grid, decide } = sessionWith({ exportLimitW: 3000, pvPeakW: 10_000 });
    grid({ power_w: -3600 });
    decide();
    for (const powerW of [-3000, -3150, -2900, -3300, -3050, -3400]) expect(grid({ power_w: powerW })).toBeUndefined();
  });

  it('stale → fresh: a reading after the site data went stale; one source still silent keeps it stale', () => {
    const { session, grid, decide, now } = sessionWith({ staleAfterSeconds: 10, importCapW: 5000 }, { gridDevice: 'grid', pvDevice: 'inverter' });
    // Within the stale timeout from the start the allocator counts a source that has not reported yet as fresh.
    expect(grid({ power_w: 8000 })).toBe('importCap');
    decide();
    expect(session.siteReading(reading('inverter', { power_w: 3000 }, now()), now()).decisionDue).toBeUndefined();
    const later = now() + 20_000;
    expect(session.siteReading(reading('grid', { power_w: 1000 }, later), later).decisionDue).toBeUndefined();
    expect(session.siteReading(reading('inverter', { power_w: 3000 }, later), later).decisionDue).toBe('fresh');
    const evenLater = later + 20_000;
    expect(session.siteReading(reading('grid', { power_w: 9000 }, evenLater), evenLater).decisionDue).toBeUndefined();
    expect(session.siteReading(reading('inverter', { power_w: 3000 }, evenLater), evenLater).decisionDue).toBe('importCap');
  });

  it('a limit changed at run time: the next reading over the new one is due', () => {
    const { session, grid, decide } = sessionWith({ importCapW: 5000 });
    grid({ power_w: 4800 });
    decide();
    session.changeSettings({ site: { importCapW: 4500 } });
    expect(grid({ power_w: 4800 })).toBe('importCap');
  });

  it('a reading of something else makes nothing due', () => {
    const { session, grid } = sessionWith({ importCapW: 5000 });
    grid({ power_w: 1000 });
    expect(session.siteReading(reading('heat_pump', { power_w: 9000 }, T0 + 2000), T0 + 2000)).toEqual({ used: [] });
  });
});

describe('limit baselines', () => {
  it('a limit not configured or not measured is never crossed', () => {
    expect(limitCrossed({}, {})).toBeUndefined();
  });

  /** Excesses around the interesting points: the limit, one step either side, far off. */
  const EXCESSES = [-50_000, -501, -500, -499, -1, 0, 1, 250, 499, 500, 501, 3000, 50_000];

  it('a reading within every limit never crosses one, whatever readings came before', () => {
    for (const first of EXCESSES) {
      for (const second of EXCESSES) {
        const baseline = lowerBaselines(lowerBaselines({}, { importCap: first }), { importCap: second });
        for (const within of EXCESSES.filter((e) => e <= 0)) expect(limitCrossed(baseline, { importCap: within })).toBeUndefined();
      }
    }
  });

  it('from any baseline, a reading a step beyond it and beyond the limit crosses it', () => {
    for (const baseline of EXCESSES) expect(limitCrossed({ importCap: baseline }, { importCap: Math.max(baseline, 0) + 501 })).toBe('importCap');
  });
});

describe('decision hold-off', () => {
  it('one extra decision now, the next after 200 ms, counted from the last one taken', () => {
    const holdOff = new DecisionHoldOff();
    expect(holdOff.claim(T0)).toBe(0);
    expect(holdOff.claim(T0 + 50)).toBe(150);
    expect(holdOff.claim(T0 + 199)).toBe(1);
    expect(holdOff.claim(T0 + 200)).toBe(0);
    expect(holdOff.claim(T0 + 1000)).toBe(0);
    expect(new DecisionHoldOff(1000).claim(T0)).toBe(0);
  });
});
