import { describe, expect, it } from 'vitest';
import { withPlannedSlot } from '../../src/engine/optimiser';
import type { LoadConfig } from '../../src/engine/allocator';
import { loadPowerOf, parseConfiguredJobs, parseJobMessage, parseTariff, plannerInputOf, PlannerSession, priceFlags, SlotIntegrals, type OptimiserView } from '../../src/engine/planner-session';

const SLOT_MS = 15 * 60_000;
const T0 = Date.UTC(2026, 5, 1, 10, 0);

describe('SlotIntegrals', () => {
  it('averages a held value per 15-minute slot, split at slot boundaries, and leaves long silences out', () => {
    const integrals = new SlotIntegrals(60_000);
    integrals.add(T0 + SLOT_MS - 30_000, 1000);
    integrals.add(T0 + SLOT_MS + 30_000, 3000);
    integrals.add(T0 + SLOT_MS + 60_000, 0);
    integrals.add(T0 + 2 * SLOT_MS, 500); // 14 min of silence: not counted
    expect(integrals.series().samples).toEqual([
      { startMs: T0, powerW: 1000 },
      { startMs: T0 + SLOT_MS, powerW: 2000 },
    ]);
    expect(integrals.integralHours(T0, T0 + 2 * SLOT_MS)).toBeCloseTo((1000 * 60_000 + 3000 * 30_000) / 3_600_000);
    expect(SlotIntegrals.fromJson(integrals.toJson()).series()).toEqual(integrals.series());
  });
});

describe('jobs from configuration and messages', () => {
  it('turns configured jobs into weekly planner jobs', () => {
    expect(parseConfiguredJobs('[{ "loadId": "ev", "energyKwh": 10, "by": "07:00", "from": "18:00", "weekdays": ["mon"] }, { "loadId": "pool", "runtimeMinutes": 360, "by": "20:00", "interruptible": false }]')).toEqual([
      { loadId: 'ev', job: { id: 'config-0', kind: 'energy', energyWh: 10_000, window: { kind: 'weekly', weekdays: ['mon'], byTime: '07:00', fromTime: '18:00' } } },
      { loadId: 'pool', job: { id: 'config-1', kind: 'runtime', runtimeMinutes: 360, interruptible: false, window: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], byTime: '20:00' } } },
    ]);
  });

  it.each([
    ['[{ "energyKwh": 10, "by": "07:00" }]', 'jobs[0].loadId = missing: must be the load id'],
    ['[{ "loadId": "ev", "by": "07:00" }]', 'jobs[0]: give "energyKwh" (energy by a time) or "runtimeMinutes"'],
    ['[{ "loadId": "ev", "energyKwh": 10 }]', 'jobs[0].by is missing'],
    ['[{ "loadId": "ev", "energyKwh": 10, "by": "07:00", "weekdays": ["monday"] }]', 'jobs[0].weekdays = ["monday"]: must list days as'],
    ['{ "loadId": "ev" }', 'jobs must be a list'],
    ['[{ "loadId": "ev", "energyKwh": 10, "by": "07:00", "days": ["mon"] }]', 'jobs[0]: "days" is not known here: use loadId, by, from, weekdays,'],
    ['[{ "loadId": "ev", "energyKwh": 10, "runtimeMinutes": 60, "by": "07:00" }]', 'jobs[0]: give "energyKwh" or "runtimeMinutes", not both'],
    ['["ev by 7"]', 'jobs[0] = "ev by 7": must be an object like { "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" }'],
  ])('names the field of a bad configured job: %s', (text, message) => {
    expect(() => parseConfiguredJobs(text)).toThrow(message);
  });

  it('makes a message job a one-off from the slot holding now to the next 07:00', () => {
    const nowMs = Date.UTC(2026, 5, 1, 20, 5);
    const parsed = parseJobMessage({ loadId: 'ev', energyKwh: 20, by: '07:00' }, nowMs, 'UTC');
    expect(parsed).toEqual({
      kind: 'add',
      loadJob: { loadId: 'ev', job: { id: 'message-once', kind: 'energy', energyWh: 20_000, window: { kind: 'once', deadlineMs: Date.UTC(2026, 5, 2, 7, 0), earliestStartMs: Date.UTC(2026, 5, 1, 20, 0) } } },
    });
    expect(parseJobMessage({ loadId: 'ev', id: 'trip', cancel: true }, nowMs, 'UTC')).toEqual({ kind: 'cancel', loadId: 'ev', jobId: 'message-trip' });
    expect(() => parseJobMessage({ loadId: 'ev', energyKwh: 20, by: '2020-01-01T00:00:00Z' }, nowMs, 'UTC')).toThrow('msg.payload.by = "2020-01-01T00:00:00Z": lies in the past');
    expect(() => parseJobMessage({ loadId: 'ev', energyKwh: 20, deadline: '07:00' }, nowMs, 'UTC')).toThrow('msg.payload: "deadline" is not known here: use loadId, id, cancel, by, earliestStart,');
  });
});

