/** Headless Chromium (Debian's package) on a running Node-RED editor, for the editor tests. */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (Debian package chromium)`;
if (chromiumMissing && process.env.HEMS_REQUIRE_PEERS === '1') throw new Error(`HEMS_REQUIRE_PEERS=1 but ${chromiumMissing}`);

export interface EditorPage {
  browser: any;
  page: any;
  /** Uncaught errors of the page, in order; tests empty it before a step. */
  pageErrors: string[];
}

/** Opens the editor at the port (in the browser locale, which Node-RED's editor takes as its language) and waits for its palette. */
export async function openEditor(port: number, options: { locale?: string } = {}): Promise<EditorPage> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, ...(options.locale ? { locale: options.locale } : {}) });
  const pageErrors: string[] = [];
  page.on('pageerror', (err: Error) => pageErrors.push(err.message));
  await page.goto(`http://127.0.0.1:${port}`);
  await page.waitForFunction(() => (window as unknown as { RED?: { nodes?: { getType?: unknown } } }).RED?.nodes?.getType !== undefined, null, { timeout: 30_000 });
  await page.waitForSelector('.red-ui-palette-node', { timeout: 30_000 });
  return { browser, page, pageErrors };
}

/** Adds a node of the type with its editor defaults (a config node unplaced) and opens its edit dialog; resolves to its id once the dialog is built. */
export async function openNewNodeDialog(page: any, type: string): Promise<string> {
  return page.evaluate(async (nodeType: string) => {
    const RED = (window as unknown as { RED: Record<string, any> }).RED;
    const def = RED.nodes.getType(nodeType);
    const defaults: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(def.defaults as Record<string, { value: unknown }>)) defaults[key] = JSON.parse(JSON.stringify(d.value ?? ''));
    const node: Record<string, unknown> = { id: RED.nodes.id(), type: nodeType, _def: def, z: def.category === 'config' ? undefined : RED.workspaces.active(), x: 200, y: 200, ...defaults, changed: true, dirty: true };
    if (def.category === 'config') {
      node.users = [];
      RED.nodes.add(node);
      RED.editor.editConfig('', nodeType, node.id);
    } else {
      RED.nodes.add(node);
      RED.editor.edit(node);
    }
    await new Promise((r) => setTimeout(r, 1500));
    return node.id as string;
  }, type);
}
