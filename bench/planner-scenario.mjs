// `hems simulate` scenario JSON (docs/simulate.md) → the planner's loads, battery and site.
// Each demand becomes the deadline jobs it implies (times of day in the scenario are UTC):
//   ev_sessions     → an energy job per session: energy_kwh from `arrive` by `depart` (the day
//                     after when depart ≤ arrive; `days` are arrival days, as the simulation reads them)
//   hot_water_tank  → before each draw, reheat what the previous draw took plus the standing loss
//                     since then (the thermostat refills right after a draw; the planner may wait)
//   daily_runtime   → a runtime job: `hours` between `from` and `by`, interruptible
// Importing this module has no side effects (bench/run-all.mjs runs every .mjs here). Build first.

import simulation from '../dist/src/engine/simulation/index.js';
import plannerSession from '../dist/src/engine/planner-session/index.js';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const minutesOf = (clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const nextDay = (days) => days.map((d) => EVERY_DAY[(EVERY_DAY.indexOf(d) + 1) % 7]);

const JOBS = {
  ev_sessions: (demand) =>
    demand.sessions.map((s, i) => {
      const days = s.days ?? EVERY_DAY;
      const overnight = minutesOf(s.depart) <= minutesOf(s.arrive);
      return { id: `session-${i}`, kind: 'energy', energyWh: s.energy_kwh * 1000, window: { kind: 'weekly', weekdays: overnight ? nextDay(days) : days, byTime: s.depart, fromTime: s.arrive } };
    }),
  hot_water_tank: (demand) => {
    const draws = [...demand.draws].sort((a, b) => minutesOf(a.at) - minutesOf(b.at));
    return draws.map((draw, i) => {
      const previous = draws[(i - 1 + draws.length) % draws.length];
      const gapMinutes = (minutesOf(draw.at) - minutesOf(previous.at) + 1440) % 1440 || 1440;
      const energyKwh = previous.kwh + ((demand.loss_kwh_per_day ?? 0) * gapMinutes) / 1440;
      return { id: `before-${draw.at}`, kind: 'energy', energyWh: energyKwh * 1000, window: { kind: 'weekly', weekdays: EVERY_DAY, byTime: draw.at, fromTime: previous.at } };
    });
  },
  daily_runtime: (demand) => [{ id: 'daily', kind: 'runtime', runtimeMinutes: demand.hours * 60, interruptible: true, window: { kind: 'weekly', weekdays: EVERY_DAY, byTime: demand.by, fromTime: demand.from } }],
  always: () => [],
};

/** Loads keep their power as `hems simulate --strategy planner` sees them (loadPowerOf, src/engine/planner-session/load-power.ts); the jobs here are weekly, for the bench's own day-by-day evaluation. */
export function plannerPartsOfScenario(scenario) {
  const parsed = simulation.parseScenario(scenario);
  const loads = scenario.loads.map((l, i) => ({
    id: l.id,
    name: l.name ?? l.id,
    power: plannerSession.loadPowerOf(parsed.loads[i].config, parsed.site.phaseVoltageV),
    minOnSeconds: l.min_on_s,
    minOffSeconds: l.min_off_s,
    jobs: JOBS[l.demand.type](l.demand),
  }));
  const b = scenario.battery;
  const battery = b && {
    capacityWh: b.capacity_kwh * 1000,
    maxChargeW: b.max_charge_w,
    maxDischargeW: b.max_discharge_w,
    roundTripEfficiency: b.efficiency ?? 0.9,
    minSocPct: b.min_soc_pct ?? 0,
    maxSocPct: b.max_soc_pct ?? 100,
    socPct: b.initial_soc_pct ?? 50,
  };
  const site = {};
  if (scenario.site?.export_limit_w !== undefined) site.exportLimitW = scenario.site.export_limit_w;
  if (scenario.site?.import_cap_w !== undefined) site.importCapW = scenario.site.import_cap_w;
  return { loads, battery, site };
}
