/**
 * Runs the real allocator over a series, step by step, with simple physics for the loads and the
 * battery, and adds up the figures people compare strategies by.
 *
 * Each step: the meter sees the house as the last commands left it; the allocator decides; the
 * loads draw what they were told (as far as their demand allows), the battery covers the rest it
 * can, and the grid the remainder. A load with no demand now (car away or full, tank hot, pump
 * done) is passed to the allocator in mode off, as a charger reports "not connected".
 */
import { allocate, EMPTY_MEMORY, maxExportW, type AllocatorMemory, type LoadCommand, type LoadConfig, type LoadReading, type SiteSettings } from '../allocator';
import { commandRuns } from '../optimiser/load-output';
import { STRATEGIES } from '../optimiser/strategy';
import { selfConsumption, type BatteryCommand } from '../battery';
import { batteryPowerW, commandedBatteryPowerW, socAfter } from './battery';
import { demandModel, type DemandState } from './demand';
import type { PlanNow } from '../optimiser/planned-slots';
import { SLOT_MS } from '../planner';
import { planningLoop, type PlanningLoop, type PlanningOptions, type PlanningStats } from './planning-loop';
import type { Scenario, SimulationStrategy } from './scenario';
import type { SeriesRow } from './series';

export interface LoadKpis {
  energy_kwh: number;
  deadlines_met: number;
  deadlines_missed: number;
  switches: number;
}

export interface MissedDeadline {
  load: string;
  due: string;
  /** What the physics delivered and, with the planner, what the last plan said about it. */
  reason: string;
}

export interface SimulationKpis {
  scenario: string;
  strategy: string;
  days: number;
  import_kwh: number;
  export_kwh: number;
  self_consumption_pct: number;
  self_sufficiency_pct: number;
  cost_eur: number;
  peak_import_w: number;
  deadlines_met: number;
  deadlines_missed: number;
  /** Starts plus stops of actually drawing power, per load and day; `total` is over all loads. */
  switches_per_load_per_day: { total: number; per_load: Record<string, number> };
  pv_kwh: number;
  /** PV energy the managed loads drew (PV covers the house first). */
  pv_to_loads_kwh: number;
  curtailed_kwh: number;
  consumption_kwh: number;
  loads: Record<string, LoadKpis>;
  missed_deadlines: MissedDeadline[];
  /** With the planner: how often it planned and how long that took. */
  planning?: PlanningStats;
}

/** One row of the optional result CSV: averages over a series interval. */
export interface IntervalResult {
  startMs: number;
  baseLoadW: number;
  pvW: number;
  gridW: number;
  batteryW: number;
  batterySocPct: number | null;
  loadW: Record<string, number>;
}

export interface SimulationResult {
  kpis: SimulationKpis;
  intervals: IntervalResult[];
}

const J_PER_KWH = 3_600_000;
/** Without the planner (or before its first plan) the battery runs on its own. */
const SELF_CONSUMPTION: BatteryCommand = selfConsumption('no plan: the battery runs on its own');

