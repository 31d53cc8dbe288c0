// `npm run bench`: runs every benchmark in this folder; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const file of readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs').sort()) {
  console.log(`\n== ${file}`);
  const { status } = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (status !== 0) process.exitCode = 1;
}
