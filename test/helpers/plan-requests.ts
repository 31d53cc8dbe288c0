/**
 * PV-rich sites with every load kind competing for PV (relax and round's tests, planning in a child
 * process), and the plan request a session would send for one.
 */
import type { PlannerInput, PlannerLoad } from '../../src/engine/planner';
import type { PlanRequest } from '../../src/engine/planner-session';

const SLOT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A deterministic pseudo-random sequence (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const LOADS: ((n: number) => PlannerLoad)[] = [
  (n) => ({ id: `ev-${n}`, power: { kind: 'modulating', minPowerW: 1380, maxPowerW: 7400 }, jobs: [{ id: 'trip', kind: 'energy', energyWh: 9000 + n * 2000, window: { kind: 'weekly', weekdays: [...EVERY_DAY], byTime: '07:00', fromTime: '17:00' } }] }),
  (n) => ({ id: `pool-${n}`, power: { kind: 'on_off', powerW: 600 + n * 200 }, minOnSeconds: 1800, minOffSeconds: 1800, jobs: [{ id: 'daily', kind: 'runtime', runtimeMinutes: 240 + n * 60, interruptible: true, window: { kind: 'weekly', weekdays: [...EVERY_DAY], byTime: '24:00' } }] }),
  (n) => ({ id: `heat-pump-${n}`, power: { kind: 'stepped', stagePowersW: [1000 + n * 250, 1500] }, jobs: [{ id: 'heat', kind: 'energy', energyWh: 6000 + n * 1500, window: { kind: 'weekly', weekdays: [...EVERY_DAY], byTime: '22:00', fromTime: '06:00' } }] }),
  (n) => ({ id: `boiler-${n}`, power: { kind: 'on_off', powerW: 2000 + n * 1000 }, jobs: [{ id: 'boost', kind: 'runtime', runtimeMinutes: 90 + n * 30, interruptible: false, window: { kind: 'weekly', weekdays: [...EVERY_DAY], byTime: '06:00', fromTime: '18:00' } }] }),
];

/** 24 h of a site with `loadCount` loads (every kind in turn), PV (`pvPerLoadW` more for each load), a battery, an export limit and prices that wander, from `nowMs`. */
export function pvRichSite(seed: number, loadCount: number, nowMs: number, pvPerLoadW = 600): PlannerInput {
  const next = random(seed);
  const slots = Array.from({ length: 96 }, (_, t) => {
    const startMs = nowMs + t * SLOT_MS;
    const hour = (startMs / 3_600_000) % 24;
    const sun = Math.max(0, Math.cos(((hour - 12) / 7) * (Math.PI / 2)));
    return {
      startMs,
      importEurPerKwh: 0.25 + 0.1 * Math.sin((hour / 24) * 2 * Math.PI) + 0.05 * next(),
      exportEurPerKwh: 0.08,
      pvForecastW: Math.round(sun ** 2 * (pvPerLoadW * 10 + loadCount * pvPerLoadW) * (0.7 + 0.3 * next())),
      baseLoadForecastW: 400 + Math.round(600 * next()),
    };
  });
  return {
    nowMs,
    timeZone: 'UTC',
    slots,
    site: { exportLimitW: 6000, importCapW: 12_000 + loadCount * 1500 },
    battery: { capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: 40 },
    loads: Array.from({ length: loadCount }, (_, i) => LOADS[i % LOADS.length](Math.floor(i / LOADS.length))),
  };
}

/**
 * The request a session would send for this 24 h input: prices and PV as the messages bring them,
 * the base load as four weeks of history that repeat it every day (so its profile is the forecast).
 */
export function requestFor(input: PlannerInput): PlanRequest {
  const history = input.slots.flatMap((slot) => Array.from({ length: 35 }, (_, k) => ({ startMs: slot.startMs - (k + 1) * DAY_MS, powerW: slot.baseLoadForecastW })));
  return {
    nowMs: input.nowMs,
    timeZone: input.timeZone,
    horizonHours: (input.slots.length * SLOT_MS) / 3_600_000,
    prices: input.slots.map((s) => ({ startMs: s.startMs, endMs: s.startMs + SLOT_MS, importEurPerKwh: s.importEurPerKwh ?? 0, exportEurPerKwh: s.exportEurPerKwh ?? 0 })),
    tariff: [],
    exportEurPerKwh: 0,
    pvForecast: input.slots.map((s) => ({ startMs: s.startMs, endMs: s.startMs + SLOT_MS, pvW: s.pvForecastW })),
    pvHistory: { samples: [], stepMs: SLOT_MS },
    baseLoadHistory: { samples: history.filter((h) => h.startMs < input.nowMs).sort((a, b) => a.startMs - b.startMs), stepMs: SLOT_MS },
    site: input.site,
    ...(input.battery ? { battery: input.battery } : {}),
    loads: input.loads,
    progress: {},
    problems: [],
  };
}