interface LoadSim {
  config: LoadConfig;
  /** The config with mode off, for steps without demand: made once, as the allocator resolves each config object once. */
  offConfig: LoadConfig;
  /** The config with what the plan says now, made when that changes (once a slot). */
  plannedConfig?: { planned: PlanNow; config: LoadConfig };
  model: ReturnType<typeof demandModel>;
  spec: Scenario['loads'][number]['demand'];
  state: DemandState;
  drawW: number;
  command?: LoadCommand;
  running: boolean;
  energyKwh: number;
  switches: number;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function readingOf(load: LoadSim): LoadReading {
  const reading: LoadReading = { on: load.command ? commandRuns(load.command) : false, powerW: load.drawW };
  if (load.command?.kind === 'stepped') reading.stage = load.command.stage;
  if (load.command?.kind === 'modulating' && load.command.phases !== undefined) reading.phases = load.command.phases;
  if (load.command?.kind === 'sg_ready') reading.sgReadyState = load.command.sgReadyState;
  return reading;
}

/** What the load draws for its command: the command's power when it runs, as far as its demand takes it. */
function drawFor(load: LoadSim, command: LoadCommand, stepSeconds: number): number {
  if (!commandRuns(command)) return 0;
  return Math.max(0, Math.min(command.powerW, load.model.maxDrawW(load.spec, load.state, stepSeconds)));
}

/** Under the planner each load keeps its mode, except that the plan replaces a minimum drawn from the grid whatever the price. */
const plannerLoadsFor = (loads: readonly LoadConfig[]): LoadConfig[] => loads.map((load) => (load.mode === 'min_surplus' ? { ...load, mode: 'surplus' as const } : load));

const LOADS_FOR: Record<SimulationStrategy, (loads: readonly LoadConfig[]) => LoadConfig[]> = {
  pv_surplus: STRATEGIES.pv_surplus.loadsFor,
  no_control: STRATEGIES.no_control.loadsFor,
  planner: plannerLoadsFor,
};

export interface SimulationOptions {
  keepIntervals?: boolean;
  /** For the planner strategy: solver, forecast, horizon. */
  planning?: PlanningOptions;
}

/** The config this step: off without demand, else with the plan's slot when there is one. */
function stepConfig(load: LoadSim, available: boolean, planned: PlanNow | undefined): LoadConfig {
  if (!available) return load.offConfig;
  if (!planned || (!planned.planned && !planned.plannedLater)) return load.config;
  if (load.plannedConfig?.planned !== planned) load.plannedConfig = { planned, config: { ...load.config, ...planned } };
  return load.plannedConfig.config;
}

/**
 * What the inverter gives: where it holds export itself, no more than the site takes (`takenW`)
 * plus the export it allows (its output is not limited as well: the export limit is its only
 * control, as for a `hems-inverter-limit` on the grid-export register); else the PV available
 * under the allocator's inverter limit.
 */
function pvGivenW(availableW: number, inverterLimitW: number | null, heldExportW: number | null, takenW: number): number {
  if (heldExportW !== null) return Math.max(0, Math.min(availableW, takenW + heldExportW));
  return inverterLimitW === null ? availableW : Math.min(availableW, inverterLimitW);
}

export function simulate(scenario: Scenario, series: readonly SeriesRow[], options: SimulationOptions = {}): SimulationResult {
  const stepSeconds = scenario.stepSeconds;
  const stepMs = stepSeconds * 1000;
  const configs = LOADS_FOR[scenario.strategy](scenario.loads.map((l) => l.config));
  const loads: LoadSim[] = scenario.loads.map((l, i) => {
    const model = demandModel(l.demand);
    return { config: configs[i], offConfig: { ...configs[i], mode: 'off' }, model, spec: l.demand, state: model.initial(l.demand), drawW: 0, running: false, energyKwh: 0, switches: 0 };
  });
  const planning: PlanningLoop | undefined = scenario.strategy === 'planner' ? planningLoop(scenario, series, options.planning ?? {}) : undefined;
  // A negative feed-in price makes export a cost: the planner strategy then curtails PV to zero export.
  const noExportSite: SiteSettings = { ...scenario.site, exportLimitW: 0 };
  const missed: MissedDeadline[] = [];
  const battery = scenario.battery;
  let socPct = battery?.initialSocPct ?? 0;
  let memory: AllocatorMemory = EMPTY_MEMORY;
  let inverterLimitW: number | null = null;
  const inverterHoldsExport = scenario.pvCurtailment === 'inverter';
  // The export limit the inverter holds on its own meter; a probe's export window raises it for a while.
  let heldExportW: number | null = inverterHoldsExport ? maxExportW(scenario.site) : null;
  const batteryRoomW = () => (battery ? batteryPowerW(battery, socPct, Number.MAX_SAFE_INTEGER, stepSeconds) : 0);
  const totals = { importKwh: 0, exportKwh: 0, pvKwh: 0, pvToLoadsKwh: 0, curtailedKwh: 0, consumptionKwh: 0, costEur: 0, peakImportW: 0 };
  const intervals: IntervalResult[] = [];

  for (const row of series) {
    const importPrice = row.importPriceEurPerKwh ?? scenario.prices.importEurPerKwh ?? 0;
    const exportPrice = row.exportPriceEurPerKwh ?? scenario.prices.exportEurPerKwh ?? 0;
    const sums = { gridW: 0, batteryW: 0, pvW: 0, loadW: Object.fromEntries(loads.map((l) => [l.config.id, 0])) as Record<string, number> };
    const steps = Math.round(row.durationMs / stepMs);
    for (let step = 0; step < steps; step += 1) {
      const nowMs = row.startMs + step * stepMs;
      for (const load of loads) {
        const missedBefore = load.state.missed;
        load.state = load.model.advance(load.spec, load.state, nowMs, nowMs + stepMs);
        if (load.state.missed > missedBefore && load.state.lastMiss) missed.push(missedDeadline(load, load.state.lastMiss, planning));
        // The last command keeps running as far as the demand (which may just have changed) allows.
        if (load.command) load.drawW = drawFor(load, load.command, stepSeconds);
      }
      if (planning && nowMs % SLOT_MS === 0) {
        planning.at({ nowMs, demandStates: loads.map((l) => l.state), batterySocPct: battery ? socPct : undefined, drawnKwh: loads.map((l) => l.energyKwh) });
      }
      const batteryCommand = planning?.battery(nowMs) ?? SELF_CONSUMPTION;
      const loadsBeforeW = loads.reduce((sum, l) => sum + l.drawW, 0);
      const pvBeforeW = pvGivenW(row.pvW, inverterLimitW, heldExportW, row.baseLoadW + loadsBeforeW + batteryRoomW());
      const batteryBeforeW = battery ? commandedBatteryPowerW(battery, socPct, pvBeforeW - row.baseLoadW - loadsBeforeW, batteryCommand, stepSeconds) : 0;
      const site = {
        readingsTimestampMs: nowMs,
        gridPowerW: row.baseLoadW + loadsBeforeW + batteryBeforeW - pvBeforeW,
        pvPowerW: pvBeforeW,
        ...(battery ? { batteryPowerW: batteryBeforeW, batterySocPct: socPct } : {}),
        gridPriceEurPerKwh: importPrice,
        exportPriceEurPerKwh: exportPrice,
        loads: Object.fromEntries(loads.map((l) => [l.config.id, readingOf(l)])),
      };
      const available = loads.map((load) =>
        stepConfig(load, load.model.maxDrawW(load.spec, load.state, stepSeconds) > 0, planning?.planned(load.config.id, nowMs)),
      );
      const settings = planning && exportPrice < 0 ? noExportSite : scenario.site;
      const result = allocate({ nowMs, site, loads: available, memory, settings });
      memory = result.memory;
      inverterLimitW = result.site.inverterLimitW;
      if (inverterHoldsExport) heldExportW = result.site.maxExportW;

      result.commands.forEach((command, i) => {
        const load = loads[i];
        load.command = command;
        load.drawW = drawFor(load, command, stepSeconds);
        load.state = load.model.consume(load.spec, load.state, load.drawW, stepSeconds);
        const running = load.drawW > 0;
        if (running !== load.running) load.switches += 1;
        load.running = running;
        load.energyKwh += (load.drawW * stepSeconds) / J_PER_KWH;
        sums.loadW[load.config.id] += load.drawW;
      });
      const loadsW = loads.reduce((sum, l) => sum + l.drawW, 0);
      const consumptionW = row.baseLoadW + loadsW;
      const pvW = pvGivenW(row.pvW, inverterLimitW, heldExportW, consumptionW + batteryRoomW());
      const batteryW = battery ? commandedBatteryPowerW(battery, socPct, pvW - consumptionW, batteryCommand, stepSeconds) : 0;
      if (battery) socPct = socAfter(battery, socPct, batteryW, stepSeconds);
      const gridW = consumptionW + batteryW - pvW;
      const importKwh = (Math.max(0, gridW) * stepSeconds) / J_PER_KWH;
      const exportKwh = (Math.max(0, -gridW) * stepSeconds) / J_PER_KWH;
      totals.importKwh += importKwh;
      totals.exportKwh += exportKwh;
      totals.pvKwh += (pvW * stepSeconds) / J_PER_KWH;
      totals.pvToLoadsKwh += (Math.min(loadsW, Math.max(0, pvW - row.baseLoadW)) * stepSeconds) / J_PER_KWH;
      totals.curtailedKwh += ((row.pvW - pvW) * stepSeconds) / J_PER_KWH;
      totals.consumptionKwh += (consumptionW * stepSeconds) / J_PER_KWH;
      totals.costEur += importKwh * importPrice - exportKwh * exportPrice;
      totals.peakImportW = Math.max(totals.peakImportW, gridW);
      sums.gridW += gridW;
      sums.batteryW += batteryW;
      sums.pvW += pvW;
    }
    if (options.keepIntervals) {
      intervals.push({
        startMs: row.startMs,
        baseLoadW: row.baseLoadW,
        pvW: sums.pvW / steps,
        gridW: sums.gridW / steps,
        batteryW: sums.batteryW / steps,
        batterySocPct: battery ? socPct : null,
        loadW: Object.fromEntries(Object.entries(sums.loadW).map(([id, w]) => [id, w / steps])),
      });
    }
  }
  const kpis = kpisOf(scenario, series, loads, totals);
  return { kpis: { ...kpis, missed_deadlines: missed, ...(planning ? { planning: roundedStats(planning.stats) } : {}) }, intervals };
}

function missedDeadline(load: LoadSim, miss: NonNullable<DemandState['lastMiss']>, planning: PlanningLoop | undefined): MissedDeadline {
  const outcome = planning?.outcome(load.config.id, miss.dueMs);
  const planWord = outcome === undefined ? '' : outcome.kept ? `; the plan kept it (${outcome.reason})` : `; the plan could not keep it: ${outcome.reason}`;
  return { load: load.config.id, due: new Date(miss.dueMs).toISOString(), reason: `${miss.shortfall}${planWord}` };
}

function roundedStats(stats: PlanningStats): PlanningStats {
  return { ...stats, solve_ms_total: Math.round(stats.solve_ms_total), solve_ms_max: Math.round(stats.solve_ms_max) };
}

function kpisOf(scenario: Scenario, series: readonly SeriesRow[], loads: LoadSim[], totals: Record<string, number>): Omit<SimulationKpis, 'missed_deadlines'> {
  const last = series[series.length - 1];
  const days = (last.startMs + last.durationMs - series[0].startMs) / 86_400_000;
  const perLoad = Object.fromEntries(loads.map((l) => [l.config.id, round(l.switches / days, 2)]));
  const allSwitches = loads.reduce((sum, l) => sum + l.switches, 0);
  const pct = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole, 1) : 0);
  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    days: round(days, 2),
    import_kwh: round(totals.importKwh, 1),
    export_kwh: round(totals.exportKwh, 1),
    self_consumption_pct: pct(totals.pvKwh - totals.exportKwh, totals.pvKwh),
    self_sufficiency_pct: pct(totals.consumptionKwh - totals.importKwh, totals.consumptionKwh),
    cost_eur: round(totals.costEur, 2),
    peak_import_w: Math.round(totals.peakImportW),
    deadlines_met: loads.reduce((sum, l) => sum + l.state.met, 0),
    deadlines_missed: loads.reduce((sum, l) => sum + l.state.missed, 0),
    switches_per_load_per_day: { total: loads.length > 0 ? round(allSwitches / loads.length / days, 2) : 0, per_load: perLoad },
    pv_kwh: round(totals.pvKwh, 1),
    pv_to_loads_kwh: round(totals.pvToLoadsKwh, 1),
    curtailed_kwh: round(totals.curtailedKwh, 1),
    consumption_kwh: round(totals.consumptionKwh, 1),
    loads: Object.fromEntries(
      loads.map((l) => [l.config.id, { energy_kwh: round(l.energyKwh, 1), deadlines_met: l.state.met, deadlines_missed: l.state.missed, switches: l.switches }]),
    ),
  };
}
