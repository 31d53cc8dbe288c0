/**
 * The Home Assistant dashboard in docs/ is YAML HA can read, and every entity it names is one our
 * discovery creates when the example flow it is written for (planner-deadlines, with a bridge
 * picked in its site and planner) runs: the entity id
 * a new entity gets is its component's default_entity_id (HA 2025.10+) and, before that,
 * `<platform>.<object_id>`. Its plan chart reads only attributes the plan sensor has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAttributes } from '../ha-conformance/checker';
import { helper, NODE_RED_DIR, runtimeWithBroker } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const ROOT = join(__dirname, '..', '..');
const CORE = join(NODE_RED_DIR, '..', '@node-red', 'nodes', 'core');
const nodes = [
  ...['hems-ha', 'hems-site', 'hems-optimiser', 'hems-load', 'hems-planner'].map((type) => require(join(ROOT, 'dist', 'nodes', `${type}.js`))),
  ...['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-function.js'].map((file) => require(join(CORE, file))),
];

const DASHBOARD = readFileSync(join(ROOT, 'docs', 'home-assistant-dashboard.yaml'), 'utf8');
/** Any string in the dashboard that looks like an entity id of a platform we publish. */
const ENTITY_ID = /^(sensor|binary_sensor|switch|select|number|button|text)\.[a-z0-9_]+$/;

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

type Component = { p: string; def_ent_id?: string; obj_id?: string };

/** The entity ids HA gives the entities of a device config: default_entity_id, else platform.object_id. */
function entityIdsOf(payload: string): string[] {
  const cmps = (JSON.parse(payload) as { cmps: Record<string, Component> }).cmps;
  return Object.values(cmps).map((c) => c.def_ent_id ?? `${c.p}.${c.obj_id}`);
}

const env = runtimeWithBroker();

describe('the Home Assistant dashboard in docs/', { timeout: 60_000 }, () => {
  const dashboard = yaml.load(DASHBOARD) as { views: Array<{ cards: Array<Record<string, unknown>> }> };
  const named = [...new Set(stringsIn(dashboard).filter((s) => ENTITY_ID.test(s)))];

  it('is YAML with views of cards, the built-in energy, history and entities cards among them', () => {
    const types = dashboard.views.flatMap((view) => view.cards.map((card) => card.type));
    expect(types).toEqual(expect.arrayContaining(['energy-distribution', 'history-graph', 'entities', 'custom:apexcharts-card']));
    expect(named.length).toBeGreaterThan(25);
  });

  it('names only entities the example flow creates in HA, and its plan chart reads only attributes the plan has', async () => {
    const recorder = await env.record(['homeassistant/#', 'hems/#']);
    // The example as the dashboard expects it: a bridge picked in its site and its planner.
    const bridge = { id: 'dashboard_ha', type: 'hems-ha', name: 'Home Assistant MQTT', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems', version: 1 };
    const example = JSON.parse(readFileSync(join(ROOT, 'flows', 'planner-deadlines.json'), 'utf8')) as Array<Record<string, unknown>>;
    const flow = [...example.map((node) => (node.type === 'hems-site' || node.type === 'hems-planner' ? { ...node, ha: bridge.id } : node)), bridge];
    await helper.load(nodes, flow);
    // The planner shows its loads once it has planned them: the first plan comes from a fresh plan process.
    const plannerConfig = 'homeassistant/device/hems_planner/config';
    await waitFor(() => (recorder.payload(plannerConfig) ?? '').includes('water_heater_next_start') || undefined, 40_000, 'the planner with its loads in HA');
    const plan = await waitFor(() => recorder.payload('hems/planner/plan/attributes'), 5000, 'the plan attributes');

    const configs = [...recorder.latest.values()].filter((m) => m.topic.startsWith('homeassistant/device/') && m.payload !== '');
    const created = new Set(configs.flatMap((m) => entityIdsOf(m.payload)));
    expect(named.filter((id) => !created.has(id))).toEqual([]);

    expect(checkAttributes(plan)).toEqual([]);
    const attributes = JSON.parse(plan) as Record<string, unknown>;
    const read = [...DASHBOARD.matchAll(/\ba\.([a-z_]+)/g)].map((m) => m[1]);
    // battery_soc_pct is there only with a battery, which this example has not: the chart copes (`|| []`).
    expect([...new Set(read)].filter((key) => !(key in attributes) && key !== 'battery_soc_pct')).toEqual([]);
    const loads = [...DASHBOARD.matchAll(/a\.load_w\.([a-z0-9_]+)/g)].map((m) => m[1]);
    expect(loads.sort()).toEqual(['ev', 'pool_pump', 'water_heater']);
  });
});
