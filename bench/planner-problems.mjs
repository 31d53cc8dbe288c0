// Planner inputs for the benchmarks: a household with `loadCount` deadline loads (EVs, water
// heaters, pool pumps, heat-pump boosts, dishwashers in turn) over `slotCount` 15-minute slots,
// priced with the real 15-minute DE-LU day-ahead week (the whole week is in test/fixtures/data) plus grid fees.
// Importing this module has no side effects (bench/run-all.mjs runs every .mjs here).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PRICE_WEEK = join(here, '..', 'test', 'fixtures', 'data', 'prices_dayahead_15min_de_lu_2025-10-07_2025-10-13.csv');

/** A German dynamic tariff: spot + 0.20 EUR/kWh grid fees and levies, all + 19 % VAT; export paid at spot. */
export function tariffFromSpot(spotEurPerMwh) {
  const spot = spotEurPerMwh / 1000;
  return { importEurPerKwh: (spot + 0.2) * 1.19, exportEurPerKwh: spot };
}

function spotQuarterHours() {
  const lines = readFileSync(PRICE_WEEK, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [timestamp, price] = line.split(',');
    return { startMs: Date.parse(timestamp), spot: Number(price) };
  });
}

function pvW(ms, peakW) {
  const hour = ((ms / 3_600_000) % 24 + 24) % 24; // UTC; solar noon near 11:30 UTC in Germany
  const x = (hour - 11.5) / 4.5;
  return x <= -1 || x >= 1 ? 0 : Math.round(peakW * Math.cos((x * Math.PI) / 2) ** 2);
}

function baseW(ms) {
  const hour = ((ms / 3_600_000) % 24 + 24) % 24;
  return 350 + (hour >= 5 && hour < 7 ? 400 : 0) + (hour >= 16 && hour < 20 ? 700 : 0);
}

const HOUR = 3_600_000;

const LOAD_TEMPLATES = [
  (id, n) => ({
    id, name: `EV ${n}`, power: { kind: 'modulating', minPowerW: 1380, maxPowerW: n % 2 === 0 ? 11000 : 7400 },
    jobs: [{ id: 'commute', kind: 'energy', energyWh: 12000 + (n % 4) * 3000, window: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], byTime: '07:00', fromTime: '17:00' } }],
  }),
  (id, n) => ({
    id, name: `Water heater ${n}`, power: { kind: 'on_off', powerW: 2000 + (n % 3) * 1000 },
    jobs: [{ id: 'boost', kind: 'runtime', runtimeMinutes: 90 + (n % 3) * 30, interruptible: false, window: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], byTime: '06:00', fromTime: '18:00' } }],
  }),
  (id, n) => ({
    id, name: `Pool pump ${n}`, power: { kind: 'on_off', powerW: 600 + (n % 4) * 200 }, minOnSeconds: 1800, minOffSeconds: 1800,
    jobs: [{ id: 'daily', kind: 'runtime', runtimeMinutes: 240 + (n % 3) * 60, interruptible: true, window: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], byTime: '24:00' } }],
  }),
  (id, n) => ({
    id, name: `Heat pump ${n}`, power: { kind: 'stepped', stagePowersW: [1000 + (n % 3) * 250, 1500] },
    jobs: [{ id: 'heat', kind: 'energy', energyWh: 6000 + (n % 4) * 1500, window: { kind: 'weekly', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], byTime: '22:00', fromTime: '06:00' } }],
  }),
  (id, n, startMs) => ({
    id, name: `Dishwasher ${n}`, power: { kind: 'on_off', powerW: 2000 },
    jobs: [{ id: 'wash', kind: 'runtime', runtimeMinutes: 120, interruptible: false, window: { kind: 'once', deadlineMs: startMs + (14 + (n % 5)) * HOUR, earliestStartMs: startMs + 2 * HOUR } }],
  }),
];

export function benchProblem({ loadCount, slotCount, startMs = Date.parse('2025-10-07T10:00:00Z'), withBattery = true }) {
  const quarterHours = spotQuarterHours();
  const first = quarterHours.findIndex((q) => q.startMs === startMs);
  const slots = Array.from({ length: slotCount }, (_, t) => {
    const q = quarterHours[(first + t) % quarterHours.length];
    const ms = startMs + t * 15 * 60_000;
    return { startMs: ms, ...tariffFromSpot(q.spot), pvForecastW: pvW(ms, 8000 + loadCount * 400), baseLoadForecastW: baseW(ms) * Math.max(1, loadCount / 5) };
  });
  const loads = Array.from({ length: loadCount }, (_, i) => LOAD_TEMPLATES[i % LOAD_TEMPLATES.length](`load-${i}`, Math.floor(i / LOAD_TEMPLATES.length) + 1, startMs));
  return {
    nowMs: startMs,
    timeZone: 'Europe/Berlin',
    slots,
    site: { exportLimitW: 7000 + loadCount * 300, importCapW: 11000 + loadCount * 2500 },
    battery: withBattery ? { capacityWh: 10000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100, socPct: 40 } : undefined,
    loads,
  };
}

export function quantiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), worst: sorted.at(-1) };
}

/**
 * The request hems-planner's session would send for a bench problem (src/engine/planner-session/
 * plan-request.ts): prices and PV as messages, the base load as five weeks of history repeating
 * the problem's daily profile, so the child process builds the same slots.
 */
export function benchRequest(input) {
  const quarterHourMs = 15 * 60_000;
  const dayMs = 86_400_000;
  const history = input.slots
    .flatMap((slot) => Array.from({ length: 35 }, (_, k) => ({ startMs: slot.startMs - (k + 1) * dayMs, powerW: slot.baseLoadForecastW })))
    .filter((sample) => sample.startMs < input.nowMs);
  const unique = [...new Map(history.map((sample) => [sample.startMs, sample])).values()].sort((a, b) => a.startMs - b.startMs);
  return {
    nowMs: input.nowMs,
    timeZone: input.timeZone,
    horizonHours: (input.slots.length * quarterHourMs) / 3_600_000,
    prices: input.slots.map((s) => ({ startMs: s.startMs, endMs: s.startMs + quarterHourMs, importEurPerKwh: s.importEurPerKwh, exportEurPerKwh: s.exportEurPerKwh })),
    tariff: [],
    exportEurPerKwh: 0,
    pvForecast: input.slots.map((s) => ({ startMs: s.startMs, endMs: s.startMs + quarterHourMs, pvW: s.pvForecastW })),
    pvHistory: { samples: [], stepMs: quarterHourMs },
    baseLoadHistory: { samples: unique, stepMs: quarterHourMs },
    site: input.site,
    ...(input.battery ? { battery: input.battery } : {}),
    loads: input.loads,
    progress: {},
    problems: [],
  };
}
