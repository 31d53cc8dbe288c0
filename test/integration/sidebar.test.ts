/**
 * The editor's HEMS sidebar tab in headless Chromium on a real Node-RED running the planner example
 * (an optimiser, three loads and a planner fed by injects, plus a battery): it draws the site's energy flow with
 * each node's power and direction, each load's state and reason, and the planner's timeline with
 * prices, PV and planned slots, and follows the runtime's updates without being reopened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, openEditor } from '../helpers/editor-browser';
import { readFlow, startRuntime, type RunningNodeRed } from '../helpers/runtime';

if (chromiumMissing) console.warn(`skipping sidebar tests: ${chromiumMissing}`);

type SidebarState = { flows: Array<{ siteKey: string }>; timelines: Array<{ plannerId: string; loads: Array<{ planned: unknown[] }> }> };

async function sidebarState(port: number): Promise<SidebarState> {
  const res = await fetch(`http://127.0.0.1:${port}/hems/sidebar`);
  expect(res.status).toBe(200);
  return (await res.json()) as SidebarState;
}

/** The example with a battery: the simulated meter reports it charging at 1.2 kW at 60 %, and the planner plans it. */
function withBattery(flow: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return flow.map((node) => {
    if (node.id === 'hems_plan_meter') return { ...node, func: String(node.func).replace('pv_power_w: Math.round(pvW)', 'pv_power_w: Math.round(pvW), battery_power_w: 1200, battery_soc_pct: 60') };
    if (node.type === 'hems-planner') return { ...node, batteryCapacityWh: 10000, batteryMaxChargeW: 3000, batteryMaxDischargeW: 3000 };
    return node;
  });
}

