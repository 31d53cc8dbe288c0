/** The hems-site config node: the optimiser, loads and planner pick it and share its session. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsLogged, helper, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const nodes = ['hems-site', 'hems-optimiser', 'hems-load'].map((name) => require(join(__dirname, '..', '..', 'dist', 'nodes', `${name}.js`)));

runtimeAroundTests();

const SITE = { id: 'site', type: 'hems-site', version: 1, deviceId: 'home', gridDevice: 'grid', strategy: 'pv_surplus', staleAfterSeconds: 30, rippleRules: [] };
// Flow nodes carry x and y: without them Node-RED takes a node for a config node.
const optimiser = (id: string) => ({ id, z: 'tab', x: 100, y: 100, type: 'hems-optimiser', version: 1, site: 'site', cycleSeconds: 1, wires: [['cycles']] });
const LOAD = { id: 'rod', z: 'tab', x: 100, y: 200, type: 'hems-load', version: 1, site: 'site', loadId: 'rod', kind: 'stepped', stagePowersW: [1000, 1000], priority: 1, mode: 'surplus', enableDelaySeconds: 0, feedback: 'commanded', wires: [['out']] };
const flow = (...extra: Array<Record<string, unknown>>) => [{ id: 'tab', type: 'tab' }, ...extra, { id: 'cycles', z: 'tab', x: 300, y: 100, type: 'helper' }, { id: 'out', z: 'tab', x: 300, y: 200, type: 'helper' }];

describe('hems-site', () => {
  it('the optimiser and its loads find the site in their constructors and decide together', async () => {
    await helper.load(nodes, flow(SITE, optimiser('opt'), LOAD));
    const commands: Array<{ payload: { stage: number } }> = [];
    helper.getNode('out').on('input', (m: (typeof commands)[number]) => commands.push(m));
    helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -2500 } } });
    const command = await waitFor(() => commands.find((m) => m.payload.stage === 2), 5000, 'both stages on');
    expect(command.payload).toMatchObject({ on: true, powerW: 2000 });
  });

  it('a site that cannot start: the optimiser and its loads say why instead of waiting', async () => {
    await helper.load(nodes, flow({ ...SITE, gridDevice: '' }, optimiser('opt'), LOAD));
    const problem = 'its site has a problem: grid meter device id is empty';
    for (const id of ['opt', 'rod']) await waitFor(() => lastStatus(helper.getNode(id))?.text?.startsWith(problem), 3000, `${id} naming the site's problem`);
    expect(errorsLogged('site').join('\n')).toContain('hems-site "home": grid meter device id is empty');
  });

  it('one optimiser runs a site: a second one is refused with the reason', async () => {
    await helper.load(nodes, flow(SITE, optimiser('opt'), optimiser('opt2')));
    expect(lastStatus(helper.getNode('opt2'))).toMatchObject({ fill: 'red', text: 'site "home" is already run by optimiser opt: one optimiser per site' });
    expect(lastStatus(helper.getNode('opt'))?.fill).toBe('yellow');
  });
});
