// HiGHS (npm `highs`) against GLPK (npm `glpk.js`) on the planner's own MILP: 5 loads × 96 slots
// and 40 loads × 192 slots, several runs each at the planner's gaps (relative 0.1 %; HiGHS also
// absolute 0.001 EUR), median and worst. glpk.js is not a dependency
// (docs/planner.md says why); to repeat the comparison: npm install --no-save glpk.js
// Build first: npx tsc -p tsconfig.json
import { performance } from 'node:perf_hooks';
import loadHighs from 'highs';
import planner from '../dist/src/engine/planner/index.js';
import { benchProblem, quantiles } from './planner-problems.mjs';

const { buildModel, horizonOf, jobInstances, highsSolver, ABSOLUTE_GAP_EUR, DEFAULT_RELATIVE_GAP } = planner;
const RUNS = Number(process.env.RUNS ?? 7);
/** WebAssembly code gets fast only after it has run a while; the planner runs in a long-lived process. */
const WARM_UP_RUNS = 2;
const TIME_LIMIT_MS = Number(process.env.TIME_LIMIT_MS ?? 60_000);
const GAP = Number(process.env.GAP ?? DEFAULT_RELATIVE_GAP);

function glpkSolver(glpk) {
  const bounds = (lower, upper) => {
    const lo = Number.isFinite(lower);
    const up = Number.isFinite(upper);
    if (lo && up) return { type: lower === upper ? glpk.GLP_FX : glpk.GLP_DB, lb: lower, ub: upper };
    if (lo) return { type: glpk.GLP_LO, lb: lower, ub: 0 };
    if (up) return { type: glpk.GLP_UP, lb: 0, ub: upper };
    return { type: glpk.GLP_FR, lb: 0, ub: 0 };
  };
  return {
    name: 'glpk',
    solve(model, { timeLimitMs, relativeGap }) {
      const lp = {
        name: 'plan',
        objective: { direction: glpk.GLP_MIN, name: 'cost', vars: model.columns.map((c, j) => ({ name: `x${j}`, coef: c.cost })) },
        subjectTo: model.rows.map((r, i) => ({ name: `r${i}`, vars: r.indices.map((j, k) => ({ name: `x${j}`, coef: r.values[k] })), bnds: bounds(r.lower, r.upper) })),
        bounds: model.columns.map((c, j) => ({ name: `x${j}`, ...bounds(c.lower, c.upper) })),
        generals: model.columns.flatMap((c, j) => (c.integer ? [`x${j}`] : [])),
      };
      const { result } = glpk.solve(lp, { msglev: glpk.GLP_MSG_OFF, tmlim: timeLimitMs / 1000, mipgap: relativeGap, presol: true });
      const ok = result.status === glpk.GLP_OPT || result.status === glpk.GLP_FEAS;
      return ok ? { status: result.status === glpk.GLP_OPT ? 'optimal' : 'time_limit', values: model.columns.map((_, j) => result.vars[`x${j}`]), objective: result.z } : { status: 'failed', message: `GLPK status ${result.status}` };
    },
  };
}

function objective(model, values) {
  return model.columns.reduce((sum, c, j) => sum + c.cost * values[j], 0);
}

async function solvers() {
  const list = [highsSolver(await loadHighs())];
  try {
    const GLPK = (await import(process.env.GLPK_MODULE ?? 'glpk.js/node')).default;
    list.push(glpkSolver(await GLPK()));
  } catch (error) {
    console.log(`glpk.js not installed (${error.code ?? error.message}); measuring HiGHS only`);
  }
  return list;
}

const sizes = [
  { loadCount: 5, slotCount: 96 },
  { loadCount: 40, slotCount: 192 },
];

const all = await solvers();
console.log(`${RUNS} runs each after ${WARM_UP_RUNS} warm-up runs, relative gap ${GAP}, times in ms (model build excluded)`);
for (const size of sizes) {
  const input = benchProblem(size);
  const horizon = horizonOf(input);
  const { model } = buildModel(input, horizon, jobInstances(input, horizon));
  const binaries = model.columns.filter((c) => c.integer).length;
  console.log(`\n${size.loadCount} loads × ${size.slotCount} slots: ${model.columns.length} columns (${binaries} integer), ${model.rows.length} rows`);
  for (const solver of all) {
    const times = [];
    let last;
    for (let run = 0; run < WARM_UP_RUNS + RUNS; run += 1) {
      const started = performance.now();
      last = solver.solve(model, { timeLimitMs: TIME_LIMIT_MS, nodeLimit: 2 ** 31 - 1, relativeGap: GAP, absoluteGap: ABSOLUTE_GAP_EUR });
      if (run >= WARM_UP_RUNS) times.push(performance.now() - started);
    }
    const q = quantiles(times);
    const cost = last.values ? objective(model, last.values).toFixed(4) : '—';
    console.log(`  ${solver.name.padEnd(6)} status ${last.status.padEnd(10)} objective ${cost.padStart(10)}  median ${q.median.toFixed(1).padStart(8)}  worst ${q.worst.toFixed(1).padStart(8)}`);
  }
}