describe('prices', () => {
  const tariff = parseTariff('[{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.2 }, { "from": "06:00", "to": "22:00", "importEurPerKwh": 0.3 }]');

  it('flags the night of a two-rate tariff as cheap, and no hour of a flat one', () => {
    expect(priceFlags([], tariff, Date.UTC(2026, 5, 1, 23, 0), 'UTC')).toEqual({ importEurPerKwh: 0.2, cheap: true, negative: false, cheapAtOrBelowEurPerKwh: 0.2 });
    // 8 of 24 h at 0.20 are exactly the cheapest third; a flat price is never cheap.
    expect(priceFlags([], tariff, Date.UTC(2026, 5, 1, 12, 0), 'UTC').cheap).toBe(false);
    const flat = parseTariff('[{ "from": "00:00", "to": "24:00", "importEurPerKwh": 0.3 }]');
    expect(priceFlags([], flat, Date.UTC(2026, 5, 1, 3, 0), 'UTC').cheap).toBe(false);
  });

  it('takes the price message before the tariff, a configured cheap price before the day\'s third, and flags negative prices', () => {
    const prices = [{ startMs: T0, endMs: T0 + SLOT_MS, importEurPerKwh: -0.02 }];
    expect(priceFlags(prices, tariff, T0, 'UTC', 0.1)).toEqual({ importEurPerKwh: -0.02, cheap: true, negative: true, cheapAtOrBelowEurPerKwh: 0.1 });
  });

  it('names the field of a bad tariff', () => {
    expect(() => parseTariff('[{ "from": "22:00", "to": "6", "importEurPerKwh": 0.2 }]')).toThrow('tariff[0].to = "6": must be a local clock time');
    expect(() => parseTariff('[{ "from": "22:00", "to": "06:00", "importEurPerKwh": "cheap" }]')).toThrow('tariff[0].importEurPerKwh = "cheap": must be a price in EUR/kWh');
    expect(() => parseTariff('[{ "from": "22:00", "to": "06:00", "price": 0.2 }]')).toThrow('tariff[0]: "price" is not known here: use from, to, importEurPerKwh, exportEurPerKwh');
    expect(() => parseTariff('["22:00-06:00 0.2"]')).toThrow('tariff[0] = "22:00-06:00 0.2": must be an object like { "from": "22:00", "to": "06:00", "importEurPerKwh": 0.22 }');
    expect(() => parseTariff('[null]')).toThrow('tariff[0] = null: must be an object like');
  });
});

