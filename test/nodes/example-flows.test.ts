/** The example flows shipped in examples/ (Node-RED's Import → Examples), deployed in the test helper. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helper, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');
const CORE = join(ROOT, 'node_modules', '@node-red', 'nodes', 'core');
const nodes = [
  ...['hems-ha', 'hems-site', 'hems-optimiser', 'hems-load', 'hems-planner'].map((name) => require(join(ROOT, 'dist', 'nodes', `${name}.js`))),
  ...['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js'].map((file) => require(join(CORE, file))),
];

runtimeAroundTests();

/** Every log entry at error level or worse (fatal 10, error 20), from any node or the runtime. */
function errorsAndWorse(): unknown[] {
  return helper.log().args.map((a: Array<{ level: number }>) => a[0]).filter((e: { level: number }) => e.level <= 20);
}

describe('example flow optimiser-pv-surplus.json (shipped as an example)', () => {
  it('deploys without errors; the simulated meter drives the optimiser, every load gets a command on its output', async () => {
    const flow = JSON.parse(readFileSync(join(ROOT, 'examples', 'optimiser-pv-surplus.json'), 'utf8'));
    await helper.load(nodes, flow);
    const seen: Record<string, Array<{ payload: any }>> = { hems_pv_cycle_debug: [], hems_pv_rod_out: [], hems_pv_ev_out: [], hems_pv_pool_out: [] };
    for (const id of Object.keys(seen)) helper.getNode(id).on('input', (m: { payload: any }) => seen[id].push(m));
    await waitFor(() => Object.values(seen).every((list) => list.length > 0), 15_000, 'a cycle and a command on every load output');
    const cycle = seen.hems_pv_cycle_debug[0].payload;
    expect(cycle.commands.map((c: { loadId: string }) => c.loadId)).toEqual(['heating_rod', 'ev', 'pool_pump']);
    expect(seen.hems_pv_ev_out[0].payload).toHaveProperty('currentA');
    expect(seen.hems_pv_rod_out[0].payload).toHaveProperty('reason');
    expect(errorsAndWorse()).toEqual([]);
  }, 30_000);
});

interface PlanLoad {
  loadId: string;
  promise: string;
  reason: string;
  slots: unknown[];
}

describe('example flow planner-deadlines.json (shipped as an example)', () => {
  it('deploys without errors, plans the configured jobs from the example prices and forecast, and takes the EV job from its inject', async () => {
    const flow = JSON.parse(readFileSync(join(ROOT, 'examples', 'planner-deadlines.json'), 'utf8'));
    await helper.load(nodes, flow);
    const plans: Array<{ payload: { solver: string; loads: PlanLoad[] } }> = [];
    helper.getNode('hems_plan_plan_debug').on('input', (m: (typeof plans)[number]) => plans.push(m));
    // The first plan comes from a freshly started plan process (HiGHS compiled anew): seconds on a busy machine.
    const first = await waitFor(() => plans.at(-1), 30_000, 'a plan');
    expect(first.payload.solver).toBe('highs');
    expect(first.payload.loads.map((l) => l.loadId).sort()).toEqual(['pool_pump', 'water_heater']);

    helper.getNode('hems_plan_ev_job').receive({});
    const withEv = await waitFor(() => plans.find((p) => p.payload.loads.some((l) => l.loadId === 'ev')), 20_000, 'a plan with the EV job');
    const ev = withEv.payload.loads.find((l) => l.loadId === 'ev')!;
    // 20 kWh at 11 kW take under 2 h: kept unless the next 07:00 (Node-RED's local time) is closer.
    const next7 = new Date();
    next7.setHours(7, 0, 0, 0);
    if (next7.getTime() <= Date.now()) next7.setDate(next7.getDate() + 1);
    const hoursLeft = (next7.getTime() - Date.now()) / 3_600_000;
    expect(ev.reason).toMatch(/^EV charger: [\d.]+ of 20\.0 kWh by 07:00/);
    if (hoursLeft > 2.5) expect(ev.promise).toBe('kept');
    if (hoursLeft < 1.5) expect(ev.promise).toBe('at_risk');
    expect(errorsAndWorse()).toEqual([]);
  }, 60_000);
});
