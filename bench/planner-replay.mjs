// Re-plans planner inputs saved as JSON (PLAN_DUMP of bench/planner-kpis.mjs) with and without relax
// and round, to see where the time goes: node bench/planner-replay.mjs /tmp/plans/*.json
// Build first: npx tsc -p tsconfig.json. Importing this module has no side effects.
import { readFileSync } from 'node:fs';
import planner from '../dist/src/engine/planner/index.js';

const { plan, loadHighsSolver } = planner;

async function main(files) {
  const solver = await loadHighsSolver();
  for (const file of files) {
    const input = JSON.parse(readFileSync(file, 'utf8'));
    const row = [];
    for (const relaxAndRound of [true, false]) {
      plan(input, { solver, relaxAndRound }); // warm-up: the first solve pays for HiGHS's start
      const p = plan(input, { solver, relaxAndRound });
      row.push(`${relaxAndRound ? 'round first' : 'branch and cut'} ${p.method ?? p.planner} ${p.solveMs.toFixed(0)} ms ${p.cost.totalEur.toFixed(3)} EUR`);
    }
    console.log(`${file.split('/').at(-1)} (${input.loads.length} loads × ${input.slots.length} slots): ${row.join('; ')}`);
  }
}

if (process.argv.length > 2) await main(process.argv.slice(2));
