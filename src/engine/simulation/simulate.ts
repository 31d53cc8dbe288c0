/**
 * Runs the real allocator over a series, step by step, with simple physics for the loads and the
 * battery, and adds up the figures people compare strategies by.
 *
 * Each step: the meter sees the house as the last commands left it; the allocator decides; the
 * loads draw what they were told (as far as their demand allows), the battery covers the rest it
 * can, and the grid the remainder. A load with no demand now (car away or full, tank hot, pump
 * done) is passed to the allocator in mode off, as a charger reports "not connected".
 */
import { allocate, EMPTY_MEMORY, type AllocatorMemory, type LoadCommand, type LoadConfig, type LoadReading } from '../allocator';
import { commandRuns } from '../optimiser/load-output';
import { STRATEGIES } from '../optimiser/strategy';
import { batteryPowerW, socAfter } from './battery';
import { demandModel, type DemandState } from './demand';
import type { Scenario } from './scenario';
import type { SeriesRow } from './series';

export interface LoadKpis {
  energy_kwh: number;
  deadlines_met: number;
  deadlines_missed: number;
  switches: number;
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
  curtailed_kwh: number;
  consumption_kwh: number;
  loads: Record<string, LoadKpis>;
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

interface LoadSim {
  config: LoadConfig;
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

export function simulate(scenario: Scenario, series: readonly SeriesRow[], options: { keepIntervals?: boolean } = {}): SimulationResult {
  const stepSeconds = scenario.stepSeconds;
  const stepMs = stepSeconds * 1000;
  const strategy = STRATEGIES[scenario.strategy];
  const loads: LoadSim[] = scenario.loads.map((l) => {
    const model = demandModel(l.demand);
    return { config: l.config, model, spec: l.demand, state: model.initial(l.demand), drawW: 0, running: false, energyKwh: 0, switches: 0 };
  });
  const configs = strategy.loadsFor(loads.map((l) => l.config));
  const battery = scenario.battery;
  let socPct = battery?.initialSocPct ?? 0;
  let memory: AllocatorMemory = EMPTY_MEMORY;
  let inverterLimitW: number | null = null;
  const totals = { importKwh: 0, exportKwh: 0, pvKwh: 0, curtailedKwh: 0, consumptionKwh: 0, costEur: 0, peakImportW: 0 };
  const intervals: IntervalResult[] = [];

  for (const row of series) {
    const importPrice = row.importPriceEurPerKwh ?? scenario.prices.importEurPerKwh ?? 0;
    const exportPrice = row.exportPriceEurPerKwh ?? scenario.prices.exportEurPerKwh ?? 0;
    const sums = { gridW: 0, batteryW: 0, pvW: 0, loadW: Object.fromEntries(loads.map((l) => [l.config.id, 0])) as Record<string, number> };
    const steps = Math.round(row.durationMs / stepMs);
    for (let step = 0; step < steps; step += 1) {
      const nowMs = row.startMs + step * stepMs;
      for (const load of loads) {
        load.state = load.model.advance(load.spec, load.state, nowMs, nowMs + stepMs);
        // The last command keeps running as far as the demand (which may just have changed) allows.
        if (load.command) load.drawW = drawFor(load, load.command, stepSeconds);
      }
      const pvBeforeW = inverterLimitW === null ? row.pvW : Math.min(row.pvW, inverterLimitW);
      const loadsBeforeW = loads.reduce((sum, l) => sum + l.drawW, 0);
      const batteryBeforeW = battery ? batteryPowerW(battery, socPct, pvBeforeW - row.baseLoadW - loadsBeforeW, stepSeconds) : 0;
      const site = {
        readingsTimestampMs: nowMs,
        gridPowerW: row.baseLoadW + loadsBeforeW + batteryBeforeW - pvBeforeW,
        pvPowerW: pvBeforeW,
        ...(battery ? { batteryPowerW: batteryBeforeW, batterySocPct: socPct } : {}),
        gridPriceEurPerKwh: importPrice,
        loads: Object.fromEntries(loads.map((l) => [l.config.id, readingOf(l)])),
      };
      const available = configs.map((config, i) =>
        loads[i].model.maxDrawW(loads[i].spec, loads[i].state, stepSeconds) > 0 ? config : { ...config, mode: 'off' as const },
      );
      const result = allocate({ nowMs, site, loads: available, memory, settings: scenario.site });
      memory = result.memory;
      inverterLimitW = result.site.inverterLimitW;

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
      const pvW = inverterLimitW === null ? row.pvW : Math.min(row.pvW, inverterLimitW);
      const consumptionW = row.baseLoadW + loads.reduce((sum, l) => sum + l.drawW, 0);
      const batteryW = battery ? batteryPowerW(battery, socPct, pvW - consumptionW, stepSeconds) : 0;
      if (battery) socPct = socAfter(battery, socPct, batteryW, stepSeconds);
      const gridW = consumptionW + batteryW - pvW;
      const importKwh = (Math.max(0, gridW) * stepSeconds) / J_PER_KWH;
      const exportKwh = (Math.max(0, -gridW) * stepSeconds) / J_PER_KWH;
      totals.importKwh += importKwh;
      totals.exportKwh += exportKwh;
      totals.pvKwh += (pvW * stepSeconds) / J_PER_KWH;
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
  return { kpis: kpisOf(scenario, series, loads, totals), intervals };
}

function kpisOf(scenario: Scenario, series: readonly SeriesRow[], loads: LoadSim[], totals: Record<string, number>): SimulationKpis {
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
    curtailed_kwh: round(totals.curtailedKwh, 1),
    consumption_kwh: round(totals.consumptionKwh, 1),
    loads: Object.fromEntries(
      loads.map((l) => [l.config.id, { energy_kwh: round(l.energyKwh, 1), deadlines_met: l.state.met, deadlines_missed: l.state.missed, switches: l.switches }]),
    ),
  };
}
