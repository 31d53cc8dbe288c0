import { describe, expect, it } from 'vitest';
import { validateSiteSettings } from '../../src/engine/allocator';
import { OptimiserSession, type LoadUpdate } from '../../src/engine/optimiser';
import { parsePrices } from '../../src/engine/optimiser/price-now';
import { accumulateDayStats, EMPTY_DAY_STATS, keptDayStats, resumedDayStats } from '../../src/engine/optimiser/load-stats';
import { applySiteReading, siteStateAt } from '../../src/engine/optimiser/site-inputs';

const T0 = Date.parse('2026-06-01T10:00:00Z');
const reading = (device: string, values: Record<string, number>, atMs = T0) => ({ device, timestamp: new Date(atMs).toISOString(), values });

describe('site inputs', () => {
  it('takes grid power and signed currents from the grid meter, PV and battery by canonical name', () => {
    const sources = { gridDevice: 'grid' };
    let values = applySiteReading({}, sources, reading('grid', { power_w: -1200, current_l1_a: 5, power_l1_w: -1150, current_l2_a: 1, power_l2_w: 200 }), T0).values;
    values = applySiteReading(values, sources, reading('inverter', { pv_power_w: 4000, power_w: 3900 }), T0).values;
    values = applySiteReading(values, sources, reading('bms', { battery_power_w: 800, battery_soc_pct: 55 }), T0).values;
    expect(siteStateAt(values, sources, T0 + 1000, T0, 30_000)).toEqual({
      readingsTimestampMs: T0, gridPowerW: -1200, pvPowerW: 4000, batteryPowerW: 800, batterySocPct: 55, currentL1A: -5, currentL2A: 1,
    });
  });

  it('ignores power_w of devices that are not the grid meter, and a configured source that never reported makes the site stale', () => {
    const sources = { gridDevice: 'grid', pvDevice: 'inverter' };
    const { used } = applySiteReading({}, sources, reading('heat_pump', { power_w: 2000 }), T0);
    expect(used).toEqual([]);
    const values = applySiteReading({}, sources, reading('grid', { power_w: 100 }, T0 + 60_000), T0 + 60_000).values;
    expect(siteStateAt(values, sources, T0 + 61_000, T0, 30_000).readingsTimestampMs).toBe(T0);
  });
});

describe('per-load day figures', () => {
  it('integrates energy and runtime, counts starts, and starts again at a new day', () => {
    let stats = accumulateDayStats(EMPTY_DAY_STATS, { powerW: 2000, running: true }, T0, 'd1');
    stats = accumulateDayStats(stats, { powerW: 0, running: false }, T0 + 30 * 60_000 / 10, 'd1');
    expect(stats).toMatchObject({ starts: 1, runtimeSeconds: 180, energyKwh: 0.1 });
    stats = accumulateDayStats(stats, { powerW: 1000, running: true }, T0 + 3_600_000, 'd2');
    expect(stats).toMatchObject({ day: 'd2', starts: 1, runtimeSeconds: 0, energyKwh: 0 });
  });

  it('resume after a restart without filling the gap: running on is no new start, nothing is integrated across it', () => {
    const before = accumulateDayStats(accumulateDayStats(EMPTY_DAY_STATS, { powerW: 2000, running: true }, T0, 'd1'), { powerW: 2000, running: true }, T0 + 60_000, 'd1');
    const kept = JSON.parse(JSON.stringify(keptDayStats(before)));
    expect(kept).toEqual({ day: 'd1', energyKwh: before.energyKwh, runtimeSeconds: 60, starts: 1, running: true });
    const after = accumulateDayStats(resumedDayStats(kept), { powerW: 2000, running: true }, T0 + 120_000, 'd1');
    expect(after).toMatchObject({ energyKwh: before.energyKwh, runtimeSeconds: 60, starts: 1 });
  });

  it.each([undefined, null, 'x', { day: 'd1', energyKwh: null, runtimeSeconds: 0, starts: 0 }, { day: 'd1', energyKwh: 1, runtimeSeconds: -1, starts: 0 }])(
    'start from nothing when what was kept (%j) is not figures',
    (kept) => expect(resumedDayStats(kept)).toBe(EMPTY_DAY_STATS),
  );
});

