// Planner solve times (MILP on HiGHS, model build and plan assembly included) for 5 loads × 96
// slots and 40 loads × 192 slots; targets: median < 100 ms and < 2 s. Each size is planned from
// eight moments of the price week (21 h apart, so every time of day comes up), each plan solved to
// optimality (relative gap 0.1 %, absolute 0.001 EUR) within the planner's own limits (500
// branch-and-cut nodes; none of these plans needs more than a few), so the figures are time-to-optimal. Build first: npx tsc -p tsconfig.json
import planner from '../dist/src/engine/planner/index.js';
import { benchProblem, quantiles } from './planner-problems.mjs';

const { plan, planGreedy, loadHighsSolver } = planner;
const RUNS = Number(process.env.RUNS ?? 3);
const WARM_UP_RUNS = 1;
const FIRST_START_MS = Date.parse('2025-10-07T10:00:00Z');
const STARTS = Array.from({ length: Number(process.env.STARTS ?? 8) }, (_, i) => FIRST_START_MS + i * 21 * 3_600_000);

const solver = await loadHighsSolver();
const broken = (p) => p.loads.flatMap((l) => l.jobs).filter((j) => !j.kept).length;
for (const size of [
  { loadCount: 5, slotCount: 96 },
  { loadCount: 40, slotCount: 192 },
]) {
  const times = [];
  const methods = new Map();
  let milpEur = 0;
  let greedyEur = 0;
  for (const startMs of STARTS) {
    const input = benchProblem({ ...size, startMs });
    let last;
    for (let run = 0; run < WARM_UP_RUNS + RUNS; run += 1) {
      last = plan(input, { solver, relaxAndRound: process.env.ROUND !== 'off' });
      if (run >= WARM_UP_RUNS) times.push(last.solveMs);
    }
    const method = `${last.planner}${last.method ? ` ${last.method}` : ''}${last.stoppedAtTimeLimit ? ' (time limit)' : ''}`;
    methods.set(method, (methods.get(method) ?? 0) + 1);
    const greedy = planGreedy(input);
    milpEur += last.cost.totalEur;
    greedyEur += greedy.cost.totalEur;
    if (process.env.VERBOSE) console.log(`  ${new Date(startMs).toISOString()}: ${method} ${last.solveMs.toFixed(0)} ms, ${last.cost.totalEur.toFixed(2)} EUR, ${broken(last)} broken; greedy ${greedy.cost.totalEur.toFixed(2)} EUR, ${broken(greedy)} broken`);
  }
  const q = quantiles(times);
  console.log(
    `${size.loadCount} loads × ${size.slotCount} slots: median ${q.median.toFixed(0)} ms, p90 ${q.p90.toFixed(0)} ms, worst ${q.worst.toFixed(0)} ms ` +
      `(${STARTS.length} moments × ${RUNS} runs after ${WARM_UP_RUNS} warm-up); ${[...methods].map(([m, n]) => `${m} ${n}×`).join(', ')}; ` +
      `plan cost ${milpEur.toFixed(2)} EUR in all, greedy ${greedyEur.toFixed(2)} EUR`,
  );
}