describe.skipIf(chromiumMissing)('the HEMS sidebar tab', () => {
  let nodeRed: RunningNodeRed;
  let browser: any;
  let page: any;
  let pageErrors: string[];

  beforeAll(async () => {
    nodeRed = await startRuntime(withBattery(readFlow('planner-deadlines.json')));
    // The first plan is made in the planner's child process: wait for it and for a cycle with the meter's reading.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const state = await sidebarState(nodeRed.port);
      if (state.flows.length > 0 && state.timelines.some((t) => t.loads.some((l) => l.planned.length > 0))) break;
      if (Date.now() > deadline) throw new Error(`no flow and plan within 90 s: ${JSON.stringify(state).slice(0, 300)}\n${nodeRed.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    ({ browser, page, pageErrors } = await openEditor(nodeRed.port));
    await page.evaluate(() => (window as unknown as { RED: Record<string, any> }).RED.sidebar.show('hems'));
    await page.waitForSelector('.hems-sidebar .hems-flow [data-hems-node="grid"]', { timeout: 15_000 });
    await page.waitForSelector('.hems-sidebar .hems-timeline [data-hems-planned]', { timeout: 15_000 });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  it('is a tab of the sidebar, named HEMS', async () => {
    const tab = await page.evaluate(() => (window as unknown as { RED: Record<string, any> }).RED.sidebar.containsTab('hems'));
    expect(tab).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('draws the energy flow: grid, PV, house, every load and the rest, each with its power, the house as grid + PV', async () => {
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.hems-sidebar .hems-flow [data-hems-node]')).map((g) => ({
        key: g.getAttribute('data-hems-node'),
        powerW: Number(g.getAttribute('data-power-w')),
        texts: Array.from(g.querySelectorAll('text')).map((t) => t.textContent),
      })),
    );
    type Drawn = { key: string; powerW: number; texts: string[] };
    const byKey = new Map<string, Drawn>((drawn as Drawn[]).map((d) => [d.key, d]));
    expect([...byKey.keys()].sort()).toEqual(['battery', 'grid', 'house', 'load:ev', 'load:pool_pump', 'load:water_heater', 'other', 'pv'].sort());
    for (const node of byKey.values()) expect(node.texts[0]).toMatch(/^\d+(\.\d)? k?W$/);
    const grid = byKey.get('grid')!;
    const pv = byKey.get('pv')!;
    const house = byKey.get('house')!;
    const battery = byKey.get('battery')!;
    // The house draws what the grid and PV give, less what charges the battery (rounded apart).
    expect(battery.powerW).toBe(1200);
    expect(battery.texts).toEqual(['1.2 kW', 'Battery', '60 % charging']);
    expect(Math.abs(house.powerW - (grid.powerW + pv.powerW - battery.powerW))).toBeLessThanOrEqual(1);
    expect(house.texts).toContain('House');
  });

  it('points the grid and battery arrows the way the power flows', async () => {
    const { grid, battery, powerW } = await page.evaluate(() => ({
      grid: document.querySelector('.hems-sidebar .hems-flow [data-hems-link="grid"]')?.getAttribute('data-direction'),
      battery: document.querySelector('.hems-sidebar .hems-flow [data-hems-link="battery"]')?.getAttribute('data-direction'),
      powerW: Number(document.querySelector('.hems-sidebar .hems-flow [data-hems-node="grid"]')?.getAttribute('data-power-w')),
    }));
    expect(grid).toBe(Math.abs(powerW) < 20 ? 'none' : powerW > 0 ? 'forward' : 'back');
    // Charging: from the house into the battery.
    expect(battery).toBe('forward');
  });

  it("lists each load's state and reason", async () => {
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.hems-sidebar .hems-loads tr')).map((tr) => ({ id: tr.getAttribute('data-hems-load'), text: tr.textContent })),
    );
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(['ev', 'pool_pump', 'water_heater']);
    for (const row of rows) expect(row.text).toMatch(/(on|off|A).*\d+(\.\d)? k?W.{10,}/);
  });

  it('draws the timeline: prices, PV, the house, battery state of charge, planned slots per load, ticks in local time and now', async () => {
    const timeline = await page.evaluate(() => {
      const svg = document.querySelector('.hems-sidebar .hems-timeline') as SVGElement;
      const path = (name: string) => svg.querySelector(`[data-hems-series="${name}"]`)?.getAttribute('d') ?? '';
      return {
        price: path('price'),
        pv: path('pv'),
        house: path('house'),
        soc: path('soc'),
        planned: Array.from(svg.querySelectorAll('[data-hems-planned]')).map((r) => r.getAttribute('data-hems-planned')),
        ticks: Array.from(svg.querySelectorAll('[data-hems-tick]')).map((t) => t.textContent),
        now: svg.querySelector('[data-hems-now]') !== null,
      };
    });
    // 48 h of hourly prices and 48 h of PV ahead: a step line and an area of many segments.
    expect(timeline.price.split('L').length).toBeGreaterThan(50);
    expect(timeline.pv.split('Z').length).toBeGreaterThan(10);
    expect(timeline.house.length).toBeGreaterThan(0);
    // The battery's planned state of charge, over the whole plan.
    expect(timeline.soc.split('L').length).toBeGreaterThan(96);
    // The pool pump's 6 h and the water heater's 90-minute boost are planned.
    expect(new Set(timeline.planned)).toEqual(new Set(['pool_pump', 'water_heater']));
    expect(timeline.ticks.length).toBeGreaterThanOrEqual(4);
    for (const tick of timeline.ticks) expect(tick).toMatch(/^(\d\d:00|[A-Z][a-z]{1,2})$/);
    expect(timeline.now).toBe(true);
  });

  it('follows the runtime: a new cycle redraws the flow without reopening the tab', async () => {
    const at = () => page.evaluate(() => Number(document.querySelector('.hems-sidebar .hems-flow')?.getAttribute('data-at-ms')));
    const before = await at();
    await page.waitForFunction((first: number) => Number(document.querySelector('.hems-sidebar .hems-flow')?.getAttribute('data-at-ms')) > first, before, { timeout: 20_000 });
    expect(await at()).toBeGreaterThan(before);
    expect(pageErrors).toEqual([]);
  });

  it('is one tab however often the palette adds the type, and comes back after it was taken away', async () => {
    const tabs = () => page.evaluate(() => document.querySelectorAll('.hems-sidebar').length);
    await page.evaluate(() => (window as unknown as { HemsSidebar: { addTab(): void } }).HemsSidebar.addTab());
    expect(await tabs()).toBe(1);
    await page.evaluate(() => (window as unknown as { HemsSidebar: { removeTab(): void } }).HemsSidebar.removeTab());
    expect(await tabs()).toBe(0);
    await page.evaluate(() => {
      const win = window as unknown as { HemsSidebar: { addTab(): void }; RED: Record<string, any> };
      win.HemsSidebar.addTab();
      win.RED.sidebar.show('hems');
    });
    await page.waitForSelector('.hems-sidebar .hems-flow [data-hems-node="grid"]', { timeout: 15_000 });
    expect(await tabs()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
