// Time for `hems simulate` over the real data: the family scenario on the Konstanz house
// (hourly, Oct 2015 – Jul 2016), every strategy (the planner with HiGHS; its plans are counted and
// timed too), and the figure scaled to 365 days. The target is under 60 s for a year.
// Build first (npx tsc -p tsconfig.json). Builds the series if missing, from the real data in HEMS_DATA_DIR
// (scripts/make-series.mjs; without it, it says where to get the data):
//   HEMS_DATA_DIR=../shared/data node bench/simulate-year.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import simulation from '../dist/src/engine/simulation/index.js';
import planner from '../dist/src/engine/planner/index.js';
import { ensureSeries } from '../scripts/lib/data-dir.mjs';

const { parseScenario, parseSeries, simulate } = simulation;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seriesFile = join(root, 'series', 'konstanz-hourly.csv');
ensureSeries(seriesFile);

const raw = JSON.parse(readFileSync(join(root, 'scenarios', 'family-ev-heatpump-pool-battery.json'), 'utf8'));
const solver = await planner.loadHighsSolver();
for (const strategy of ['pv_surplus', 'no_control', 'planner']) {
  const started = performance.now();
  const scenario = parseScenario({ ...raw, strategy });
  const series = parseSeries(readFileSync(seriesFile, 'utf8'), seriesFile, scenario.stepSeconds * 1000);
  const { kpis } = simulate(scenario, series, { planning: { solver } });
  const seconds = (performance.now() - started) / 1000;
  const steps = Math.round((kpis.days * 86_400) / scenario.stepSeconds);
  console.log(
    `simulate ${strategy.padEnd(10)} ${kpis.days} days, ${steps} steps of ${scenario.stepSeconds} s, ${scenario.loads.length} loads + battery: ` +
      `${seconds.toFixed(1)} s (${((seconds / kpis.days) * 365).toFixed(1)} s per 365 days, ${((seconds / steps) * 1e6).toFixed(0)} µs per step)` +
      (kpis.planning ? `; ${kpis.planning.plans} plans, ${kpis.planning.solve_ms_total} ms planning, slowest ${kpis.planning.solve_ms_max} ms` : ''),
  );
}
