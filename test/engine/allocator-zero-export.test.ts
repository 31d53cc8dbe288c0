/** The zero-export probe inside `allocate`, and the inverter limit under a battery that covers what PV could. */
import { describe, expect, it } from 'vitest';
import { allocate, EMPTY_MEMORY, type AllocatorMemory, type AllocatorOutput, type SiteSettings, type SiteState } from '../../src/engine/allocator';
import { commandOf, onOff, T0 } from './allocator-helpers';

const ZERO_EXPORT: SiteSettings = { exportLimitW: 0, pvPeakW: 8000, zeroExportProbe: { maxExportW: 0, maxSeconds: 30 } };
const ROD = onOff('rod', { powerW: 2000, enableDelaySeconds: 30, disableDelaySeconds: 30 });

/**
 * A zero-export inverter: it gives min(available PV, house + rod), so export stays at 0 W and
 * whatever PV cannot cover is imported. Runs a decision every 5 s for `seconds`.
 */
function run(availablePvW: (atSeconds: number) => number, seconds: number, settings = ZERO_EXPORT) {
  const houseW = 400;
  let memory: AllocatorMemory = EMPTY_MEMORY;
  let rodW = 0;
  const outputs: Array<{ atSeconds: number; gridW: number; out: AllocatorOutput }> = [];
  for (let t = 0; t <= seconds; t += 5) {
    const pvW = Math.min(availablePvW(t), houseW + rodW);
    const gridW = houseW + rodW - pvW;
    const site: SiteState = { readingsTimestampMs: T0 + t * 1000, gridPowerW: gridW, pvPowerW: pvW, loads: { rod: { powerW: rodW, on: rodW > 0 } } };
    const out = allocate({ nowMs: T0 + t * 1000, site, loads: [ROD], memory, settings });
    memory = out.memory;
    rodW = commandOf(out, 'rod').powerW;
    outputs.push({ atSeconds: t, gridW, out });
  }
  return outputs;
}

describe('allocate with the zero-export probe', () => {
  it('starts a load on hidden PV and keeps it while PV covers it, at 0 W export and no import', () => {
    const outputs = run(() => 5000, 180);
    const started = outputs.find((o) => commandOf(o.out, 'rod').powerW > 0)!;
    expect(started.atSeconds).toBeLessThanOrEqual(90);
    expect(commandOf(started.out, 'rod').reason).toMatch(/^on: surplus 2\.0 kW ≥ 2\.0 kW for 30 s$/);
    const after = outputs.filter((o) => o.atSeconds > started.atSeconds);
    expect(after.every((o) => commandOf(o.out, 'rod').powerW === 2000 && o.gridW === 0)).toBe(true);
    expect(started.out.site.probe).toMatchObject({ extraExportW: 0 });
    expect(started.out.site.reasons).toContain('probe: export held at the 0.0 kW limit, PV may give more: 2.0 kW offered to loads, kept while import does not rise');
  });

  it('without the probe the same site never starts the load', () => {
    const { zeroExportProbe: _off, ...noProbe } = ZERO_EXPORT;
    const outputs = run(() => 5000, 180, noProbe);
    expect(outputs.every((o) => commandOf(o.out, 'rod').powerW === 0)).toBe(true);
    expect(outputs.at(-1)!.out.site.probe).toBeUndefined();
  });

  it('backs off when PV cannot cover the load: the load stops after its disable delay and is not tried again for 5 min', () => {
    const outputs = run(() => 1200, 600);
    const starts = outputs.filter((o, i) => i > 0 && commandOf(o.out, 'rod').powerW > 0 && commandOf(outputs[i - 1].out, 'rod').powerW === 0);
    expect(starts.length).toBeGreaterThanOrEqual(1);
    expect(outputs.some((o) => o.out.site.reasons.includes('probe backs off: importing 1.2 kW, PV did not follow; next probe in 5 min'))).toBe(true);
    // Import lasts the disable delay, then the load is off; PV covered 0.8 kW of it, so the probe offers no more than that for 15 min.
    const importing = outputs.filter((o) => o.gridW > 0);
    expect(importing.length * 5).toBeLessThanOrEqual(40);
    expect(starts).toHaveLength(1);
  });

  it('forgets its state when the readings go stale', () => {
    const outputs = run(() => 5000, 30);
    expect(outputs.at(-1)!.out.memory.probe).toBeDefined();
    const stale = allocate({
      nowMs: T0 + 120_000, site: { readingsTimestampMs: T0, gridPowerW: 0, pvPowerW: 400, loads: {} }, loads: [ROD], memory: outputs.at(-1)!.out.memory, settings: ZERO_EXPORT,
    });
    expect(stale.memory.probe).toBeUndefined();
  });
});

describe('inverter limit under a battery', () => {
  it('while PV is held back, rises by what the battery discharges instead of leaving the battery to cover what PV could', () => {
    const settings: SiteSettings = { exportLimitW: 0, pvPeakW: 8000 };
    const site: SiteState = { readingsTimestampMs: T0, gridPowerW: 0, pvPowerW: 1200, batteryPowerW: -500, batterySocPct: 60, loads: {} };
    const held = allocate({ nowMs: T0, site, loads: [], memory: { loads: {}, inverterLimitW: 1200 }, settings });
    expect(held.site.inverterLimitW).toBe(1700);
    // Not held back (no limit in force): a discharging battery sets no limit.
    expect(allocate({ nowMs: T0, site, loads: [], memory: EMPTY_MEMORY, settings }).site.inverterLimitW).toBeNull();
  });
});
