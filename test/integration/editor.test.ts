/**
 * Every node's edit dialog in the real Node-RED editor, driven by headless Chromium: it opens
 * without page errors, shows its help, and saving it does not break the node's configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfiguredJobs } from '../../src/engine/planner-session/jobs';
import { parseTariff } from '../../src/engine/planner-session/price-table';
import { settingsContract } from '../../src/settings/contract';
import { chromiumMissing, openEditor, openNewNodeDialog } from '../helpers/editor-browser';
import { startRuntime, type RunningNodeRed } from '../helpers/runtime';
if (chromiumMissing) console.warn(`skipping editor tests: ${chromiumMissing}`);

const ROOT = join(__dirname, '..', '..');
// Examples share the demo's bridge (same id and content, as an import beside the demo reuses it): once each.
const EXAMPLES = [...new Map(readdirSync(join(ROOT, 'flows')).flatMap((f) => JSON.parse(readFileSync(join(ROOT, 'flows', f), 'utf8')) as Array<{ id: string }>).map((n) => [n.id, n])).values()];
const TYPES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

describe.skipIf(chromiumMissing)('the Node-RED editor', () => {
  let nodeRed: RunningNodeRed;
  let browser: any;
  let page: any;
  let pageErrors: string[];

  beforeAll(async () => {
    // The shipped example flows are loaded too: their nodes must be valid as saved.
    nodeRed = await startRuntime([...EXAMPLES, { id: 'tab', type: 'tab', label: 'Editor test' }]);
    ({ browser, page, pageErrors } = await openEditor(nodeRed.port));
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

  /** Adds a node to the active workspace with its defaults and props, opens its dialog; resolves to its id. */
  async function openNode(type: string, props: Record<string, unknown>, waitFor: string): Promise<string> {
    const id = await page.evaluate(
      ({ nodeType, extra }: { nodeType: string; extra: Record<string, unknown> }) => {
        const RED = (window as unknown as { RED: Record<string, any> }).RED;
        const def = RED.nodes.getType(nodeType);
        const defaults = Object.fromEntries(Object.entries(def.defaults as Record<string, { value: unknown }>).map(([k, d]) => [k, JSON.parse(JSON.stringify(d.value ?? ''))]));
        const node = { id: RED.nodes.id(), type: nodeType, _def: def, z: RED.workspaces.active(), x: 400, y: 100, changed: true, dirty: true, ...defaults, ...extra };
        RED.nodes.add(node);
        RED.editor.edit(node);
        return node.id as string;
      },
      { nodeType: type, extra: props },
    );
    await page.waitForSelector(waitFor, { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(500);
    return id;
  }

  /** Adds nodes without opening them (the optimiser and its loads). */
  async function addNodes(nodes: Array<Record<string, unknown>>): Promise<void> {
    await page.evaluate((list: Array<Record<string, unknown>>) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      for (const props of list) {
        const def = RED.nodes.getType(props.type as string);
        const defaults = Object.fromEntries(Object.entries(def.defaults as Record<string, { value: unknown }>).map(([k, d]) => [k, JSON.parse(JSON.stringify(d.value ?? ''))]));
        const placed = def.category === 'config' ? { users: [] } : { z: RED.workspaces.active(), x: 600, y: 100 };
        RED.nodes.add({ _def: def, ...placed, changed: true, dirty: true, ...defaults, ...props });
      }
    }, nodes);
  }

  async function clickDone(): Promise<void> {
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached', timeout: 10_000 });
  }

  async function stored(id: string): Promise<{ jobs: string; tariff: string }> {
    return page.evaluate((nodeId: string) => {
      const n = (window as unknown as { RED: Record<string, any> }).RED.nodes.node(nodeId);
      return { jobs: n.jobs, tariff: n.tariff };
    }, id);
  }

  type JobRow = { load: string; kind: string; amount: string; by: string; from: string; days: string[]; interruptible: boolean; upTo: string };
  async function jobRows(): Promise<JobRow[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('#hems-planner-jobs-list > li')).map((li) => {
        const value = (cls: string) => (li.querySelector(cls) as HTMLInputElement | HTMLSelectElement).value;
        const energy = value('.hems-job-kind') === 'energy';
        return {
          load: value('.hems-job-load-select') || value('.hems-job-load'),
          kind: value('.hems-job-kind'),
          amount: value(energy ? '.hems-job-energyKwh' : '.hems-job-runtimeMinutes'),
          by: value('.hems-job-by'),
          from: value('.hems-job-from'),
          days: Array.from(li.querySelectorAll('.hems-job-day:checked')).map((c) => (c as HTMLElement).dataset.day as string),
          interruptible: (li.querySelector('.hems-job-interruptible') as HTMLInputElement).checked,
          upTo: value(energy ? '.hems-job-upToKwh' : '.hems-job-upToMinutes'),
        };
      }),
    );
  }

  async function periodRows(): Promise<string[][]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('#hems-planner-tariff-list > li')).map((li) =>
        ['from', 'to', 'importEurPerKwh', 'exportEurPerKwh'].map((f) => (li.querySelector(`.hems-tariff-${f}`) as HTMLInputElement).value),
      ),
    );
  }

  const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

  it('the planner shows its jobs and time-of-use prices as rows, and saves the edited rows as the same JSON', async () => {
    pageErrors.length = 0;
    await addNodes([
      { id: 'editor-site', type: 'hems-site', deviceId: 'optimiser', gridDevice: 'grid_meter' },
      { id: 'editor-other-site', type: 'hems-site', name: 'Other site', deviceId: 'other', gridDevice: 'grid_meter' },
      { id: 'editor-optimiser', type: 'hems-optimiser', site: 'editor-site' },
      { id: 'editor-load-pool', type: 'hems-load', loadId: 'pool', name: 'Pool pump', site: 'editor-site', powerW: 800 },
      { id: 'editor-load-ev', type: 'hems-load', loadId: 'ev', site: 'editor-site', kind: 'ev_charger' },
      { id: 'editor-load-heater', type: 'hems-load', loadId: 'heater', site: 'editor-site', powerW: 2000 },
    ]);
    const id = await openNode(
      'hems-planner',
      {
        site: 'editor-site',
        jobs: '[{ "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" }, { "loadId": "ev", "energyKwh": 20, "by": "07:00", "from": "17:00", "weekdays": ["mon", "tue"] }, { "loadId": "heater", "runtimeMinutes": 60, "by": "06:00", "interruptible": false }]',
        tariff: '[{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.22, "exportEurPerKwh": 0.08 }, { "from": "06:00", "to": "22:00", "importEurPerKwh": 0.34 }]',
      },
      '#hems-planner-jobs-list > li',
    );
    expect(await page.isVisible('#hems-planner-jobs-list')).toBe(true);
    expect(await page.isVisible('#node-input-jobs')).toBe(false);
    expect(await page.isVisible('#node-input-tariff')).toBe(false);
    expect(await jobRows()).toEqual([
      { load: 'pool', kind: 'runtime', amount: '360', by: '20:00', from: '', days: ALL_DAYS, interruptible: true, upTo: '' },
      { load: 'ev', kind: 'energy', amount: '20', by: '07:00', from: '17:00', days: ['mon', 'tue'], interruptible: true, upTo: '' },
      { load: 'heater', kind: 'runtime', amount: '60', by: '06:00', from: '', days: ALL_DAYS, interruptible: false, upTo: '' },
    ]);
    expect(await periodRows()).toEqual([
      ['22:00', '06:00', '0.22', '0.08'],
      ['06:00', '22:00', '0.34', ''],
    ]);
    // The load select offers the loads of the chosen site.
    const loadOptions = await page.$$eval('#hems-planner-jobs-list > li:first-child .hems-job-load-select option', (os: HTMLOptionElement[]) => os.map((o) => o.value));
    expect(loadOptions).toEqual(['pool', 'ev', 'heater', '']);

    const jobs = page.locator('#hems-planner-jobs-list > li');
    // Edit: the pool pump runs 300 min in one go, with up to 420 min when it pays.
    await jobs.nth(0).locator('.hems-job-runtimeMinutes').fill('300');
    await jobs.nth(0).locator('.hems-job-interruptible').uncheck();
    await jobs.nth(0).locator('.hems-job-upToMinutes').fill('420');
    // Edit: the EV wants 25 kWh, on Wednesdays too.
    await jobs.nth(1).locator('.hems-job-energyKwh').fill('25');
    await jobs.nth(1).locator('.hems-job-day[data-day="wed"]').check();
    // Remove the heater job.
    await jobs.nth(2).locator('.red-ui-editableList-item-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('#hems-planner-jobs-list > li').length === 2);
    // Add: a dishwasher-like job typed as another load, 2 kWh by 17:00 on weekdays.
    await page.click('.hems-planner-jobs-rows .red-ui-editableList-addButton');
    await page.waitForFunction(() => document.querySelectorAll('#hems-planner-jobs-list > li').length === 3);
    const added = jobs.nth(2);
    expect(await added.locator('.hems-job-load-select').inputValue()).toBe('pool');
    await added.locator('.hems-job-load-select').selectOption('');
    await added.locator('.hems-job-load').fill('dishwasher');
    await added.locator('.hems-job-kind').selectOption('energy');
    await added.locator('.hems-job-energyKwh').fill('2');
    await added.locator('.hems-job-upToKwh').fill('3,5');
    await added.locator('.hems-job-by').fill('17:00');
    await added.locator('.hems-job-from').fill('09:30');
    await added.locator('.hems-job-day[data-day="sat"]').uncheck();
    await added.locator('.hems-job-day[data-day="sun"]').uncheck();

    const periods = page.locator('#hems-planner-tariff-list > li');
    await periods.nth(0).locator('.hems-tariff-importEurPerKwh').fill('0.2');
    await periods.nth(1).locator('.red-ui-editableList-item-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('#hems-planner-tariff-list > li').length === 1);
    await page.click('.hems-planner-tariff-rows .red-ui-editableList-addButton');
    await periods.nth(1).locator('.hems-tariff-from').fill('06:00');
    await periods.nth(1).locator('.hems-tariff-to').fill('22:00');
    await periods.nth(1).locator('.hems-tariff-importEurPerKwh').fill('0.36');
    // Reorder: the day period first, dragged by its handle.
    const handle = await periods.nth(1).locator('.red-ui-editableList-item-handle').boundingBox();
    const target = await periods.nth(0).boundingBox();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, target.y + 2, { steps: 10 });
    await page.mouse.move(handle.x + handle.width / 2, target.y - 4, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    expect(await periodRows()).toEqual([
      ['06:00', '22:00', '0.36', ''],
      ['22:00', '06:00', '0.2', '0.08'],
    ]);

    await clickDone();
    const saved = await stored(id);
    expect(pageErrors).toEqual([]);
    expect(saved.jobs).toBe(
      '[{ "loadId": "pool", "runtimeMinutes": 300, "interruptible": false, "upToMinutes": 420, "by": "20:00" },\n' +
        ' { "loadId": "ev", "energyKwh": 25, "by": "07:00", "from": "17:00", "weekdays": ["mon", "tue", "wed"] },\n' +
        ' { "loadId": "dishwasher", "energyKwh": 2, "upToKwh": 3.5, "by": "17:00", "from": "09:30", "weekdays": ["mon", "tue", "wed", "thu", "fri"] }]',
    );
    expect(saved.tariff).toBe('[{ "from": "06:00", "to": "22:00", "importEurPerKwh": 0.36 },\n { "from": "22:00", "to": "06:00", "importEurPerKwh": 0.2, "exportEurPerKwh": 0.08 }]');
    // The runtime reads what the dialog stored.
    const parsed = parseConfiguredJobs(saved.jobs);
    expect(parsed.map((j) => j.loadId)).toEqual(['pool', 'ev', 'dishwasher']);
    expect(parsed[0].job).toMatchObject({ kind: 'runtime', runtimeMinutes: 300, interruptible: false, upToMinutes: 420, window: { weekdays: ALL_DAYS, byTime: '20:00' } });
    expect(parsed[1].job).toMatchObject({ kind: 'energy', energyWh: 25_000, window: { weekdays: ['mon', 'tue', 'wed'], byTime: '07:00', fromTime: '17:00' } });
    expect(parsed[2].job).toMatchObject({ kind: 'energy', energyWh: 2000, upToWh: 3500, window: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], byTime: '17:00', fromTime: '09:30' } });
    expect(parseTariff(saved.tariff)).toEqual([
      { fromMinute: 360, toMinute: 1320, importEurPerKwh: 0.36 },
      { fromMinute: 1320, toMinute: 360, importEurPerKwh: 0.2, exportEurPerKwh: 0.08 },
    ]);

    // Removing every row stores an empty string, as a blank text area did.
    await page.evaluate((nodeId: string) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      RED.editor.edit(RED.nodes.node(nodeId));
    }, id);
    await page.waitForSelector('#hems-planner-tariff-list > li', { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(500);
    for (let n = 2; n > 0; n--) {
      await periods.nth(0).locator('.red-ui-editableList-item-remove').click();
      await page.waitForFunction((left: number) => document.querySelectorAll('#hems-planner-tariff-list > li').length === left, n - 1);
    }
    await clickDone();
    expect((await stored(id)).tariff).toBe('');
    expect((await stored(id)).jobs).toBe(saved.jobs);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('the planner keeps stored jobs and prices the rows cannot show as JSON, unchanged by Done', async () => {
    pageErrors.length = 0;
    // "days" is not a job field (parseConfiguredJobs reads "weekdays"), so the rows cannot show it.
    const unknownField = '[{ "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" },\n  { "loadId": "ev", "energyKwh": 20, "by": "07:00", "from": "17:00", "days": ["mon","tue"] }]';
    const notJson = '[{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.22, }]';
    const id = await openNode('hems-planner', { site: 'editor-site', jobs: unknownField, tariff: notJson }, '#hems-planner-jobs-why');
    expect(await page.isVisible('#node-input-jobs')).toBe(true);
    expect(await page.isVisible('#hems-planner-jobs-list')).toBe(false);
    expect(await page.textContent('#hems-planner-jobs-why')).toContain('jobs[1]: "days" is not a field the planner knows');
    expect(await page.isVisible('#node-input-tariff')).toBe(true);
    expect(await page.textContent('#hems-planner-tariff-why')).toContain('not JSON');
    expect(await page.inputValue('#node-input-jobs')).toBe(unknownField);
    // Asking for rows does not drop the field: the text stays.
    await page.click('#hems-planner-jobs-mode');
    await page.waitForTimeout(300);
    expect(await page.isVisible('#node-input-jobs')).toBe(true);
    await clickDone();
    expect(await stored(id)).toEqual({ jobs: unknownField, tariff: notJson });

    // More the rows cannot show: a field they leave out, two amounts, days the parser rejects, a blank
    // time (left out it would mean "24 h before"), a period with a note, a tariff that is no list.
    const cases = [
      ['[{ "loadId": "ev", "runtimeMinutes": 60, "interruptible": false, "runningMinutesLeft": 20, "by": "07:00" }]', '[{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.2, "note": "night" }]', 'runningMinutesLeft'],
      ['[{ "loadId": "ev", "energyKwh": 20, "runtimeMinutes": 60, "by": "07:00" }]', '{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.2 }', 'runtimeMinutes'],
      ['[{ "loadId": "ev", "energyKwh": 20, "by": "07:00", "from": "", "weekdays": ["monday"] }]', '[{ "from": "22:00", "to": "06:00", "importEurPerKwh": "0.2" }]', 'from'],
    ];
    for (const [jobs, tariff, field] of cases) {
      const caseId = await openNode('hems-planner', { site: 'editor-site', jobs, tariff }, '#hems-planner-jobs-why');
      expect(await page.isVisible('#node-input-jobs')).toBe(true);
      expect(await page.isVisible('#node-input-tariff')).toBe(true);
      expect(await page.textContent('#hems-planner-jobs-why')).toContain(field);
      await clickDone();
      expect(await stored(caseId)).toEqual({ jobs, tariff });
    }

    // Rows it can show, written by hand in another layout, come back as they were when nothing changed.
    const handWritten = '[ {"by":"07:00","loadId":"ev","energyKwh":11,"weekdays":["sun","mon","tue","wed","thu","fri","sat"]},{"loadId":"pool","runtimeMinutes":120,"interruptible":true,"by":"24:00"} ]';
    const tariff = '[{"to":"06:00","from":"22:00","importEurPerKwh":-0.01}]';
    const id2 = await openNode('hems-planner', { site: 'editor-site', jobs: handWritten, tariff }, '#hems-planner-jobs-list > li');
    expect(await page.isVisible('#node-input-jobs')).toBe(false);
    expect((await jobRows()).map((r) => [r.load, r.amount, r.by, r.days.length, r.interruptible])).toEqual([
      ['ev', '11', '07:00', 7, true],
      ['pool', '120', '24:00', 7, true],
    ]);
    expect(await periodRows()).toEqual([['22:00', '06:00', '-0.01', '']]);
    // Another site (here without loads) has other loads: a load id it lacks shows as typed text, and comes back.
    await page.selectOption('#node-input-site', 'editor-other-site');
    expect(await page.isVisible('#hems-planner-jobs-list > li:first-child .hems-job-load-select')).toBe(false);
    expect(await page.inputValue('#hems-planner-jobs-list > li:first-child .hems-job-load')).toBe('ev');
    await page.selectOption('#node-input-site', 'editor-site');
    expect(await page.inputValue('#hems-planner-jobs-list > li:first-child .hems-job-load-select')).toBe('ev');
    expect(await page.isVisible('#hems-planner-jobs-list > li:first-child .hems-job-load')).toBe(false);
    // The JSON view of unchanged rows is the stored text; back to rows and Done keeps it.
    await page.click('#hems-planner-jobs-mode');
    expect(await page.inputValue('#node-input-jobs')).toBe(handWritten);
    await page.click('#hems-planner-jobs-mode');
    expect(await page.isVisible('#hems-planner-jobs-list')).toBe(true);
    await clickDone();
    expect(await stored(id2)).toEqual({ jobs: handWritten, tariff });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('an optimiser, a load and a planner pick their site with the config-node picker', async () => {
    pageErrors.length = 0;
    await addNodes([{ id: 'editor-picked-site', type: 'hems-site', name: 'Garage site', deviceId: 'garage', gridDevice: 'grid_meter' }]);
    for (const type of ['hems-optimiser', 'hems-load', 'hems-planner']) {
      await openNode(type, { site: 'editor-picked-site' }, '#node-input-site option[value="editor-picked-site"]');
      const picker = await page.$eval('#node-input-site', (s: HTMLSelectElement) => ({ value: s.value, label: s.selectedOptions[0]?.textContent }));
      expect([type, picker]).toEqual([type, { value: 'editor-picked-site', label: 'Garage site' }]);
      await page.click('#node-dialog-cancel');
      await page.waitForSelector('#node-dialog-cancel', { state: 'detached', timeout: 10_000 });
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('a flow saved by 0.1.0 is migrated on import: its optimiser’s settings become a site, loads point at it, ripple rules and stage powers become rows', async () => {
    pageErrors.length = 0;
    const old = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'flows-0.1.0', 'ripple-rules.json'), 'utf8'));
    const imported = await page.evaluate(async (flow: unknown[]) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
      // As saved: a 0.1.0 load names its optimiser by node id, which an import with new ids would not carry over.
      RED.nodes.import(flow);
      await new Promise((r) => setTimeout(r, 500));
      const tab = 'ripple_tab';
      const props = (n: Record<string, any>) => Object.fromEntries(['type', 'name', 'version', 'site', 'optimiser', 'gridDevice', 'rippleRules', 'rippleInputs', 'pvPeakW', 'deviceId', 'stagePowersW'].map((k) => [k, n[k]]));
      const onTab: Array<Record<string, any>> = [];
      RED.nodes.eachNode((n: Record<string, any>) => {
        if (n.z === tab && n.type.startsWith('hems-')) onTab.push({ ...props(n), valid: RED.editor.validateNode(n) });
      });
      const siteId = onTab.find((n) => n.type === 'hems-optimiser')?.site;
      const site = RED.nodes.node(siteId);
      return { nodes: onTab, site: site && { id: site.id, ...props(site), users: site.users.length }, dirty: RED.nodes.dirty() };
    }, old);
    expect(imported.dirty).toBe(true);
    expect(imported.site).toMatchObject({
      type: 'hems-site', version: settingsContract.currentVersion('hems-site'), name: 'Optimiser', deviceId: 'optimiser', gridDevice: 'grid', pvPeakW: 10000,
      rippleInputs: 'k1, k2', rippleRules: JSON.parse(old[1].rippleRules), users: 3,
    });
    const byName = Object.fromEntries(imported.nodes.map((n: Record<string, any>) => [n.name, n]));
    expect(byName.Optimiser).toMatchObject({ version: 1, site: imported.site.id, gridDevice: undefined, rippleRules: undefined, valid: true });
    expect(byName['Heating rod']).toMatchObject({ version: 1, site: imported.site.id, optimiser: undefined, stagePowersW: [1000, 1000, 1000], valid: true });
    expect(byName['Heat pump']).toMatchObject({ version: 1, site: imported.site.id, valid: true });

    // The site's dialog shows the rules as rows and saves them unchanged.
    await page.evaluate((id: string) => (window as unknown as { RED: Record<string, any> }).RED.editor.editConfig('', 'hems-site', id), imported.site.id);
    await page.waitForSelector('#hems-site-ripple-rules > li', { timeout: 10_000 });
    expect(await page.$$eval('#hems-site-ripple-rules > li .hems-ripple-inputs', (inputs: HTMLInputElement[]) => inputs.map((i) => i.value))).toEqual(['00', '10', '01', '11']);
    expect(await page.isVisible('#hems-site-ripple-problem')).toBe(false);
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-dialog-ok', { state: 'detached', timeout: 10_000 });
    const rules = await page.evaluate((id: string) => (window as unknown as { RED: Record<string, any> }).RED.nodes.node(id).rippleRules, imported.site.id);
    expect(rules).toEqual(JSON.parse(old[1].rippleRules));
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it.each(TYPES)('%s: the edit dialog opens, shows its help, and saves', async (type) => {
    pageErrors.length = 0;
    await openNewNodeDialog(page, type);
    const result = await page.evaluate(async (nodeType: string) => {
      const RED = (window as unknown as { RED: Record<string, any> }).RED;
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
