// KPIs of the planning strategies on the real data: both households (series/*.csv from
// scripts/make-series.mjs: day-ahead price + grid fees, levies and VAT; fixed feed-in tariff) and
// both example scenarios (scenarios/*.json).
//
//   (a) no control            every job runs at full power as soon as its window opens; battery self-consumption
//   (b) greedy surplus only   the allocator (PV surplus by priority), through `hems simulate`'s engine
//   (c) greedy cheapest-slot  planGreedy over the 36 h of known prices, re-planned daily; battery self-consumption
//   (d) planner, perfect      MILP re-planned daily at 12:00 UTC over 48 h (prices known for 36 h, the rest unknown),
//                             actual PV and base load as forecast
//   (e) planner, persistence  as (d), re-planned every hour (REPLAN_SLOTS=4), with PV persistence (3 days,
//                             scaled to the last two hours' measurement) and the base-load profile (28 days)
//   (f) offline optimum       MILP with a 72 h look-ahead and every price, perfect forecasts, no node limit, gap 0.01 %;
//                             the battery runs as planned (grid charging, export where it pays)
// (c)–(f) run with the real-time layer on top, as in the product: PV that would still be exported
// goes to loads with work left, in priority order, and a load whose job got done skips its slots.
//
// (a) and (c)–(f) run in this script's own day-by-day evaluation on 15-minute slots, so they share
// one model of the loads (jobs from bench/planner-scenario.mjs) and of the battery; (b) and, for
// comparison, (a) also come from `hems simulate` (60 s steps, its tank and session physics), whose
// energy per load differs a little. Executing a plan: loads draw what it says; under (d) and (e) the
// battery holds to self-consumption but charges from the grid and holds its charge where the plan
// does; under (f) it does what the plan says, whatever that is.
//
//   node bench/planner-kpis.mjs                 # 28 days per household (2016-04-04…, 2024-04-01…)
//   DAYS=0 node bench/planner-kpis.mjs          # every day of both series (slow: about 10 min per household and scenario)
//   HOUSEHOLD=1 SCENARIO=0 node bench/planner-kpis.mjs   # one pair only (indices into the lists below), to run pairs side by side
//   PLAN_DUMP=/tmp/plans node bench/planner-kpis.mjs     # also write the inputs of (d)'s plans slower than 1 s there
//   ONLY=df node bench/planner-kpis.mjs                  # only these strategies (no comparison lines then)
//   DAYS=28 FIRST_DAY=2016-01-04 node bench/planner-kpis.mjs   # another window (a day both series have, or one of them with HOUSEHOLD)
//
// Build first: npx tsc -p tsconfig.json. Builds the series if missing, from the real data in HEMS_DATA_DIR
// (scripts/make-series.mjs; without it, it says where to get the data).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import planner from '../dist/src/engine/planner/index.js';
import forecast from '../dist/src/engine/forecast/index.js';
import simulation from '../dist/src/engine/simulation/index.js';
import { ensureSeries } from '../scripts/lib/data-dir.mjs';
import { plannerPartsOfScenario } from './planner-scenario.mjs';

const { plan, planGreedy, loadHighsSolver, jobInstances, selfConsumptionDispatch } = planner;
const { pvNowcastForecast, baseLoadProfileForecast } = forecast;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SLOT_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DECISION_HOUR_UTC = 12;
const DAYS = Number(process.env.DAYS ?? 28);
/** At 12:00 UTC the day-ahead auction has priced the rest of today and tomorrow: 36 h. */
const KNOWN_PRICE_SLOTS = 36 * 4;
const REPLAN_SLOTS = Number(process.env.REPLAN_SLOTS ?? 4);

const HOUSEHOLDS = [
  { name: 'Konstanz (DE)', file: 'konstanz-hourly.csv', firstDay: '2016-04-04' },
  { name: 'France (EMHASS)', file: 'france-30min.csv', firstDay: '2024-04-01' },
];
const SCENARIOS = ['family-ev-heatpump-pool-battery.json', 'small-home-ev-water-heater.json'];
const only = (list, index) => (index === undefined ? list : [list[Number(index)]]);