describe('optimiser session', () => {
  const settings = { deviceId: 'optimiser', site: {}, strategy: 'pv_surplus' as const, sources: { gridDevice: 'grid' } };

  it('refuses a second load with the same id from another node, and drops an expired override', () => {
    const session = new OptimiserSession(settings, T0, () => 'day');
    const updates: LoadUpdate[] = [];
    session.registerLoad('node-a', { id: 'rod', kind: 'on_off', powerW: 1000, priority: 1, mode: 'off' }, 'commanded', (u) => updates.push(u));
    expect(() => session.registerLoad('node-b', { id: 'rod', kind: 'on_off', powerW: 500, priority: 2, mode: 'off' }, 'commanded', () => {})).toThrow(
      'load id "rod" is already used by another load on this optimiser',
    );
    expect(session.changeLoad('rod', { override: { on: true, expiresAtMs: T0 + 60_000 } })).toEqual([]);
    session.siteReading(reading('grid', { power_w: 0 }), T0);
    session.cycle(T0 + 5000);
    expect(updates.at(-1)!.command).toMatchObject({ on: true });
    session.siteReading(reading('grid', { power_w: 0 }, T0 + 60_000), T0 + 60_000);
    session.cycle(T0 + 65_000);
    expect(updates.at(-1)!.config.override).toBeUndefined();
    expect(updates.at(-1)!.command).toMatchObject({ on: false, reason: 'off: mode off' });
  });

  it('reports a throwing load and still serves the others', () => {
    const session = new OptimiserSession(settings, T0);
    const served: string[] = [];
    session.registerLoad('a', { id: 'a', kind: 'on_off', powerW: 1000, priority: 1, mode: 'on' }, 'commanded', () => {
      throw new Error('output gone');
    });
    session.registerLoad('b', { id: 'b', kind: 'on_off', powerW: 1000, priority: 2, mode: 'on' }, 'commanded', (u) => served.push(u.command.loadId));
    session.siteReading(reading('grid', { power_w: 0 }), T0);
    expect(session.cycle(T0 + 5000).errors).toEqual(['load "a": output gone']);
    expect(served).toEqual(['b']);
  });

  it('weighs surplus against the plan with the feed-in price of its prices input', () => {
    const session = new OptimiserSession(settings, T0);
    const commands: string[] = [];
    const pump = { id: 'hp', kind: 'on_off' as const, powerW: 2000, priority: 1, mode: 'surplus' as const, enableDelaySeconds: 0 };
    session.registerLoad('hp', pump, 'commanded', (u) => commands.push(u.command.reason));
    const hour = (h: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + h * 3_600_000).toISOString();
    const prices = parsePrices({ slots: [{ start: hour(10), end: hour(11), importEurPerKwh: 0.3, exportEurPerKwh: 0.08 }] });
    session.setPrices(prices.ok ? prices.value : []);
    const midday = { startMs: T0 + 3_600_000, endMs: T0 + 3_600_000 + 900_000, powerW: 2000, reason: 'planned', span: '11:00–11:15', deadlineMs: T0 + 8 * 3_600_000 };
    session.followPlan('planner', { hp: [{ ...midday, costEurPerKwh: 0.006 }] });
    session.siteReading(reading('grid', { power_w: -3000 }), T0);
    session.cycle(T0 + 1000);
    session.followPlan('planner', { hp: [{ ...midday, costEurPerKwh: 0.3 }] });
    session.cycle(T0 + 2000);
    expect(commands).toEqual(['off: surplus earns 0.080 €/kWh exported now > 0.006 €/kWh planned 11:00–11:15', 'on: surplus 3.0 kW ≥ 2.0 kW']);
  });
});

describe('allocator fix: battery policies need their figures', () => {
  it.each([
    [{ kind: 'battery_first_until_soc' }, 'battery.socPct = missing'],
    [{ kind: 'battery_may_discharge_to_soc', socPct: 40 }, 'battery.maxDischargeW = missing'],
  ])('%j', (battery, message) => {
    expect(validateSiteSettings({ battery } as never).map((e) => e.message).join()).toContain(message);
  });
});
