import { readFileSync, writeFileSync } from 'node:fs';
import { loadHighsSolver } from '../../engine/planner';
import { parseScenario, parseSeries, resultCsv, simulate } from '../../engine/simulation';
import { FORECAST_SOURCES, MAX_HORIZON_HOURS, MIN_HORIZON_HOURS, type ForecastSource } from '../../engine/simulation/planner-input';

interface SimulateArgs {
  scenario?: string;
  data?: string;
  out?: string;
  strategy?: string;
  forecast?: string;
  'horizon-hours'?: string;
  'node-limit'?: string;
  'time-limit'?: string;
}

export function readText(flag: string, path: string | undefined, usage: string): string {
  if (!path) throw new Error(`${flag} FILE is required: ${usage}`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** `--strategy` replaces the scenario's, so one file serves for the comparison with "no control". */
export function readScenario(path: string | undefined, strategy: string | undefined, usage: string) {
  const text = readText('--scenario', path, usage);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(strategy === undefined ? raw : { ...(raw as object), strategy }, path);
}

export function forecastSource(value: string | undefined): ForecastSource {
  if (value === undefined) return 'perfect';
  if ((FORECAST_SOURCES as readonly string[]).includes(value)) return value as ForecastSource;
  throw new Error(`--forecast ${value}: must be one of ${FORECAST_SOURCES.join(', ')} (perfect: the series itself; persistence: PV of the last 3 days, base load of the last 28)`);
}

export function horizonHours(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (!Number.isInteger(hours) || hours < MIN_HORIZON_HOURS || hours > MAX_HORIZON_HOURS) {
    throw new Error(`--horizon-hours ${value}: must be a whole number of hours from ${MIN_HORIZON_HOURS} to ${MAX_HORIZON_HOURS}, e.g. 36; leave it out to plan to the end of the known prices`);
  }
  return hours;
}

/** The planner's budget: `--node-limit` branch-and-cut nodes per solve, `--time-limit` seconds of wall clock (0: greedy plans only). */
export function plannerBudget(args: Pick<SimulateArgs, 'node-limit' | 'time-limit'>): { nodeLimit?: number; timeLimitMs?: number } {
  const budget: { nodeLimit?: number; timeLimitMs?: number } = {};
  if (args['node-limit'] !== undefined) {
    const nodes = Number(args['node-limit']);
    if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`--node-limit ${args['node-limit']}: must be a whole number of branch-and-cut nodes, 1 or more, e.g. 500 (the planner's default)`);
    budget.nodeLimit = nodes;
  }
  if (args['time-limit'] !== undefined) {
    const seconds = Number(args['time-limit']);
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`--time-limit ${args['time-limit']}: must be seconds, 0 or more, e.g. 60 (the planner's default; 0 plans greedily)`);
    budget.timeLimitMs = seconds * 1000;
  }
  return budget;
}

const USAGE =
  'hems simulate --scenario scenario.json --data series.csv [--out result.csv] [--strategy no_control|pv_surplus|planner] [--forecast perfect|persistence] [--horizon-hours 24..48] [--node-limit 500] [--time-limit 60]   (docs/simulate.md)';

export const simulateCommand = {
  summary: 'run the optimiser (and the planner) over a time series with simple load physics and print KPIs as JSON',
  usage: USAGE,
  options: {
    scenario: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    strategy: { type: 'string' },
    forecast: { type: 'string' },
    'horizon-hours': { type: 'string' },
    'node-limit': { type: 'string' },
    'time-limit': { type: 'string' },
  },
  async run(args: SimulateArgs, out: (line: string) => void): Promise<number> {
    const scenario = readScenario(args.scenario, args.strategy, USAGE);
    const series = parseSeries(readText('--data', args.data, USAGE), args.data, scenario.stepSeconds * 1000);
    const forecast = forecastSource(args.forecast);
    const hours = horizonHours(args['horizon-hours']);
    const budget = plannerBudget(args);
    const solver = scenario.strategy === 'planner' ? await loadHighsSolver() : undefined;
    const { kpis, intervals } = simulate(scenario, series, { keepIntervals: args.out !== undefined, planning: { solver, forecast, horizonHours: hours, ...budget } });
    if (args.out) writeFileSync(args.out, resultCsv(intervals, scenario.loads.map((l) => l.config.id)));
    out(JSON.stringify(kpis, null, 2));
    return 0;
  },
} as const;