describe('the optimiser following a plan', () => {
  const boiler: LoadConfig = { id: 'boiler', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus' };
  const slot = (index: number, costEurPerKwh: number | null, deadlineMs: number | null = T0 + 8 * SLOT_MS) => ({
    startMs: T0 + index * SLOT_MS,
    endMs: T0 + (index + 1) * SLOT_MS,
    powerW: 2000,
    reason: `Boiler: 30 min of 30 min by 12:00, slot ${index}`,
    span: `slot ${index}`,
    costEurPerKwh,
    deadlineMs,
  });
  const slots = { boiler: [slot(0, 0.05)] };

  it('gives a load the slot holding now as its planned floor, and nothing outside its slots', () => {
    expect(withPlannedSlot(boiler, slots, T0 + 60_000).planned).toEqual({ powerW: 2000, reason: slots.boiler[0].reason });
    expect(withPlannedSlot(boiler, slots, T0 + SLOT_MS)).toBe(boiler);
    expect(withPlannedSlot(boiler, undefined, T0)).toBe(boiler);
  });

  it('weighs surplus now against the dearest slot planned later for the same job', () => {
    const later = { boiler: [slot(0, 0.3), slot(3, 0.006), slot(5, 0.02), slot(6, 0.3, T0 + 100 * SLOT_MS)] };
    expect(withPlannedSlot(boiler, later, T0 + 60_000).plannedLater).toEqual({ eurPerKwh: 0.02, slot: 'slot 5' });
    expect(withPlannedSlot(boiler, later, T0 + 5 * SLOT_MS).plannedLater).toEqual({ eurPerKwh: 0.3, slot: 'slot 6' });
    expect(withPlannedSlot(boiler, later, T0 + 6 * SLOT_MS).plannedLater).toBeUndefined();
  });

  it('counts no energy cheaper later where a later price is not known', () => {
    const unknown = { boiler: [slot(3, 0.006), slot(5, null)] };
    expect(withPlannedSlot(boiler, unknown, T0)).toBe(boiler);
  });
});

/** The planner's input from the session's request, as the child process makes it. */
const inputOf = (session: PlannerSession, nowMs: number, optimiser: OptimiserView) => plannerInputOf(JSON.parse(JSON.stringify(session.request(nowMs, optimiser))));

/** A session planning a pool pump's two hours a day, and the optimiser it reads its loads and site from. */
function poolSession() {
  return new PlannerSession({
    deviceId: 'planner', timeZone: 'UTC', horizonHours: 24, tariff: [], exportEurPerKwh: 0.08,
    configuredJobs: parseConfiguredJobs('[{ "loadId": "pool", "runtimeMinutes": 120, "by": "20:00" }]'),
  });
}
function optimiserWithPool(site: OptimiserView['site'], pool: Partial<LoadConfig> = {}): OptimiserView {
  return {
    loadConfig: (id) => (id === 'pool' ? ({ id: 'pool', kind: 'on_off', powerW: 800, priority: 1, mode: 'surplus', ...pool } as LoadConfig) : undefined),
    site,
    sources: { gridDevice: 'grid' },
    voltageV: 230,
  };
}

describe('the load state the planner starts from', () => {
  it('passes each load on/off state and since when, so minimum on/off times hold across the start of a plan', () => {
    const t0 = Date.UTC(2026, 5, 1, 10, 0);
    const session = poolSession();
    const optimiser = optimiserWithPool({}, { minOnSeconds: 1800, minOffSeconds: 600 });
    session.loadReadings({ pool: { powerW: 800, on: true } }, t0);
    session.loadReadings({ pool: { powerW: 800, on: true } }, t0 + 60_000);
    expect(inputOf(session, t0 + 120_000, optimiser).input?.loads[0].state).toEqual({ on: true, sinceMs: t0 });
    session.loadReadings({ pool: { powerW: 0, on: false } }, t0 + 180_000);
    expect(inputOf(session, t0 + 200_000, optimiser).input?.loads[0].state).toEqual({ on: false, sinceMs: t0 + 180_000 });
  });
});

describe('the site limits the planner gets', () => {
  it('takes the strictest feed-in limit, a share of PV peak included, and the grid connection limit', () => {
    const t0 = Date.UTC(2026, 5, 1, 10, 0);
    const session = poolSession();
    expect(inputOf(session, t0, optimiserWithPool({ exportLimitPctOfPvPeak: 60, pvPeakW: 10_000, importCapW: 11_000 })).input?.site).toEqual({ exportLimitW: 6000, importCapW: 11_000 });
    expect(inputOf(session, t0, optimiserWithPool({ exportLimitW: 4000, exportLimitPctOfPvPeak: 60, pvPeakW: 10_000 })).input?.site).toEqual({ exportLimitW: 4000 });
    expect(inputOf(session, t0, optimiserWithPool({})).input?.site).toEqual({});
    // The main fuse bounds the grid connection too: 25 A × 3 × 230 V.
    expect(inputOf(session, t0, optimiserWithPool({ importCapW: 20_000, fuseLimitA: 25 })).input?.site).toEqual({ importCapW: 17_250 });
  });
});

describe('the battery the planner gets', () => {
  it('has its measured state of charge and its daily target due at the next local "HH:MM"', () => {
    const t0 = Date.UTC(2026, 5, 1, 18, 0);
    const battery = { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, holdOnly: true };
    const session = new PlannerSession({
      deviceId: 'planner', timeZone: 'Europe/Berlin', horizonHours: 24, tariff: [], exportEurPerKwh: 0.08, configuredJobs: [],
      battery: { ...battery, targetSoc: { socPct: 80, byTime: '07:00' } },
    });
    const sources = { gridDevice: 'grid', batteryDevice: 'bms' };
    session.reading({ device: 'bms', timestamp: new Date(t0).toISOString(), values: { battery_soc_pct: 42 } }, sources, 0, t0);
    const optimiser = { ...optimiserWithPool({}), sources };
    // 07:00 in Berlin (UTC+2 in June) is 05:00 UTC the next morning.
    expect(inputOf(session, t0, optimiser).input?.battery).toEqual({ ...battery, socPct: 42, targetSoc: { socPct: 80, byMs: Date.UTC(2026, 5, 2, 5, 0) } });
  });
});

describe('load power as the planner sees it', () => {
  const powers: Array<[string, object, object]> = [
    ['on/off', { kind: 'on_off', powerW: 2000 }, { kind: 'on_off', powerW: 2000 }],
    ['stepped', { kind: 'stepped', stagePowersW: [1000, 2000] }, { kind: 'stepped', stagePowersW: [1000, 2000] }],
    ['power set-point', { kind: 'modulating', control: 'power', minPowerW: 300, maxPowerW: 3000 }, { kind: 'modulating', minPowerW: 300, maxPowerW: 3000 }],
    ['charger, phases auto: 1 phase at minimum, 3 at maximum', { kind: 'modulating', control: 'current', minCurrentA: 6, maxCurrentA: 16, phases: 'auto' }, { minPowerW: 1380, maxPowerW: 11040 }],
    ['charger, 1 phase', { kind: 'modulating', control: 'current', minCurrentA: 6, maxCurrentA: 16, phases: 1 }, { minPowerW: 1380, maxPowerW: 3680 }],
    ['SG Ready: its boost', { kind: 'sg_ready', recommendThresholdW: 1000, forceOnThresholdW: 3000, boostPowerW: 1500 }, { kind: 'on_off', powerW: 1500 }],
  ];
  it.each(powers)('load power: %s', (_name, config, expected) => {
    expect(loadPowerOf({ id: 'x', priority: 1, mode: 'surplus', ...config } as LoadConfig, 230)).toMatchObject(expected);
  });
});

describe('the progress of a job under way', () => {
  it('tells a run under way what its load drew, from a request that crossed to another process as JSON, and keeps it running', () => {
    const t0 = Date.UTC(2026, 5, 1, 10, 0);
    const session = new PlannerSession({
      deviceId: 'planner', timeZone: 'UTC', horizonHours: 24, tariff: [], exportEurPerKwh: 0.08,
      configuredJobs: parseConfiguredJobs('[{ "loadId": "pool", "runtimeMinutes": 120, "by": "20:00", "interruptible": false }]'),
    });
    for (let minute = 0; minute <= 30; minute += 1) session.loadReadings({ pool: { powerW: 800, on: true } }, t0 + minute * 60_000);
    const job = inputOf(session, t0 + 30 * 60_000, optimiserWithPool({})).input?.loads[0].jobs[0];
    expect(job).toMatchObject({ kind: 'runtime', doneMinutes: 30, runningMinutesLeft: 90 });
  });
});
