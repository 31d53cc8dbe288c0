// What the battery's grid-charge rules cost the planner: each bench problem (5 loads, 96 and 192
// slots, its 10 kWh battery) planned from four moments of the price week, as it is, with
// gridChargeMaxSocPct 50 and hold-only (docs/planner.md, "Model"). One warm-up, then one measured
// plan each. Build first: npx tsc -p tsconfig.json
import planner from '../dist/src/engine/planner/index.js';
import { benchProblem } from './planner-problems.mjs';
const { plan, loadHighsSolver } = planner;
const solver = await loadHighsSolver();
const variants = { plain: {}, capped: { gridChargeMaxSocPct: 50 }, holdOnly: { holdOnly: true } };
for (const size of [{ loadCount: 5, slotCount: 96 }, { loadCount: 5, slotCount: 192 }]) {
  for (let i = 0; i < 4; i += 1) {
    const startMs = Date.parse('2025-10-07T10:00:00Z') + i * 21 * 3_600_000;
    const base = benchProblem({ ...size, startMs });
    const line = [];
    for (const [name, extra] of Object.entries(variants)) {
      const input = { ...base, battery: { ...base.battery, ...extra } };
      plan(input, { solver });
      const p = plan(input, { solver });
      line.push(`${name} ${p.method ?? p.planner} ${p.solveMs.toFixed(0)} ms ${p.cost.totalEur.toFixed(2)} EUR${p.stoppedAtWorkLimit ? ' (work limit)' : ''}${p.fallbackReason ? ' FALLBACK' : ''}`);
    }
    console.log(`${size.loadCount}x${size.slotCount} ${new Date(startMs).toISOString().slice(5, 16)}: ${line.join(' | ')}`);
  }
}
