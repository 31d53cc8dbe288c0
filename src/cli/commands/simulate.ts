import { readFileSync, writeFileSync } from 'node:fs';
import { parseScenario, parseSeries, resultCsv, simulate } from '../../engine/simulation';

interface SimulateArgs {
  scenario?: string;
  data?: string;
  out?: string;
  strategy?: string;
}

function readText(flag: string, path: string | undefined): string {
  if (!path) throw new Error(`${flag} FILE is required: hems simulate --scenario scenario.json --data series.csv`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** `--strategy` replaces the scenario's, so one file serves for the comparison with "no control". */
function readScenario(path: string | undefined, strategy: string | undefined) {
  const text = readText('--scenario', path);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(strategy === undefined ? raw : { ...(raw as object), strategy }, path);
}

export const simulateCommand = {
  summary: 'run the optimiser over a time series with simple load physics and print KPIs as JSON',
  usage: 'hems simulate --scenario scenario.json --data series.csv [--out result.csv] [--strategy no_control]   (docs/simulate.md)',
  options: { scenario: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, strategy: { type: 'string' } },
  async run(args: SimulateArgs, out: (line: string) => void): Promise<number> {
    const scenario = readScenario(args.scenario, args.strategy);
    const series = parseSeries(readText('--data', args.data), args.data, scenario.stepSeconds * 1000);
    const { kpis, intervals } = simulate(scenario, series, { keepIntervals: args.out !== undefined });
    if (args.out) writeFileSync(args.out, resultCsv(intervals, scenario.loads.map((l) => l.config.id)));
    out(JSON.stringify(kpis, null, 2));
    return 0;
  },
} as const;
