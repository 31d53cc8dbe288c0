// `prepare`: installs Node-RED 5 and Node 22 into test/node-red-5/ for the 5.x test (on `npm install`,
// `npm ci`, `npm run prepare`). npm also runs `prepare` before `npm pack` and `npm publish`, where a
// 300 MB download is no use and its output would mix into `npm pack --json`: skipped there.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const command = process.env.npm_command;
if (command === 'pack' || command === 'publish') {
  console.error(`prepare: no Node-RED 5 install for "npm ${command}"`);
  process.exit(0);
}
const prefix = fileURLToPath(new URL('../test/node-red-5', import.meta.url));
const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', '--json=false'];
const run = spawnSync('npm', args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
