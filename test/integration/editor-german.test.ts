/**
 * The Node-RED editor in German, driven by headless Chromium with the browser locale de-DE (Node-RED's
 * editor takes its language from navigator.language and asks for node catalogues and help with it):
 * every dialog shows its labels, options and placeholders from the de catalogue, no text that exists
 * only in English, and the help sidebar shows the German help.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, openEditor, openNewNodeDialog } from '../helpers/editor-browser';
import { flatten, localeFile, readCatalogue } from '../helpers/locales';
import { startRuntime, type RunningNodeRed } from '../helpers/runtime';

if (chromiumMissing) console.warn(`skipping German editor tests: ${chromiumMissing}`);

const ROOT = join(__dirname, '..', '..');
const TYPES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);
/** A folder to keep a screenshot of each German dialog in, for a look at the layout. */
const SCREENSHOT = process.env.HEMS_SCREENSHOT_DIR;

const catalogue = (lang: string, type: string) => flatten(readCatalogue(lang, type));
/** The help's headings and documented names (h3, dt without its type), as the sidebar shows them. */
const helpHeadings = (html: string) =>
  [...html.matchAll(/<(h3|dt)>([\s\S]*?)<\/\1>/g)].map((m) => m[2].replace(/<span class="property-type">[\s\S]*?<\/span>/, '').replace(/<[^>]+>/g, '').trim());