/** The series at 15 minutes: each row's values hold for its whole interval. */
function quarterHours(text) {
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
  return rows.flatMap((row, i) => {
    const startMs = Date.parse(row.timestamp);
    const endMs = i + 1 < rows.length ? Date.parse(rows[i + 1].timestamp) : startMs + (startMs - Date.parse(rows[i - 1].timestamp));
    return Array.from({ length: Math.round((endMs - startMs) / SLOT_MS) }, (_, k) => ({
      startMs: startMs + k * SLOT_MS,
      baseW: Number(row.base_load_w),
      pvW: Number(row.pv_w),
      importEurPerKwh: Number(row.import_price_eur_per_kwh),
      exportEurPerKwh: Number(row.export_price_eur_per_kwh),
    }));
  });
}

function plannerSlots(series, from, to, forecastOf) {
  const part = series.slice(from, Math.min(to, series.length));
  const { pvW, baseW } = forecastOf(part);
  return part.map((s, i) => ({ startMs: s.startMs, importEurPerKwh: s.importEurPerKwh, exportEurPerKwh: s.exportEurPerKwh, pvForecastW: pvW[i], baseLoadForecastW: baseW[i] }));
}

const perfect = (part) => ({ pvW: part.map((s) => s.pvW), baseW: part.map((s) => s.baseW) });

function persistence(series, nowIndex) {
  const history = series.slice(Math.max(0, nowIndex - 30 * 96), nowIndex);
  const pv = { samples: history.map((s) => ({ startMs: s.startMs, powerW: s.pvW })), stepMs: SLOT_MS };
  const base = { samples: history.map((s) => ({ startMs: s.startMs, powerW: s.baseW })), stepMs: SLOT_MS };
  const nowMs = series[nowIndex].startMs;
  return (part) => {
    const starts = part.map((s) => s.startMs);
    return { pvW: pvNowcastForecast(pv, starts, nowMs), baseW: baseLoadProfileForecast(base, starts, nowMs, 'UTC') };
  };
}

const occurrenceKey = (instance) => `${instance.load.id}/${instance.job.id}/${instance.deadlineMs}`;

/** Every job occurrence whose window lies inside the evaluated period: the promises to keep. */
function periodOccurrences(parts, series, from, to) {
  const slots = series.slice(from, to).map((s) => ({ startMs: s.startMs, importEurPerKwh: 0, exportEurPerKwh: 0, pvForecastW: 0, baseLoadForecastW: 0 }));
  const startMs = series[from].startMs;
  const instances = jobInstances({ nowMs: startMs, timeZone: 'UTC', slots, site: {}, loads: parts.loads });
  return instances.filter((i) => i.earliestMs >= startMs && i.deadlineMs <= series[to - 1].startMs + SLOT_MS);
}

/** Loads as the planner sees them at nowMs: what is already done of each occurrence under way. */
function loadsWithProgress(parts, delivered, input, periodStartMs) {
  const progress = new Map();
  for (const instance of jobInstances(input)) {
    if (instance.earliestMs > input.nowMs) continue;
    const before = instance.earliestMs < periodStartMs;
    progress.set(`${instance.load.id}/${instance.job.id}`, before ? Number.POSITIVE_INFINITY : (delivered.get(occurrenceKey(instance)) ?? 0));
  }
  return parts.loads.map((load) => ({
    ...load,
    jobs: load.jobs.map((job) => {
      const done = progress.get(`${load.id}/${job.id}`);
      if (done === undefined) return job;
      // An occurrence that opened before the evaluation started counts as done (tank full, no car yet).
      return job.kind === 'energy' ? { ...job, doneWh: Math.min(job.energyWh, done * 1000) } : { ...job, doneMinutes: Math.min(job.runtimeMinutes, done * 15) };
    }),
  }));
}

