// Builds series CSVs for `hems simulate` from the project's real data into series/ (git-ignored).
//
//   HEMS_DATA_DIR=../shared/data node scripts/make-series.mjs [--out series]
//   node scripts/make-series.mjs --data DIR [--out series]
//
// DIR holds the CSVs test/fixtures/README.md describes (scripts/lib/data-dir.mjs says where to get
// them); --data test/fixtures/data builds ten-day series from the slice the tests use.
//
// konstanz-hourly.csv: the Konstanz house (OPSD household data, DE_KN_residential4), hourly,
//   2015-10-11T18:00Z (first hour with grid data) to 2016-07-31. base_load_w is the house without
//   its EV and heat pump (other_load_kw): the scenario's loads take their place. Each household
//   day is paired with the 2023 price day nearest the same calendar date that falls on the same
//   weekday (the household data have no prices of their own).
// france-30min.csv: the French EMHASS house, 30 min, 2024-02-29 to 2024-06-30, load without its
//   deferrable loads, with the co-timed FR day-ahead price.
//
// Missing cells are filled with the value 24 h earlier (or later, at the start), so a day's shape
// is kept; the script prints how many were filled. Negative derived loads (meter timing) become 0.
// Retail prices: day-ahead + grid fees, levies and taxes, times VAT; export at a fixed feed-in tariff.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, dataFile } from './lib/data-dir.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' } } });
const data = dataDir(args.data);
const outDir = args.out ?? join(root, 'series');

/** Rough 2023/2024 retail components, per country: enough to compare strategies, not a bill. */
const TARIFFS = {
  de: { feesEurPerKwh: 0.2, vat: 0.19, exportEurPerKwh: 0.082 },
  fr: { feesEurPerKwh: 0.12, vat: 0.2, exportEurPerKwh: 0.13 },
};
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

function readCsv(file) {
  const [header, ...lines] = readFileSync(dataFile(data, file), 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

const cellNumber = (cell) => (cell === undefined || cell.trim() === '' ? undefined : Number(cell));

function dayAheadPrices(column) {
  return new Map(readCsv('prices_dayahead_hourly_2023-01_2024-06.csv').map((r) => [Date.parse(r.timestamp_utc), Number(r[column]) / 1000]));
}

function retail(spotEurPerKwh, tariff) {
  return { import: (spotEurPerKwh + tariff.feesEurPerKwh) * (1 + tariff.vat), export: tariff.exportEurPerKwh };
}

/** Fills gaps from the same time a day before (a day after for leading gaps); counts what it filled. */
function fillGaps(rows, key, stepMs) {
  const byTime = new Map(rows.map((r) => [r.t, r]));
  let filled = 0;
  for (const direction of [-1, 1]) {
    for (const row of direction === -1 ? rows : [...rows].reverse()) {
      if (row[key] !== undefined) continue;
      const other = byTime.get(row.t + direction * DAY_MS);
      if (other?.[key] !== undefined) {
        row[key] = other[key];
        filled += 1;
      }
    }
  }
  const left = rows.filter((r) => r[key] === undefined).length;
  if (left > 0) throw new Error(`${left} ${key} values could not be filled (${stepMs / 60000} min rows)`);
  return filled;
}

function writeSeries(name, rows, description) {
  mkdirSync(outDir, { recursive: true });
  const lines = rows.map((r) =>
    [new Date(r.t).toISOString().replace('.000Z', 'Z'), Math.max(0, Math.round(r.base)), Math.max(0, Math.round(r.pv)), r.importPrice.toFixed(4), r.exportPrice.toFixed(4)].join(','),
  );
  writeFileSync(join(outDir, name), ['timestamp,base_load_w,pv_w,import_price_eur_per_kwh,export_price_eur_per_kwh', ...lines].join('\n') + '\n');
  console.log(`${join(outDir, name)}: ${rows.length} rows, ${description}`);
}

/**
 * The price of the same weekday and hour nearest the same date in 2023, moved by a week where
 * that falls outside the price file (early January maps to late December 2022).
 */
function priceFor2023(spot, t) {
  const d = new Date(t);
  const sameDate2023 = Date.UTC(2023, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
  const nearest = t + Math.round((sameDate2023 - t) / WEEK_MS) * WEEK_MS;
  const price = [nearest, nearest + WEEK_MS, nearest - WEEK_MS].map((c) => spot.get(c)).find((p) => p !== undefined);
  if (price === undefined) throw new Error(`no 2023 price for ${new Date(t).toISOString()}`);
  return price;
}

function konstanz() {
  const start = Date.parse('2015-10-11T18:00:00Z');
  const rows = readCsv('household_de_konstanz_res4_hourly_2015-10_2016-07.csv')
    .map((r) => ({ t: Date.parse(r.timestamp_utc), base: cellNumber(r.other_load_kw), pv: cellNumber(r.pv_kw) }))
    .filter((r) => r.t >= start);
  // The source drops the non-existent DST hour; a series must be gapless, so every hour is listed.
  const byTime = new Map(rows.map((r) => [r.t, r]));
  const hourly = [];
  for (let t = rows[0].t; t <= rows.at(-1).t; t += HOUR_MS) hourly.push(byTime.get(t) ?? { t, base: undefined, pv: undefined });
  const filledBase = fillGaps(hourly, 'base', HOUR_MS);
  const filledPv = fillGaps(hourly, 'pv', HOUR_MS);
  const spot = dayAheadPrices('de_lu_eur_mwh');
  for (const r of hourly) {
    const price = retail(priceFor2023(spot, r.t), TARIFFS.de);
    Object.assign(r, { base: r.base * 1000, pv: r.pv * 1000, importPrice: price.import, exportPrice: price.export });
  }
  writeSeries('konstanz-hourly.csv', hourly, `filled ${filledBase} base and ${filledPv} PV gaps from the day before/after`);
}

function france() {
  const start = Date.parse('2024-02-29T00:00:00Z');
  const rows = readCsv('household_fr_emhass_30min_2024-02_2024-06.csv')
    .map((r) => ({ t: Date.parse(r.timestamp_utc), base: cellNumber(r.load_kw), pv: cellNumber(r.pv_kw) }))
    .filter((r) => r.t >= start);
  const filledBase = fillGaps(rows, 'base', HOUR_MS / 2);
  const filledPv = fillGaps(rows, 'pv', HOUR_MS / 2);
  const spot = dayAheadPrices('fr_eur_mwh');
  for (const r of rows) {
    const spotPrice = spot.get(Math.floor(r.t / HOUR_MS) * HOUR_MS);
    if (spotPrice === undefined) throw new Error(`no FR price for ${new Date(r.t).toISOString()}`);
    const price = retail(spotPrice, TARIFFS.fr);
    Object.assign(r, { base: r.base * 1000, pv: r.pv * 1000, importPrice: price.import, exportPrice: price.export });
  }
  writeSeries('france-30min.csv', rows, `filled ${filledBase} load and ${filledPv} PV gaps from the day before/after`);
}

konstanz();
france();
