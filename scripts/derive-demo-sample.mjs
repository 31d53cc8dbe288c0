// Derives the demo's small household sample from the project's real data (run by hand; the
// package ships the output):
//
//   HEMS_DATA_DIR=../shared/data node scripts/derive-demo-sample.mjs    (or --data DIR)
//
// Picks three whole days of the Konstanz house (OPSD household data, CC BY 4.0): a winter,
// a spring and a summer day with complete hourly consumption and PV.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dataDir, dataFile } from './lib/data-dir.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { data: { type: 'string' } } });
const csv = readFileSync(dataFile(dataDir(args.data), 'household_de_konstanz_res4_hourly_2015-10_2016-07.csv'), 'utf8');
const [header, ...lines] = csv.trim().split('\n');
const cols = header.split(',');
const at = (name) => cols.indexOf(name);
const rows = lines.map((l) => l.split(','));
const DAYS = ['2016-01-20', '2016-04-18', '2016-06-27'];

const days = DAYS.map((date) => {
  const day = rows.filter((r) => r[0].startsWith(date));
  if (day.length !== 24 || day.some((r) => r[at('consumption_kw')] === '' || r[at('pv_kw')] === '')) {
    throw new Error(`${date} is not a complete day in the data given (it needs the whole Konstanz series, not the test slice)`);
  }
  const watts = (name) => day.map((r) => Math.max(0, Math.round(Number(r[at(name)]) * 1000)));
  return { date, consumption_w: watts('consumption_kw'), pv_w: watts('pv_kw') };
});

const sample = {
  source:
    'Open Power System Data, Household Data 2017-11-10, building DE_KN_residential4 (Konstanz, ISC Konstanz / CoSSMic), CC BY 4.0; ' +
    'hourly average consumption and PV of three days, from shared/data/household_de_konstanz_res4_hourly_2015-10_2016-07.csv by scripts/derive-demo-sample.mjs',
  resolution_minutes: 60,
  timezone_note: 'hour index = UTC hour of the day',
  days,
};
writeFileSync(join(root, 'src', 'simulator', 'household-sample.json'), JSON.stringify(sample, null, 1) + '\n');
console.log(days.map((d) => `${d.date}: ${d.consumption_w.reduce((a, b) => a + b) / 1000} kWh load, ${d.pv_w.reduce((a, b) => a + b) / 1000} kWh PV`).join('\n'));
