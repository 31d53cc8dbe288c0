/** resources/hems-sidebar.js draws the views as SVG markup: pure functions, run here without a browser. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { FlowView, TimelineView } from '../../src/sidebar';

const require = createRequire(import.meta.url);
const draw = require('../../resources/hems-sidebar.js') as {
  drawFlow(view: FlowView, t: (key: string) => string): string;
  drawTimeline(view: TimelineView, t: (key: string) => string, locale?: string, nowMs?: number): string;
  loadTable(view: FlowView, t: (key: string) => string): string;
  powerText(watts: number): string;
};
const t = (key: string) => `«${key}»`;

const FLOW: FlowView = {
  siteKey: 'site1', name: 'Home', atMs: 0, stale: false, strategy: 'pv_surplus', gridW: -1500, pvW: 5200, batteryW: 1200, batterySocPct: 54.6,
  houseW: 2500, otherW: 500, surplusW: 1500, reasons: [],
  loads: [
    { id: 'heater', name: 'Water <heater>', powerW: 2000, on: true, setting: '', reason: 'surplus 2.1 kW ≥ 2.0 kW', reasonCode: 'on' },
    { id: 'ev', name: 'EV', powerW: 0, on: false, setting: '', reason: 'waiting', reasonCode: 'wait' },
  ],
};

/** Every `<tag data-name="value" …>` of the markup as its attributes. */
function elements(svg: string, attribute: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<\\w+ [^>]*${attribute}="[^"]*"[^>]*>`, 'g'))].map((m) => Object.fromEntries([...m[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
}

describe('drawFlow', () => {
  it('draws grid, PV, battery, house, each load and the rest of the house with their powers', () => {
    const svg = draw.drawFlow(FLOW, t);
    const nodes = elements(svg, 'data-hems-node');
    expect(nodes.map((n) => [n['data-hems-node'], n['data-power-w']])).toEqual([
      ['pv', '5200'], ['grid', '-1500'], ['house', '2500'], ['battery', '1200'], ['load:heater', '2000'], ['load:ev', '0'], ['other', '500'],
    ]);
    expect(svg).toContain('>5.2 kW<');
    expect(svg).toContain('>1.5 kW<');
    expect(svg).toContain('>500 W<');
    expect(svg).toContain('55 % «charging»');
    expect(svg).toContain('«export»');
  });

  it('points each arrow the way the power flows: export out of the house, charging into the battery, none when idle', () => {
    const links = Object.fromEntries(elements(draw.drawFlow(FLOW, t), 'data-hems-link').map((l) => [l['data-hems-link'], l['data-direction']]));
    expect(links).toEqual({ pv: 'forward', grid: 'back', battery: 'forward', 'load:heater': 'forward', 'load:ev': 'none', other: 'forward' });
    const importing = Object.fromEntries(elements(draw.drawFlow({ ...FLOW, gridW: 800, batteryW: -900 }, t), 'data-hems-link').map((l) => [l['data-hems-link'], l['data-direction']]));
    expect([importing.grid, importing.battery]).toEqual(['forward', 'back']);
  });

  it('leaves the battery out when the site has none', () => {
    const svg = draw.drawFlow({ ...FLOW, batteryW: null, batterySocPct: null }, t);
    expect(elements(svg, 'data-hems-node').map((n) => n['data-hems-node'])).not.toContain('battery');
  });

  it('escapes names and reasons', () => {
    const markup = draw.drawFlow(FLOW, t) + draw.loadTable(FLOW, t);
    expect(markup).not.toContain('<heater>');
    expect(markup).toContain('Water &lt;heater&gt;');
  });

  it("lists each load's state, power and reason", () => {
    const table = draw.loadTable(FLOW, t);
    expect(table).toContain('data-hems-load="heater"');
    expect(table).toContain('«on», 2.0 kW');
    expect(table).toContain('surplus 2.1 kW ≥ 2.0 kW');
    expect(table).toContain('«off», 0 W');
    expect(draw.loadTable({ ...FLOW, loads: [] }, t)).toContain('«noLoads»');
  });
});

const SLOT = 900_000;
// Kathmandu is UTC+5:45: local midnight is 18:15 UTC, so ticks in UTC would land elsewhere.
const FROM = Date.parse('2026-06-01T18:15:00Z') - 24 * 3_600_000;

function timeline(soc: boolean): TimelineView {
  const slots = Array.from({ length: 96 * 2 }, (_, i) => ({
    startMs: FROM + i * SLOT, measured: i < 96, importEurPerKwh: 0.2 + (i % 8) / 100, pvW: i % 96 > 30 && i % 96 < 60 ? 3000 : 0, houseW: 400,
    socPct: soc && i >= 96 ? 50 : null, gridW: i >= 96 ? 100 : null,
  }));
  return {
    plannerId: 'p1', name: 'Planner', siteKey: 'site1', timeZone: 'Asia/Kathmandu', nowMs: FROM + 96 * SLOT + 60_000, slotMs: SLOT, planner: 'milp', costEur: 1.5, slots,
    loads: [{ id: 'pump', name: 'Pool pump', promise: 'kept', reason: 'runs', planned: [{ startMs: FROM + 100 * SLOT, endMs: FROM + 104 * SLOT, powerW: 800 }], measured: [{ startMs: FROM + 10 * SLOT, powerW: 800 }] }],
  };
}

describe('drawTimeline', () => {
  it('draws prices, PV, the house, planned and measured slots per load, and now', () => {
    const svg = draw.drawTimeline(timeline(false), t, 'en-GB');
    for (const series of ['price', 'pv', 'house']) expect(elements(svg, 'data-hems-series').find((e) => e['data-hems-series'] === series)?.d).toMatch(/^M/);
    expect(elements(svg, 'data-hems-planned')).toHaveLength(1);
    expect(elements(svg, 'data-hems-measured')).toHaveLength(1);
    expect(elements(svg, 'data-hems-now')).toHaveLength(1);
    expect(svg).toContain('«now» 00:01');
    expect(svg).not.toContain('data-hems-series="soc"');
  });

  it("puts the ticks at the plan's local 00, 06, 12 and 18 h, naming the day at midnight", () => {
    const ticks = elements(draw.drawTimeline(timeline(false), t, 'en-GB'), 'data-hems-tick').map((e) => e['data-hems-tick']);
    expect(ticks).toEqual(['Mon', '06:00', '12:00', '18:00', 'Tue', '06:00', '12:00', '18:00']);
  });

  it("puts now at the editor's clock when given (it runs on between plans), within the timeline", () => {
    const later = timeline(false).nowMs + 10 * 60_000;
    const svg = draw.drawTimeline(timeline(false), t, 'en-GB', later);
    expect(elements(svg, 'data-hems-now')[0]['data-hems-now']).toBe(String(later));
    expect(svg).toContain('«now» 00:11');
    expect(elements(draw.drawTimeline(timeline(false), t, 'en-GB', later + 5 * 86_400_000), 'data-hems-now')[0]['data-hems-now']).toBe(String(FROM + 192 * SLOT));
  });

  it('draws the battery panel when the plan has a state of charge', () => {
    expect(draw.drawTimeline(timeline(true), t, 'en-GB')).toContain('data-hems-series="soc"');
  });

  it('says so when there are no slots', () => {
    expect(draw.drawTimeline({ ...timeline(false), slots: [] }, t)).toContain('«noPlan»');
  });
});

describe('powerText', () => {
  it.each([[0, '0 W'], [999.4, '999 W'], [-1500, '1.5 kW'], [11040, '11.0 kW']])('%d W → %s', (w, text) => {
    expect(draw.powerText(w)).toBe(text);
  });
});
