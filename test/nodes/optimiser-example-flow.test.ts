import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helper } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');
const CORE = join(ROOT, 'node_modules', '@node-red', 'nodes', 'core');
const nodes = [
  ...['hems-ha', 'hems-optimiser', 'hems-load'].map((name) => require(join(ROOT, 'dist', 'nodes', `${name}.js`))),
  ...['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js'].map((file) => require(join(CORE, file))),
];

beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
});
afterAll(async () => {
  await helper.unload();
  await new Promise<void>((done) => helper.stopServer(done));
});

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
    const errors = helper.log().args.map((a: Array<{ level: number }>) => a[0]).filter((e: { level: number }) => e.level <= 20);
    expect(errors).toEqual([]);
  }, 30_000);
});
