// Zero-export sites: how much of the PV a free-export run gives its loads a site whose inverter
// holds export at 0 W still gives them, without and with the probe for hidden surplus (loads only,
// no export). Both example scenarios on both real households, in 28-day windows (each window starts
// from the scenario's initial state), with the worst window and the whole-series share.
// Build first (npx tsc -p tsconfig.json), then:
//   node bench/zero-export.mjs --data ../shared/data     the full series (HEMS_DATA_DIR works too)
//   node bench/zero-export.mjs                           the ten-day slices in test/fixtures/data
// --days N limits each series to its first N days.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import simulation from '../dist/src/engine/simulation/index.js';

const { parseScenario, parseSeries, zeroExportCapture } = simulation;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { data: { type: 'string' }, days: { type: 'string' } } });
const data = args.data ?? process.env.HEMS_DATA_DIR ?? join(root, 'test', 'fixtures', 'data');
const seriesDir = mkdtempSync(join(tmpdir(), 'hems-zero-export-bench-'));
execFileSync(process.execPath, [join(root, 'scripts', 'make-series.mjs'), '--data', data, '--out', seriesDir], { stdio: ['ignore', 'ignore', 'inherit'] });

const WINDOW_MS = 28 * 86_400_000;
const pct = (share) => `${(100 * share).toFixed(1)} %`;

function windowsOf(series) {
  const limitMs = args.days === undefined ? Infinity : series[0].startMs + Number(args.days) * 86_400_000;
  const rows = series.filter((row) => row.startMs < limitMs);
  const windows = [];
  for (let i = 0; i < rows.length; ) {
    const endMs = rows[i].startMs + WINDOW_MS;
    const window = [];
    while (i < rows.length && rows[i].startMs < endMs) window.push(rows[i++]);
    // A stub shorter than a week says little about a month of sun.
    if (window.length > 1 && window.at(-1).startMs - window[0].startMs >= 7 * 86_400_000) windows.push(window);
  }
  return windows;
}

console.log(`data: ${data}${args.days ? `, first ${args.days} days` : ''}; PV the loads drew, zero export ÷ free export (timings are on a shared machine)`);
for (const scenarioName of ['small-home-ev-water-heater', 'family-ev-heatpump-pool-battery']) {
  const raw = JSON.parse(readFileSync(join(root, 'scenarios', `${scenarioName}.json`), 'utf8'));
  const scenario = parseScenario(raw, scenarioName);
  for (const household of ['konstanz-hourly', 'france-30min']) {
    const file = join(seriesDir, `${household}.csv`);
    const started = performance.now();
    const totals = { freeKwh: 0, withoutProbeKwh: 0, withProbeKwh: 0, exportKwh: 0 };
    let worst = { share: Infinity, from: '' };
    const windows = windowsOf(parseSeries(readFileSync(file, 'utf8'), file, scenario.stepSeconds * 1000));
    for (const window of windows) {
      const capture = zeroExportCapture(scenario, window);
      totals.freeKwh += capture.freeKwh;
      totals.withoutProbeKwh += capture.withoutProbeKwh;
      totals.withProbeKwh += capture.withProbeKwh;
      totals.exportKwh += capture.withProbe.export_kwh;
      if (capture.capturedShare < worst.share) worst = { share: capture.capturedShare, from: new Date(window[0].startMs).toISOString().slice(0, 10) };
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${scenarioName} × ${household}: ${windows.length} window(s); free ${totals.freeKwh.toFixed(1)} kWh to loads; ` +
        `zero export without probe ${pct(totals.withoutProbeKwh / totals.freeKwh)}, with probe ${pct(totals.withProbeKwh / totals.freeKwh)} ` +
        `(worst window ${pct(worst.share)} from ${worst.from}); exported with probe ${totals.exportKwh.toFixed(1)} kWh; ${seconds.toFixed(0)} s`,
    );
  }
}
