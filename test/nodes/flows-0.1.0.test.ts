/**
 * Flows saved by 0.1.0 (test/fixtures/flows-0.1.0/: the examples of 0.1.0 and one with ripple
 * rules) keep working: deployed as saved (the runtime migrates them, without the editor) they
 * behave as the flows the editor migrates them to, and the shipped examples are exactly that.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsContract } from '../../src/settings/contract';
import { helper, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');
const OLD = join(ROOT, 'test', 'fixtures', 'flows-0.1.0');
const CORE = join(ROOT, 'node_modules', '@node-red', 'nodes', 'core');
const nodes = [
  ...['hems-modbus', 'hems-meter', 'hems-ha', 'hems-site', 'hems-optimiser', 'hems-load', 'hems-planner'].map((name) => require(join(ROOT, 'dist', 'nodes', `${name}.js`))),
  ...['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js'].map((file) => require(join(CORE, file))),
];

type Flow = Array<Record<string, any>>;
const read = (dir: string, name: string): Flow => JSON.parse(readFileSync(join(dir, name), 'utf8'));
/** As the editor names the site it makes for a 0.1.0 optimiser in the shipped examples. */
const siteIdFor = (optimiser: Record<string, unknown>) => String(optimiser.id).replace(/_optimiser$/, '') + '_site';
const migrated = (flow: Flow): Flow => settingsContract.migrateFlow(flow, siteIdFor);

runtimeAroundTests();

function errorsAndWorse(): unknown[] {
  return helper.log().args.map((a: Array<{ level: number }>) => a[0]).filter((e: { level: number }) => e.level <= 20);
}

/** Messages arriving at the given nodes, with what changes from run to run (times, ages) taken out. */
function record(ids: string[]): Record<string, unknown[]> {
  const seen: Record<string, unknown[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const id of ids) {
    helper.getNode(id).on('input', (m: { payload: any }) => {
      const { timestamp: _t, ...payload } = m.payload;
      if (payload.inputs) delete payload.inputs.readingsAgeSeconds;
      seen[id].push(payload);
    });
  }
  return seen;
}

describe('the shipped examples are the 0.1.0 examples as the editor migrates them', () => {
  // The examples 0.1.0 shipped; the ones added since have no 0.1.0 form.
  // A tab's `info` is prose about the example, rewritten as the product grows; the settings are the migration's.
  const withoutInfo = (nodes: Array<Record<string, unknown>>) => nodes.map(({ info: _info, ...node }) => node);
  it.each(readdirSync(join(ROOT, 'flows')).filter((name) => existsSync(join(OLD, name))))('%s', (name) => {
    expect(withoutInfo(migrated(read(OLD, name)))).toEqual(withoutInfo(read(join(ROOT, 'flows'), name)));
  });
});

describe('a 0.1.0 flow deployed as saved behaves as the migrated one', () => {
  /** The PV example without its timer: the same readings go straight to the optimiser. */
  async function pvSurplusRun(flow: Flow) {
    await helper.load(nodes, flow.filter((n) => n.type !== 'inject'));
    const seen = record(['hems_pv_cycle_debug', 'hems_pv_rod_out', 'hems_pv_ev_out', 'hems_pv_pool_out']);
    helper.getNode('hems_pv_optimiser').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -6000 } } });
    await waitFor(() => seen.hems_pv_cycle_debug.length > 0, 10_000, 'a cycle');
    expect(errorsAndWorse()).toEqual([]);
    await helper.unload();
    return seen;
  }

  it('optimiser-pv-surplus.json: the same cycle message and the same command on every load output', async () => {
    const old = await pvSurplusRun(read(OLD, 'optimiser-pv-surplus.json'));
    const now = await pvSurplusRun(read(join(ROOT, 'flows'), 'optimiser-pv-surplus.json'));
    expect((old.hems_pv_cycle_debug[0] as any).commands.map((c: { loadId: string }) => c.loadId)).toEqual(['heating_rod', 'ev', 'pool_pump']);
    expect(now.hems_pv_cycle_debug[0]).toEqual(old.hems_pv_cycle_debug[0]);
    for (const id of ['hems_pv_rod_out', 'hems_pv_ev_out', 'hems_pv_pool_out']) expect(now[id][0]).toEqual(old[id][0]);
  }, 40_000);

  async function plannerRun(flow: Flow) {
    await helper.load(nodes, flow);
    const seen = record(['hems_plan_plan_debug']);
    const plan = (await waitFor(() => seen.hems_plan_plan_debug[0], 20_000, 'a plan')) as { solver: string; loads: Array<{ loadId: string; promise: string }> };
    expect(errorsAndWorse()).toEqual([]);
    await helper.unload();
    return { solver: plan.solver, loads: plan.loads.map((l) => [l.loadId, l.promise]).sort() };
  }

  it('planner-deadlines.json: the same loads planned, with the same promises', async () => {
    const old = await plannerRun(read(OLD, 'planner-deadlines.json'));
    expect(old.loads.map(([id]) => id)).toEqual(['pool_pump', 'water_heater']);
    expect(await plannerRun(read(join(ROOT, 'flows'), 'planner-deadlines.json'))).toEqual(old);
  }, 60_000);

  /** Contacts k1 closed (feed-in 60 %), then both closed (feed-in 0, heat pumps locked), under 6 kW of export. */
  async function rippleRun(flow: Flow) {
    await helper.load(nodes, flow);
    const seen = record(['ripple_cycles', 'ripple_rod_out', 'ripple_hp_out']);
    const optimiser = helper.getNode('ripple_optimiser');
    const reading = () => optimiser.receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -6000 } } });
    optimiser.receive({ topic: 'ripple', payload: { k1: true, k2: false } });
    reading();
    await waitFor(() => seen.ripple_cycles.length > 0, 5000, 'a cycle with k1 closed');
    optimiser.receive({ topic: 'ripple', payload: [true, true] });
    reading();
    const count = seen.ripple_cycles.length;
    await waitFor(() => seen.ripple_cycles.length > count, 5000, 'a cycle with both closed');
    expect(errorsAndWorse()).toEqual([]);
    await helper.unload();
    return { first: seen.ripple_cycles[0] as any, locked: seen.ripple_cycles.at(-1) as any, rod: seen.ripple_rod_out[0], heatPump: seen.ripple_hp_out.at(-1) };
  }

  it('ripple-rules.json: ripple rules, stage powers as text and loads naming the optimiser', async () => {
    const flow = read(OLD, 'ripple-rules.json');
    const old = await rippleRun(flow);
    expect(old.first.site).toMatchObject({ feedInLimitPct: 60, maxExportW: 6000 });
    expect(old.first.commands.map((c: { loadId: string }) => c.loadId)).toEqual(['heating_rod', 'heat_pump']);
    expect(old.locked.site).toMatchObject({ feedInLimitPct: 0, heatPumpLockActive: true, dimming14aActive: false });
    expect(old.heatPump).toMatchObject({ sgReadyState: 'lock' });

    const now = migrated(flow);
    expect(now.find((n) => n.type === 'hems-site')).toMatchObject({ rippleInputs: 'k1, k2', rippleRules: JSON.parse(flow[1].rippleRules), pvPeakW: 10000 });
    expect(now.find((n) => n.id === 'ripple_rod')).toMatchObject({ stagePowersW: [1000, 1000, 1000], site: 'ripple_site' });
    expect(await rippleRun(now)).toEqual(old);
  }, 40_000);
});