/** Runs one strategy day by day; returns cost, energies and promises kept. */
function evaluate(strategy, parts, series, from, to, solver) {
  const occurrences = periodOccurrences(parts, series, from, to);
  const delivered = new Map();
  const battery = parts.battery && { ...parts.battery };
  let socPct = battery?.socPct ?? null;
  const totals = { costEur: 0, importKwh: 0, exportKwh: 0, loadKwh: 0, curtailedKwh: 0, solves: [], fallbacks: 0 };
  const tail = openAtEnd(parts, series, from, to);
  const tailEndMs = Math.max(series[to - 1].startMs + SLOT_MS, ...tail.map((i) => i.deadlineMs));
  const last = Math.max(to, Math.min(series.length - 96, to + Math.ceil((tailEndMs - series[to - 1].startMs - SLOT_MS) / DAY_MS) * 96));
  const step = strategy.replanSlots ?? 96;
  for (let dayStart = from; dayStart < last; dayStart += step) {
    const input = {
      nowMs: series[dayStart].startMs,
      timeZone: 'UTC',
      slots: plannerSlots(series, dayStart, dayStart + strategy.horizonSlots, strategy.forecast(series, dayStart)),
      site: parts.site,
      battery: battery && { ...battery, socPct },
      loads: parts.loads,
    };
    input.loads = dayStart < to ? loadsWithProgress(parts, delivered, input, series[from].startMs) : tailLoads(parts, tail, delivered);
    const result = strategy.plan(input);
    if (result.solveMs !== undefined) totals.solves.push(result.solveMs);
    if (result.fallbackReason) totals.fallbacks += 1;
    const instances = jobInstances(input);
    const executed = step;
    for (let t = 0; t < executed; t += 1) {
      const actual = series[dayStart + t];
      const current = new Map(parts.loads.map((load) => [load.id, instances.find((i) => i.load.id === load.id && i.earliestMs <= actual.startMs && actual.startMs < i.deadlineMs)]));
      const deliver = (load, w) => {
        const instance = current.get(load.id);
        if (!instance) return;
        const key = occurrenceKey(instance);
        delivered.set(key, (delivered.get(key) ?? 0) + (instance.job.kind === 'energy' ? (w * 0.25) / 1000 : 1));
      };
      let loadsW = 0;
      const running = new Set();
      for (const load of parts.loads) {
        // A load whose occurrence is already complete (surplus got there first) skips its planned slot.
        const w = Math.min(result.loadW.get(load.id)?.[t] ?? 0, stillNeededW(load, current.get(load.id), delivered, series[from].startMs));
        if (w <= 0) continue;
        loadsW += w;
        running.add(load.id);
        deliver(load, w);
      }
      const planned = result.site[t];
      const pvW = Math.max(0, actual.pvW - (planned.pvCurtailedW ?? 0));
      let netW = actual.baseW + loadsW - pvW;
      let batteryW = 0;
      if (battery) {
        const oneWay = Math.sqrt(battery.roundTripEfficiency);
        const storedWh = (battery.capacityWh * socPct) / 100;
        const wantW = BATTERY_FOLLOWERS[strategy.battery ?? 'self_consumption'](planned, netW);
        const maxChargeW = Math.min(battery.maxChargeW, ((battery.capacityWh * battery.maxSocPct) / 100 - storedWh) / (oneWay * 0.25));
        const maxDischargeW = Math.min(battery.maxDischargeW, ((storedWh - (battery.capacityWh * battery.minSocPct) / 100) * oneWay) / 0.25);
        batteryW = Math.max(-Math.max(0, maxDischargeW), Math.min(Math.max(0, maxChargeW), wantW));
        const newWh = storedWh + (batteryW >= 0 ? batteryW * oneWay : batteryW / oneWay) * 0.25;
        socPct = (newWh / battery.capacityWh) * 100;
      }
      if (strategy.surplusOnTop) {
        // The real-time layer: what would still be exported goes to loads with work left, in priority order.
        for (const load of parts.loads) {
          const exportW = -(netW + batteryW);
          const w = running.has(load.id) ? 0 : Math.min(surplusDrawW(load.power, exportW), stillNeededW(load, current.get(load.id), delivered, series[from].startMs));
          if (w <= 0) continue;
          netW += w;
          loadsW += w;
          deliver(load, w);
        }
      }
      let gridW = netW + batteryW;
      const exportLimitW = parts.site.exportLimitW ?? Number.POSITIVE_INFINITY;
      const allowedExportW = actual.exportEurPerKwh < 0 ? 0 : exportLimitW;
      const curtailW = Math.min(pvW, Math.max(0, -gridW - allowedExportW));
      gridW += curtailW;
      const importKwh = (Math.max(0, gridW) * 0.25) / 1000;
      const exportKwh = (Math.max(0, -gridW) * 0.25) / 1000;
      totals.importKwh += importKwh;
      totals.exportKwh += exportKwh;
      totals.loadKwh += (loadsW * 0.25) / 1000;
      totals.curtailedKwh += ((curtailW + (actual.pvW - pvW)) * 0.25) / 1000;
      totals.costEur += importKwh * actual.importEurPerKwh - exportKwh * actual.exportEurPerKwh;
    }
  }
  occurrences.push(...tail);
  const kept = occurrences.filter((i) => {
    const got = delivered.get(occurrenceKey(i)) ?? 0;
    return i.job.kind === 'energy' ? got + 0.01 >= i.remaining : got >= i.remaining;
  }).length;
  const settledEur = battery ? costToGo(parts, series, last, socPct, solver) - costToGo(parts, series, last, battery.socPct, solver) : 0;
  return { ...totals, rawCostEur: totals.costEur, costEur: totals.costEur + settledEur, kept, promised: occurrences.length, endSocPct: socPct, tailDays: (last - to) / 96 };
}

