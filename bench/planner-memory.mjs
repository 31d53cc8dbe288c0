// Node-RED's resident memory with the planner example (flows/planner-deadlines.json) against bare
// Node-RED (no flows, this package not installed), both started side by side as a user runs them
// (scripts/lib/node-red-runtime.mjs). The planner plans in a child process that ends when idle
// (src/io/planner-process.ts), so HiGHS's memory comes and goes with each plan; target: Node-RED
// with the example ≤ bare + 40 MB after 15 minutes with a plan every 15 minutes.
//   MINUTES=15 PLAN_EVERY_MINUTES=15 (default)    MINUTES=3 PLAN_EVERY_MINUTES=1 (a short run)
// Prints Node-RED's RSS over the last minute (median: a single sample depends on when V8 last
// collected garbage), at the end and the highest seen, for both, and the plan child's highest.
// Build first: npm run build
import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot, prepareUserDir, startNodeRed } from '../scripts/lib/node-red-runtime.mjs';

const MINUTES = Number(process.env.MINUTES ?? 15);
const PLAN_EVERY_MINUTES = Number(process.env.PLAN_EVERY_MINUTES ?? 15);
const SAMPLE_MS = 2000;

async function rssMb(pid) {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Pids whose parent is `pid`: the planner's child process. */
async function childrenOf(pid) {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const children = [];
  for (const candidate of pids) {
    try {
      const stat = await readFile(`/proc/${candidate}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(candidate));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

const exampleFlows = JSON.parse(readFileSync(join(packageRoot, 'flows', 'planner-deadlines.json'), 'utf8'));
const planner = exampleFlows.find((n) => n.type === 'hems-planner');
// Besides its own plan at every 15-minute slot: a re-plan every PLAN_EVERY_MINUTES, and the EV job once.
const replan = { id: 'bench_replan', type: 'inject', z: planner.z, name: 'bench: replan', topic: 'replan', payload: '', payloadType: 'str', repeat: String(PLAN_EVERY_MINUTES * 60), once: true, onceDelay: 5, wires: [[planner.id]] };
const evJob = exampleFlows.find((n) => n.id === 'hems_plan_ev_job');
const flows = [...exampleFlows.map((n) => (n.id === evJob.id ? { ...n, once: true, onceDelay: 3 } : n)), replan];

const runs = [
  { label: 'bare Node-RED', flows: [], installPackage: false, port: 18930 },
  { label: 'Node-RED + planner example', flows, installPackage: true, port: 18931 },
].map((run) => {
  const userDir = join(tmpdir(), `hems-bench-memory-${run.port}`);
  prepareUserDir(userDir, { flows: run.flows, port: run.port, installPackage: run.installPackage });
  const plans = [];
  const nodeRed = startNodeRed(userDir, { onLine: (line) => line.includes('greedy') && plans.push(line) });
  return { ...run, nodeRed, samples: [], childPeakMb: 0, plans };
});
await Promise.all(runs.map((run) => run.nodeRed.ready));
console.log(`Node-RED started; sampling RSS every ${SAMPLE_MS / 1000} s for ${MINUTES} min, a plan every ${PLAN_EVERY_MINUTES} min …`);
const endMs = Date.now() + MINUTES * 60_000;
while (Date.now() < endMs) {
  for (const run of runs) {
    const pid = run.nodeRed.child.pid;
    run.samples.push(await rssMb(pid));
    for (const child of await childrenOf(pid)) run.childPeakMb = Math.max(run.childPeakMb, (await rssMb(child)) ?? 0);
  }
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
}
for (const run of runs) await run.nodeRed.stop();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [bare, example] = runs.map((run) => ({ ...run, lastMinuteMb: median(run.samples.slice(-60_000 / SAMPLE_MS)), endMb: run.samples.at(-1), peakMb: Math.max(...run.samples) }));
for (const run of [bare, example]) {
  console.log(`${run.label}: RSS ${run.lastMinuteMb.toFixed(0)} MB (median of the last minute of ${MINUTES}), ${run.endMb.toFixed(0)} MB at the end, highest ${run.peakMb.toFixed(0)} MB`);
}
console.log(
  `planner example − bare: ${(example.lastMinuteMb - bare.lastMinuteMb).toFixed(0)} MB over the last minute (target ≤ 40 MB), ` +
    `${(example.endMb - bare.endMb).toFixed(0)} MB at the end, highest ${(example.peakMb - bare.peakMb).toFixed(0)} MB`,
);
console.log(`the planner's child process: highest RSS ${example.childPeakMb.toFixed(0)} MB while planning (it ends when idle)`);
if (example.plans.length > 0) console.log(`warnings about greedy plans:\n  ${example.plans.join('\n  ')}`);
