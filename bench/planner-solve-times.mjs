// Planner solve times (MILP on HiGHS, model build and plan assembly included) for 5 loads × 96
// slots and 40 loads × 192 slots; targets: median < 100 ms and < 2 s. Every run is solved to
// optimality (the default gaps: relative 0.1 %, absolute 0.001 EUR) with a 60 s budget, so the figures are
// time-to-optimal, not time-to-budget. Build first: npx tsc -p tsconfig.json
import planner from '../dist/src/engine/planner/index.js';
import { benchProblem, quantiles } from './planner-problems.mjs';

const { plan, planGreedy, loadHighsSolver } = planner;
const RUNS = Number(process.env.RUNS ?? 9);
const WARM_UP_RUNS = 2;

const solver = await loadHighsSolver();
for (const size of [
  { loadCount: 5, slotCount: 96 },
  { loadCount: 40, slotCount: 192 },
]) {
  const input = benchProblem(size);
  const times = [];
  let last;
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run += 1) {
    last = plan(input, { solver, timeBudgetMs: 60_000 });
    if (run >= WARM_UP_RUNS) times.push(last.solveMs);
  }
  const greedy = planGreedy(input);
  const broken = (p) => p.loads.flatMap((l) => l.jobs).filter((j) => !j.kept).length;
  const q = quantiles(times);
  console.log(
    `${size.loadCount} loads × ${size.slotCount} slots: median ${q.median.toFixed(0)} ms, p90 ${q.p90.toFixed(0)} ms, worst ${q.worst.toFixed(0)} ms (${RUNS} runs after ${WARM_UP_RUNS} warm-up); ` +
      `${last.planner}${last.stoppedAtTimeLimit ? ' (time limit)' : ''} cost ${last.cost.totalEur.toFixed(2)} EUR, ${broken(last)} broken; greedy ${greedy.cost.totalEur.toFixed(2)} EUR, ${broken(greedy)} broken, ${greedy.solveMs.toFixed(1)} ms`,
  );
}