const SETTLING_SLOTS = 48 * 4;

/**
 * Strategies leave the battery differently charged; each end state is settled at what the house
 * would pay over the next 48 h with the battery run optimally from it (perfect forecasts, no
 * managed loads, what is left after 48 h at the mean import price × efficiency), against the same
 * from the starting state. A flat price per kWh, as before, made a battery caught half-way through
 * refilling from PV at the end look as dear as one refilled from the grid.
 */
function costToGo(parts, series, at, socPct, solver) {
  const slots = plannerSlots(series, at, at + SETTLING_SLOTS, perfect);
  const meanImport = slots.reduce((sum, s) => sum + s.importEurPerKwh, 0) / slots.length;
  const endValueEurPerKwh = meanImport * parts.battery.roundTripEfficiency;
  const battery = { ...parts.battery, socPct, endValueEurPerKwh };
  const p = plan({ nowMs: slots[0].startMs, timeZone: 'UTC', slots, site: parts.site, battery, loads: [] }, { solver });
  const endKwh = ((p.site.at(-1).socPct / 100) * battery.capacityWh) / 1000;
  return p.cost.totalEur - endKwh * endValueEurPerKwh;
}

/** After the period only the jobs it opened remain, each as a one-off job with what it got so far. */
function tailLoads(parts, tail, delivered) {
  return parts.loads.map((load) => ({
    ...load,
    jobs: tail
      .filter((i) => i.load.id === load.id)
      .map((i) => {
        const done = delivered.get(occurrenceKey(i)) ?? 0;
        const window = { kind: 'once', deadlineMs: i.deadlineMs, earliestStartMs: i.earliestMs };
        return i.job.kind === 'energy' ? { ...i.job, window, doneWh: Math.min(i.job.energyWh, done * 1000) } : { ...i.job, window, doneMinutes: Math.min(i.job.runtimeMinutes, done * 15) };
      }),
  }));
}

function maxPowerW(power) {
  return power.kind === 'on_off' ? power.powerW : power.kind === 'stepped' ? power.stagePowersW.reduce((a, b) => a + b, 0) : power.maxPowerW;
}

/** Occurrences that open inside the period but are due after it. */
function openAtEnd(parts, series, from, to) {
  const endMs = series[to - 1].startMs + SLOT_MS;
  const slots = series.slice(from, Math.min(series.length, to + 4 * 96)).map((s) => ({ startMs: s.startMs, importEurPerKwh: 0, exportEurPerKwh: 0, pvForecastW: 0, baseLoadForecastW: 0 }));
  const instances = jobInstances({ nowMs: series[from].startMs, timeZone: 'UTC', slots, site: {}, loads: parts.loads });
  return instances.filter((i) => i.earliestMs >= series[from].startMs && i.earliestMs < endMs && i.deadlineMs > endMs);
}