const firstParagraph = (html: string) => (/<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

describe.skipIf(chromiumMissing)('the Node-RED editor in German (browser locale de-DE)', () => {
  let nodeRed: RunningNodeRed;
  let browser: any;
  let page: any;
  let pageErrors: string[];

  beforeAll(async () => {
    const pulse = { type: 'hems-pulse', z: 'tab', wires: [[]], version: 1, name: '', medium: 'water_m3', pulsesPerUnit: 1000, debounceMs: 20, maxIncrement: 10000,
      bus: '', unitId: 1, table: 'discrete', address: 0, pollInterval: 0.1, ha: '', haStates: 'quiet' };
    nodeRed = await startRuntime(
      [
        { id: 'tab', type: 'tab', label: 'Editor test' },
        // A deployed node whose status is a catalogue key: the editor shows it in the browser's language.
        { ...pulse, id: 'pulse', x: 200, y: 500, deviceId: 'water_meter', messageMode: 'level' },
        // Statuses with values, translated by the runtime: its language is German too.
        { ...pulse, id: 'counter', x: 200, y: 560, deviceId: 'garden_water', messageMode: 'increment' },
        { id: 'pulses', type: 'inject', z: 'tab', x: 60, y: 560, props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.1, topic: '', payload: '25', payloadType: 'num', wires: [['counter']] },
        { ...pulse, id: 'misnamed', x: 200, y: 620, deviceId: 'garden water', messageMode: 'increment' },
      ],
      { lang: 'de' },
    );
    ({ browser, page, pageErrors } = await openEditor(nodeRed.port, { locale: 'de-DE' }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  it('runs the editor in German', async () => {
    expect(await page.evaluate(() => navigator.language)).toBe('de-DE');
    // Node-RED's own German catalogue: the deploy button.
    expect(await page.textContent('#red-ui-header-button-deploy .red-ui-deploy-button-content')).toContain('Übernahme');
  });

  it('shows a fixed status text of a deployed node in German', async () => {
    const label = async () => page.evaluate(() => (window as unknown as { RED: Record<string, any> }).RED.nodes.node('pulse')?.status?.text);
    await page.waitForFunction(() => (window as unknown as { RED: Record<string, any> }).RED.nodes.node('pulse')?.status?.text, null, { timeout: 10_000 });
    expect(await label()).toBe(catalogue('de', 'hems-pulse').get('hems-pulse.status.waitingForPulses'));
  });

  it('shows status texts with values in German, an engine message inside a German frame', async () => {
    const status = (id: string) => page.evaluate((nodeId: string) => (window as unknown as { RED: Record<string, any> }).RED.nodes.node(nodeId)?.status?.text, id);
    await page.waitForFunction(() => (window as unknown as { RED: Record<string, any> }).RED.nodes.node('counter')?.status?.text?.includes('Impulse'), null, { timeout: 10_000 });
    expect(await status('counter')).toBe('0,025 m³ (25 Impulse)');
    expect(await status('misnamed')).toMatch(/^Einstellung prüfen: device id "garden water"/);
  });

  it.each(TYPES)('%s: the dialog and its help show German, no English-only label, option or heading', async (type) => {
    pageErrors.length = 0;
    const de = catalogue('de', type);
    const id = await openNewNodeDialog(page, type);
    const portLabels: string[] = await page.evaluate(async (nodeId: string) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      const node = RED.nodes.node(nodeId);
      const def = node._def;
      RED.sidebar.help.show(node.type);
      await new Promise((r) => setTimeout(r, 300));
      // The labels shown when hovering over a port.
      const ports = (labels: unknown, count: number) =>
        typeof labels === 'function' ? Array.from({ length: count }, (_, i) => String(labels.call(node, i))) : ((labels as string[] | undefined) ?? []);
      return [...ports(def.inputLabels, def.inputs ?? 0), ...ports(def.outputLabels, def.outputs ?? 0)];
    }, id);
    if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, `${type}-de.png`) });

    const shown = await page.evaluate(async () => {
      const form = document.querySelector('.red-ui-tray:last-of-type .red-ui-tray-body form, .red-ui-tray:last-of-type form') as HTMLElement;
      // Every text of the dialog, hidden rows included (another choice shows them), and the texts put into attributes.
      const texts: string[] = [];
      const walker = document.createTreeWalker(form, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) if (t.textContent?.trim() && t.parentElement?.tagName !== 'SCRIPT') texts.push(t.textContent.trim());
      for (const el of Array.from(form.querySelectorAll('[placeholder], [title]'))) texts.push(el.getAttribute('placeholder') ?? '', el.getAttribute('title') ?? '');
      const i18n = Array.from(form.querySelectorAll('[data-i18n]')).flatMap((el) =>
        (el.getAttribute('data-i18n') ?? '').split(';').map((spec: string) => {
          const m = /^(?:\[([^\]]+)\])?(.+)$/.exec(spec.trim()) as RegExpExecArray;
          // Node-RED prefixes each key with the node set's namespace ("node-red-contrib-hems/<type>:").
          return { key: m[2].replace(/^[^:]*:/, ''), shown: m[1] ? el.getAttribute(m[1]) ?? '' : (el.textContent ?? '').trim() };
        }),
      );
      const title = document.querySelector('.red-ui-sidebar-help-stack h1.red-ui-help-title') as HTMLElement;
      const help = title.parentElement as HTMLElement;
      const helpTitle = title.textContent?.trim() ?? '';
      const helpHeadings = Array.from(help.querySelectorAll('h3, dt')).map((h) => Array.from(h.childNodes).filter((c) => !(c instanceof HTMLElement && c.classList.contains('property-type'))).map((c) => c.textContent).join('').trim());
      const helpText = help.textContent?.replace(/\s+/g, ' ') ?? '';
      (document.querySelector('#node-dialog-cancel, #node-config-dialog-cancel') as HTMLButtonElement | null)?.click();
      await new Promise((r) => setTimeout(r, 500));
      return { texts, i18n, helpTitle, helpHeadings, helpText };
    });

    expect(pageErrors).toEqual([]);

    // Each translated element shows its de text (Node-RED found and applied the German catalogue).
    expect(shown.i18n.length).toBeGreaterThan(0);
    for (const { key, shown: text } of shown.i18n) expect([key, text]).toEqual([key, de.get(key)]);
    // No text of the dialog is one that exists only in English.
    // (Palette and port labels are checked below: a device-id placeholder such as "optimiser" is an id, not English.)
    const dialogKey = (key: string) => !/\.(paletteLabel|inputLabels\.\d+|outputLabels\.\d+)$/.test(key);
    // Every node's catalogues count: a word one node translates must not stay English in another's dialog.
    const englishOnly = new Set(
      TYPES.flatMap((t) => {
        const [enT, deT] = [catalogue('en-US', t), catalogue('de', t)];
        return [...enT].filter(([key, text]) => dialogKey(key) && deT.get(key) !== text).map(([, text]) => text);
      }),
    );
    expect(shown.texts.filter((t: string) => englishOnly.has(t))).toEqual([]);
    // Palette label (also the help's title) and port labels come from the de catalogue too.
    const paletteLabel = de.get(`${type}.paletteLabel`);
    if (paletteLabel) expect(shown.helpTitle).toBe(paletteLabel);
    for (const label of portLabels) expect([...de.values()]).toContain(label);

    // The sidebar shows the German help: its first paragraph, and no heading that is English only.
    const enHelp = localeFile('en-US', `${type}.html`);
    const deHelp = localeFile('de', `${type}.html`);
    expect(shown.helpText).toContain(firstParagraph(deHelp));
    const englishHeadings = helpHeadings(enHelp).filter((h) => !helpHeadings(deHelp).includes(h));
    expect(shown.helpHeadings.filter((h: string) => englishHeadings.includes(h))).toEqual([]);
  }, 30_000);
});
