// Time-zone conversions on Node-RED's thread: what a 48-hour horizon of 15-minute slots over 14
// days of history costs (3 conversions a slot, as the base-load profile makes), with the cached
// quarter-hour offsets of src/engine/local-time.ts against a formatToParts per conversion (how
// they were made before). Prints figures only. Build first: npx tsc -p tsconfig.json
import { performance } from 'node:perf_hooks';
import localTime from '../dist/src/engine/local-time.js';

const { localParts } = localTime;
const SLOT_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;
const SLOTS = 192;
const DAYS = 14;
const CONVERSIONS = SLOTS * DAYS * 3;
const START_MS = Date.UTC(2026, 2, 22);

function perCall(timeZone) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  return (ms) => Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
}

function run(convert, offsetDays) {
  const started = performance.now();
  for (let i = 0; i < CONVERSIONS; i++) convert(START_MS + offsetDays * DAY_MS + (i % SLOTS) * SLOT_MS - (i % DAYS) * DAY_MS);
  return performance.now() - started;
}

for (const timeZone of ['Europe/Berlin', 'Asia/Kathmandu']) {
  const ways = [
    ['formatToParts per conversion', perCall(timeZone)],
    ['cached quarter-hour offsets', (ms) => localParts(ms, timeZone)],
  ];
  for (const [name, convert] of ways) {
    // The first plan of a day meets the new day's quarter hours; later plans find them cached.
    const first = run(convert, 0);
    const later = Math.min(...[1, 2, 3].map(() => run(convert, 0)));
    console.log(`${timeZone}, ${name}: ${CONVERSIONS} conversions ${first.toFixed(1)} ms the first time, ${later.toFixed(1)} ms after`);
  }
}