/** What a load may still draw in this slot for its current occurrence. */
function stillNeededW(load, instance, delivered, periodStartMs) {
  // Occurrences opened before the evaluation count as done (tank full, no car yet).
  if (!instance || instance.earliestMs < periodStartMs) return 0;
  const got = delivered.get(occurrenceKey(instance)) ?? 0;
  // The whole occurrence's need: `remaining` is net of what was done before the plan was made.
  const left = (instance.job.kind === 'energy' ? instance.job.energyWh / 1000 : Math.ceil(instance.job.runtimeMinutes / 15)) - got;
  if (left <= 1e-9) return 0;
  // An energy job's load stops when it is done (a thermostat, a full car), whatever it was told.
  return instance.job.kind === 'energy' ? Math.min(maxPowerW(load.power), (left * 1000) / 0.25) : maxPowerW(load.power);
}

/** What a load draws from a surplus: a modulating one follows it from its minimum, the others start only when it covers their first stage. */
function surplusDrawW(power, surplusW) {
  if (power.kind === 'modulating') return surplusW >= power.minPowerW ? Math.min(power.maxPowerW, surplusW) : 0;
  if (power.kind === 'on_off') return surplusW >= power.powerW ? power.powerW : 0;
  let total = 0;
  for (const stage of power.stagePowersW) if (total + stage <= surplusW) total += stage;
  return total;
}

/**
 * The battery under a plan: self-consumption, as the actual PV and load call for, except that it
 * charges from the grid where the plan does, and discharges no deeper than planned where the plan
 * imports instead (keeping energy for dearer hours). With perfect forecasts this is the plan.
 */
function batteryFollowingPlan(planned, netW) {
  const selfConsumptionW = -netW;
  if (planned.batteryW > 0 && planned.gridW > 0) return Math.max(selfConsumptionW, planned.batteryW);
  if (selfConsumptionW < 0 && planned.gridW > 0) return Math.max(selfConsumptionW, Math.min(0, planned.batteryW));
  return selfConsumptionW;
}

/**
 * How the battery is run: (a) and (c) in self-consumption; (d) and (e) as the product can run it
 * today (self-consumption, grid charging and holding where the plan says); (f) as planned, whatever
 * the plan asks (charge from the grid, discharge into export where it pays): the physics, not the
 * product, is its limit. Where the house draws less than planned (a load skips a slot its job no
 * longer needs) it discharges that much less, and charges what would otherwise be exported beyond
 * the plan's export, but never imports for it: keeping the planned grid power instead made it
 * charge from the grid at night for an EV that was already full.
 */
const BATTERY_FOLLOWERS = {
  self_consumption: (_planned, netW) => -netW,
  product: batteryFollowingPlan,
  as_planned: (planned, netW) => {
    const drawsLessW = Math.max(0, planned.gridW - planned.batteryW - netW);
    const dischargesLessW = Math.min(drawsLessW, Math.max(0, -planned.batteryW));
    const wouldExportW = Math.max(0, drawsLessW - dischargesLessW - Math.max(0, planned.gridW));
    return planned.batteryW + dischargesLessW + wouldExportW;
  },
};

/** Prices after the day-ahead auction's reach are unknown; the planner still plans PV and loads over the whole horizon. */
function pricesKnownUntil(input) {
  const lastAuctionMs = input.nowMs - ((input.nowMs - DECISION_HOUR_UTC * HOUR_MS) % DAY_MS);
  const slotCount = (lastAuctionMs + KNOWN_PRICE_SLOTS * SLOT_MS - input.slots[0].startMs) / SLOT_MS;
  return { ...input, slots: input.slots.map((s, t) => (t < slotCount ? s : { ...s, importEurPerKwh: null, exportEurPerKwh: null })) };
}

