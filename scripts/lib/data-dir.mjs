// The project's full real data (the household series and day-ahead prices that test/fixtures/README.md
// describes) is not part of the repository. Scripts that need it take its folder as `--data DIR` or
// HEMS_DATA_DIR; test/fixtures/data holds a few days of the same files under the same names.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAKE_SERIES = join(dirname(fileURLToPath(import.meta.url)), '..', 'make-series.mjs');

const WHERE =
  'Point --data DIR or HEMS_DATA_DIR at the folder with the real data CSVs: in the project checkout that is ' +
  '../shared/data beside the repository; test/fixtures/README.md names each file and its public source, and ' +
  'test/fixtures/data has a few days of each under the same names.';

/** The data folder given by the flag or HEMS_DATA_DIR; without one, says what is needed and exits. */
export function dataDir(flag) {
  const dir = flag ?? process.env.HEMS_DATA_DIR;
  if (!dir) {
    console.error(`No data folder given. ${WHERE}`);
    process.exit(2);
  }
  return dir;
}

/** A file in the data folder; a missing one is named with the folder and the fix. */
export function dataFile(dir, name) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    console.error(`${path} not found. ${WHERE}`);
    process.exit(2);
  }
  return path;
}

/** Builds series/ with scripts/make-series.mjs when `seriesFile` is missing; exits with its status if it cannot. */
export function ensureSeries(seriesFile) {
  if (existsSync(seriesFile)) return;
  const { status } = spawnSync(process.execPath, [MAKE_SERIES], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
