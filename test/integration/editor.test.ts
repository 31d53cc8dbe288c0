/**
 * Every node's edit dialog in the real Node-RED editor, driven by headless Chromium: it opens
 * without page errors, shows its help, and saving it does not break the node's configuration.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type RunningNodeRed } from '../helpers/runtime';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const chromiumMissing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (Debian package chromium)`;
if (chromiumMissing && process.env.HEMS_REQUIRE_PEERS === '1') throw new Error(`HEMS_REQUIRE_PEERS=1 but ${chromiumMissing}`);
if (chromiumMissing) console.warn(`skipping editor tests: ${chromiumMissing}`);

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'flows')).flatMap((f) => JSON.parse(readFileSync(join(ROOT, 'flows', f), 'utf8')) as unknown[]);
const TYPES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

describe.skipIf(chromiumMissing)('the Node-RED editor', () => {
  let nodeRed: RunningNodeRed;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let page: any;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The shipped example flows are loaded too: their nodes must be valid as saved.
    nodeRed = await startRuntime([...EXAMPLES, { id: 'tab', type: 'tab', label: 'Editor test' }]);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err: Error) => pageErrors.push(err.message));
    await page.goto(`http://127.0.0.1:${nodeRed.port}`);
    await page.waitForFunction(() => (window as unknown as { RED?: { nodes?: { getType?: unknown } } }).RED?.nodes?.getType !== undefined, null, { timeout: 30_000 });
    await page.waitForSelector('.red-ui-palette-node', { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  it('knows every node type of the package, in the hems palette category', async () => {
    const registered = await page.evaluate((types: string[]) => {
      const RED = (window as unknown as { RED: { nodes: { getType(t: string): { category: string } | undefined } } }).RED;
      return types.map((t) => [t, RED.nodes.getType(t)?.category ?? 'missing']);
    }, TYPES);
    for (const [type, category] of registered) expect([type, category === 'config' ? 'config' : category]).toEqual([type, expect.stringMatching(/^(hems|config)$/)]);
  });

  it('shows every node of the example flows as valid (no red triangle), old saved properties included', async () => {
    const invalid = await page.evaluate(() => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      const bad: string[] = [];
      const check = (n: { type: string; id: string; valid?: boolean; validationErrors?: string[] }) => {
        if (n.type.startsWith('hems-') && n.valid === false) bad.push(`${n.type} ${n.id}: ${(n.validationErrors ?? []).join(', ')}`);
      };
      RED.nodes.eachNode(check);
      RED.nodes.eachConfig(check);
      return bad;
    });
    expect(invalid).toEqual([]);
  });

  it("the meter's generic-profile rows offer every canonical measurement (shared editor helper)", async () => {
    pageErrors.length = 0;
    const options = await page.evaluate(async () => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      const def = RED.nodes.getType('hems-meter');
      const node = { id: RED.nodes.id(), type: 'hems-meter', _def: def, z: RED.workspaces.active(), x: 300, y: 300, changed: true, dirty: true,
        ...Object.fromEntries(Object.entries(def.defaults as Record<string, { value: unknown }>).map(([k, d]) => [k, JSON.parse(JSON.stringify(d.value ?? ''))])),
        profile: 'generic', genericProfile: { registers: [{ name: 'energy_import_kwh', table: 'input', address: 0, type: 'float32' }] } };
      RED.nodes.add(node);
      RED.editor.edit(node);
      await new Promise((r) => setTimeout(r, 1500));
      const select = document.querySelector('#node-input-generic-registers select') as HTMLSelectElement | null;
      const result = { count: select?.options.length ?? 0, value: select?.value };
      (document.querySelector('#node-dialog-cancel') as HTMLButtonElement | null)?.click();
      await new Promise((r) => setTimeout(r, 500));
      return result;
    });
    expect(pageErrors).toEqual([]);
    expect(options.value).toBe('energy_import_kwh');
    expect(options.count).toBeGreaterThan(50);
  }, 30_000);

  it.each(TYPES)('%s: the edit dialog opens, shows its help, and saves', async (type) => {
    pageErrors.length = 0;
    const result = await page.evaluate(async (nodeType: string) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      const def = RED.nodes.getType(nodeType);
      const defaults: Record<string, unknown> = {};
      for (const [key, d] of Object.entries(def.defaults as Record<string, { value: unknown }>)) defaults[key] = JSON.parse(JSON.stringify(d.value ?? ''));
      const node = { id: RED.nodes.id(), type: nodeType, _def: def, z: def.category === 'config' ? undefined : RED.workspaces.active(), x: 200, y: 200, ...defaults, changed: true, dirty: true };
      if (def.category === 'config') {
        node.users = [];
        RED.nodes.add(node);
        RED.editor.editConfig('', nodeType, node.id);
      } else {
        RED.nodes.add(node);
        RED.editor.edit(node);
      }
      await new Promise((r) => setTimeout(r, 1500));
      const tray = document.querySelector('.red-ui-tray');
      const fields = tray ? tray.querySelectorAll('input, select, textarea').length : 0;
      const help = (RED.nodes.getNodeHelp?.(nodeType) ?? document.querySelector(`script[data-help-name="${nodeType}"]`)?.innerHTML ?? '') as string;
      const done = document.querySelector('#node-dialog-ok, #node-config-dialog-ok') as HTMLButtonElement | null;
      done?.click();
      await new Promise((r) => setTimeout(r, 500));
      const sharedHelpers = typeof (window as unknown as { HemsEditor?: { measurementSelect?: unknown } }).HemsEditor?.measurementSelect === 'function';
      return { fields, sharedHelpers, helpLength: help.length, closed: document.querySelector('.red-ui-tray') === null || !!done };
    }, type);
    expect(pageErrors).toEqual([]);
    expect(result.fields).toBeGreaterThan(1);
    expect(result.sharedHelpers).toBe(true);
    expect(result.helpLength).toBeGreaterThan(100);
  }, 30_000);
});