/** PLAN_DUMP=<dir>: the inputs of plans slower than 1 s, as JSON, to study them (bench/planner-replay.mjs). */
function dumpedIfSlow(input, p) {
  if (process.env.PLAN_DUMP && p.solveMs > 1000) writeFileSync(join(process.env.PLAN_DUMP, `plan-${input.nowMs}.json`), JSON.stringify(input));
  return p;
}

/** A plan → what the executor needs: load power per slot, site flows. */
function fromPlan(p) {
  const loadW = new Map(
    p.loads.map((l) => {
      const bySlot = new Map(l.slots.map((s) => [s.startMs, s.powerW]));
      return [l.loadId, p.site.map((s) => bySlot.get(s.startMs) ?? 0)];
    }),
  );
  return { loadW, site: p.site, solveMs: p.solveMs, fallbackReason: p.fallbackReason };
}

/** No control: each occurrence runs at full power from the moment its window opens. */
function noControlPlan(input) {
  const horizon = planner.horizonOf(input);
  const loadW = new Map(input.loads.map((l) => [l.id, new Array(horizon.slots.length).fill(0)]));
  for (const instance of jobInstances(input, horizon)) {
    const w = loadW.get(instance.load.id);
    const powerW = maxPowerW(instance.load.power);
    let left = instance.remaining;
    for (let t = instance.firstSlot; t < horizon.slots.length && left > 1e-9; t += 1) {
      if (w[t] > 0) continue;
      const slotAmount = instance.job.kind === 'energy' ? (powerW * 0.25) / 1000 : 1;
      const share = Math.min(1, left / slotAmount);
      w[t] = instance.load.power.kind === 'modulating' ? powerW * share : powerW;
      left -= instance.job.kind === 'energy' ? (w[t] * 0.25) / 1000 : 1;
    }
  }
  const totalW = horizon.slots.map((_, t) => [...loadW.values()].reduce((sum, w) => sum + w[t], 0));
  return { loadW, site: selfConsumptionDispatch(horizon.slots, totalW, input.site, input.battery) };
}

