// Event-loop delay on the main thread while the planner plans 40 loads × 192 slots: through the
// child process, as hems-planner does it (src/io/planner-process.ts), and, for contrast, in this
// process as hems-planner did before. Target: p99 < 20 ms with the child process. Prints p50, p99
// and max of perf_hooks.monitorEventLoopDelay (2 ms resolution) over the plans, and each plan's
// wall time. PLANS=3 by default (after one warm-up plan, which pays for starting HiGHS).
// Build first: npm run build
import { monitorEventLoopDelay } from 'node:perf_hooks';
import plannerProcess from '../dist/src/io/planner-process.js';
import plannerSession from '../dist/src/engine/planner-session/index.js';
import planner from '../dist/src/engine/planner/index.js';
import { benchProblem, benchRequest } from './planner-problems.mjs';

const PLANS = Number(process.env.PLANS ?? 3);
const request = benchRequest(benchProblem({ loadCount: 40, slotCount: 192 }));
const ms = (ns) => (ns / 1e6).toFixed(1);

/** Plans PLANS times with `solve` while a histogram watches the event loop; a timer keeps the loop turning, as Node-RED's do. */
async function measure(label, solve) {
  await solve(request);
  const histogram = monitorEventLoopDelay({ resolution: 2 });
  const ticker = setInterval(() => {}, 5);
  histogram.enable();
  // The histogram's timer must be running before the first plan, or a plan that blocks is not seen.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const wallMs = [];
  let last;
  for (let i = 0; i < PLANS; i += 1) {
    const startedMs = performance.now();
    last = await solve(request);
    wallMs.push(performance.now() - startedMs);
    // Let the loop turn, so a plan that held it up is seen as one long delay.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  histogram.disable();
  clearInterval(ticker);
  const p = last.plan;
  console.log(
    `${label}: event-loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms; ` +
      `plans ${wallMs.map((t) => t.toFixed(0)).join(', ')} ms (${p.planner}${p.method ? ` ${p.method}` : ''}${p.fallbackReason ? `: ${p.fallbackReason}` : ''}, ${p.cost.totalEur.toFixed(2)} EUR)`,
  );
}

const child = new plannerProcess.PlannerProcess();
await measure('child process (hems-planner)', child.solve);
child.close();
const solver = await planner.loadHighsSolver();
await measure('in this process (before)', plannerSession.inProcessPlanSolver({ solver }));
