/**
 * The series CSV: one row per interval, `timestamp` (ISO 8601 UTC, start of the interval),
 * `base_load_w`, `pv_w`, optional `import_price_eur_per_kwh` and `export_price_eur_per_kwh`.
 * Intervals may be 1 min to 1 h long; each row lasts until the next one starts.
 */
import { SimulationInputError, show } from './errors';

export interface SeriesRow {
  startMs: number;
  durationMs: number;
  baseLoadW: number;
  pvW: number;
  importPriceEurPerKwh?: number;
  exportPriceEurPerKwh?: number;
}

const REQUIRED = ['timestamp', 'base_load_w', 'pv_w'] as const;
const OPTIONAL = ['import_price_eur_per_kwh', 'export_price_eur_per_kwh'] as const;
const MIN_INTERVAL_MS = 60_000;
const MAX_INTERVAL_MS = 3_600_000;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;
/** Stop listing after this many: a broken file should not print ten thousand lines. */
const MAX_PROBLEMS = 20;

type NumberField = 'baseLoadW' | 'pvW' | 'importPriceEurPerKwh' | 'exportPriceEurPerKwh';

const COLUMN_RULES: Record<string, { field: NumberField; valid: (n: number) => boolean; problem: string }> = {
  base_load_w: { field: 'baseLoadW', valid: (n) => n >= 0, problem: 'must be the average household power in W over the interval, 0 or more' },
  pv_w: { field: 'pvW', valid: (n) => n >= 0, problem: 'must be the average PV power in W over the interval, 0 or more' },
  import_price_eur_per_kwh: { field: 'importPriceEurPerKwh', valid: () => true, problem: 'must be a price in €/kWh, e.g. 0.31' },
  export_price_eur_per_kwh: { field: 'exportPriceEurPerKwh', valid: () => true, problem: 'must be a price in €/kWh, e.g. 0.08' },
};

export function parseSeries(text: string, file = 'series', stepMs = MIN_INTERVAL_MS): SeriesRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new SimulationInputError(file, [`header ${show(header.join(','))} lacks column(s) ${missing.join(', ')}: the header must name timestamp,base_load_w,pv_w (and optionally ${OPTIONAL.join(', ')})`]);
  }
  const unknown = header.filter((h) => !(REQUIRED as readonly string[]).includes(h) && !(OPTIONAL as readonly string[]).includes(h));
  if (unknown.length > 0) throw new SimulationInputError(file, [`unknown column(s) ${unknown.join(', ')}: allowed are ${[...REQUIRED, ...OPTIONAL].join(', ')}`]);
  if (lines.length < 3) throw new SimulationInputError(file, ['needs at least two rows after the header: the interval length is the time to the next row']);
  const index: Record<string, number> = Object.fromEntries(header.map((h, i) => [h, i]));
  const problems: string[] = [];
  const rows: SeriesRow[] = [];
  for (let i = 1; i < lines.length && problems.length < MAX_PROBLEMS; i += 1) {
    const cells = lines[i].split(',');
    const where = `line ${i + 1}`;
    const timestamp = (cells[index.timestamp] ?? '').trim();
    const startMs = ISO_UTC.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    if (!Number.isFinite(startMs)) {
      problems.push(`${where}: timestamp = ${show(timestamp)}: must be ISO 8601 in UTC, e.g. 2016-06-01T12:00:00Z`);
      continue;
    }
    const row: SeriesRow = { startMs, durationMs: 0, baseLoadW: 0, pvW: 0 };
    for (const column of [...REQUIRED.slice(1), ...OPTIONAL]) {
      if (index[column] === undefined) continue;
      const cell = (cells[index[column]] ?? '').trim();
      const value = cell === '' ? Number.NaN : Number(cell);
      const rule = COLUMN_RULES[column];
      if (!Number.isFinite(value) || !rule.valid(value)) {
        problems.push(`${where}: ${column} = ${show(cell)}: ${rule.problem}${cell === '' ? '; fill gaps before simulating (scripts/make-series.mjs does)' : ''}`);
        continue;
      }
      row[rule.field] = value;
    }
    const previous = rows.at(-1);
    if (previous) {
      const intervalMs = startMs - previous.startMs;
      if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
        problems.push(`${where}: timestamp ${timestamp} is ${intervalMs / 60_000} min after the previous row: intervals must be 1 to 60 min, rows in time order without gaps`);
      } else if (intervalMs % stepMs !== 0) {
        problems.push(`${where}: interval ${intervalMs / 1000} s is not a whole number of simulation steps (${stepMs / 1000} s): change step_seconds in the scenario`);
      }
      previous.durationMs = intervalMs;
    }
    rows.push(row);
  }
  if (problems.length > 0) throw new SimulationInputError(file, problems);
  rows[rows.length - 1].durationMs = rows[rows.length - 2].durationMs;
  return rows;
}