async function main() {
  const solver = await loadHighsSolver();
  const strategies = {
    a: { label: '(a) no control', horizonSlots: KNOWN_PRICE_SLOTS, forecast: () => perfect, plan: noControlPlan },
    c: { label: '(c) greedy cheapest-slot', horizonSlots: KNOWN_PRICE_SLOTS, forecast: () => perfect, plan: (i) => fromPlan(planGreedy(i)), surplusOnTop: true },
    d: { label: '(d) planner, perfect forecast', horizonSlots: 48 * 4, forecast: () => perfect, plan: (i) => {
      const input = pricesKnownUntil(i);
      return fromPlan(dumpedIfSlow(input, plan(input, { solver })));
    }, battery: 'product', surplusOnTop: true },
    e: { label: '(e) planner, persistence forecast', horizonSlots: 48 * 4, forecast: persistence, replanSlots: REPLAN_SLOTS, plan: (i) => fromPlan(plan(pricesKnownUntil(i), { solver })), battery: 'product', surplusOnTop: true },
    f: { label: '(f) offline optimum, 72 h', horizonSlots: 72 * 4, forecast: () => perfect, plan: (i) => fromPlan(plan(i, { solver, timeLimitMs: 600_000, nodeLimit: 2 ** 31 - 1, relativeGap: 1e-4 })), battery: 'as_planned', surplusOnTop: true },
  };
  console.log(`planner KPIs, ${DAYS === 0 ? 'every day' : `${DAYS} days`} per household, decisions daily at ${DECISION_HOUR_UTC}:00 UTC (prices known 36 h ahead; (d)/(e) plan 48 h, (f) 72 h with all prices)`);
  for (const household of only(HOUSEHOLDS, process.env.HOUSEHOLD)) {
    const seriesFile = join(root, 'series', household.file);
    ensureSeries(seriesFile);
    const text = readFileSync(seriesFile, 'utf8');
    const series = quarterHours(text);
    const firstMs = DAYS === 0 ? series[0].startMs - (series[0].startMs % DAY_MS) + DAY_MS + DECISION_HOUR_UTC * HOUR_MS : Date.parse(`${process.env.FIRST_DAY ?? household.firstDay}T${String(DECISION_HOUR_UTC).padStart(2, '0')}:00:00Z`);
    const from = series.findIndex((s) => s.startMs === firstMs);
    const to = DAYS === 0 ? from + Math.floor((series.length - from - 3 * 96) / 96) * 96 : from + DAYS * 96;
    for (const scenarioFile of only(SCENARIOS, process.env.SCENARIO)) {
      const raw = JSON.parse(readFileSync(join(root, 'scenarios', scenarioFile), 'utf8'));
      const parts = plannerPartsOfScenario(raw);
      console.log(`\n${household.name} × ${raw.name}: ${new Date(series[from].startMs).toISOString().slice(0, 16)} → ${new Date(series[to - 1].startMs + SLOT_MS).toISOString().slice(0, 16)}`);
      console.log('strategy                              cost EUR  import kWh  export kWh  loads kWh  promises kept  solve ms (median/max)  [cost before settling the battery, end SoC]');
      const results = {};
      for (const [key, strategy] of Object.entries(strategies).filter(([k]) => !process.env.ONLY || process.env.ONLY.includes(k))) {
        const r = evaluate(strategy, parts, series, from, to, solver);
        results[key] = r;
        const sorted = [...r.solves].sort((x, y) => x - y);
        const solve = sorted.length ? `${sorted[Math.floor(sorted.length / 2)].toFixed(0)}/${sorted.at(-1).toFixed(0)}` : '—';
        console.log(
          `${strategy.label.padEnd(36)} ${r.costEur.toFixed(2).padStart(9)} ${r.importKwh.toFixed(0).padStart(10)} ${r.exportKwh.toFixed(0).padStart(11)} ${r.loadKwh.toFixed(0).padStart(10)} ${`${r.kept}/${r.promised}`.padStart(14)}  ${solve.padEnd(20)} [${r.rawCostEur.toFixed(2)}, ${r.endSocPct === null ? '—' : `${r.endSocPct.toFixed(0)} %`}]${r.fallbacks ? `, ${r.fallbacks} greedy fallbacks` : ''}`,
        );
      }
      for (const strategyName of ['no_control', 'pv_surplus']) {
        const scenario = simulation.parseScenario({ ...raw, strategy: strategyName });
        const rows = simulation.parseSeries(text, seriesFile, scenario.stepSeconds * 1000).filter((row) => row.startMs >= series[from].startMs && row.startMs < series[to - 1].startMs + SLOT_MS);
        const { kpis } = simulation.simulate(scenario, rows);
        const label = strategyName === 'no_control' ? '(a) no control, hems simulate' : '(b) greedy surplus, hems simulate';
        const loadKwh = Object.values(kpis.loads).reduce((sum, l) => sum + l.energy_kwh, 0);
        console.log(`${label.padEnd(36)} ${kpis.cost_eur.toFixed(2).padStart(9)} ${kpis.import_kwh.toFixed(0).padStart(10)} ${kpis.export_kwh.toFixed(0).padStart(11)} ${loadKwh.toFixed(0).padStart(10)} ${`${kpis.deadlines_met}/${kpis.deadlines_met + kpis.deadlines_missed}`.padStart(14)}`);
      }
      if (['a', 'c', 'd', 'e', 'f'].some((k) => !results[k])) continue;
      const saving = (k) => results.a.costEur - results[k].costEur;
      console.log(
        `(d) vs (f): ${(((results.d.costEur - results.f.costEur) / Math.abs(results.f.costEur)) * 100).toFixed(2)} % more; ` +
          `share of (f)'s saving over (a): (c) ${((saving('c') / saving('f')) * 100).toFixed(0)} %, (d) ${((saving('d') / saving('f')) * 100).toFixed(0)} %, (e) ${((saving('e') / saving('f')) * 100).toFixed(0)} %; ` +
          `(c) costs ${(((results.c.costEur - results.f.costEur) / Math.abs(results.f.costEur)) * 100).toFixed(1)} % more than (f)`,
      );
    }
  }
}

await main();
