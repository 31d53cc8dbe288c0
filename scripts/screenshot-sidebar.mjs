// Screenshots the editor's HEMS sidebar tab (energy flow, loads, plan) of a running Node-RED, e.g.
// the demo (npm start), for the README, with Debian's Chromium driven by playwright-core.
// Usage: node scripts/screenshot-sidebar.mjs [url] [out.png] [--add-example planner-deadlines]
// --add-example deploys that example flow beside the running ones first (admin API, POST /flow),
// for a Node-RED whose flows have no hems-site; the demo starts from its own flows again next time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { packageRoot } from './lib/node-red-runtime.mjs';

const args = process.argv.slice(2);
const exampleAt = args.indexOf('--add-example');
const example = exampleAt >= 0 ? args.splice(exampleAt, 2)[1] : undefined;
const url = (args[0] ?? `http://127.0.0.1:${process.env.HEMS_DEMO_EDITOR_PORT ?? 1880}`).replace(/\/$/, '');
const out = args[1] ?? 'docs/images/sidebar.png';

async function sidebarState() {
  const res = await fetch(`${url}/hems/sidebar`);
  if (!res.ok) throw new Error(`GET ${url}/hems/sidebar answered ${res.status}: is node-red-contrib-hems installed there?`);
  return res.json();
}

if (example) {
  const nodes = JSON.parse(readFileSync(join(packageRoot, 'flows', `${example}.json`), 'utf8'));
  const tab = nodes.find((n) => n.type === 'tab');
  const res = await fetch(`${url}/flow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2' },
    body: JSON.stringify({ id: tab.id, label: tab.label, nodes: nodes.filter((n) => n !== tab), configs: [] }),
  });
  if (!res.ok && res.status !== 400) throw new Error(`POST ${url}/flow answered ${res.status}: ${await res.text()}`);
  console.log(res.ok ? `deployed the example ${example}` : `the example ${example} is there already`);
}

// Wait for a site's flow and, when a planner runs, its first plan (made in a child process).
const deadline = Date.now() + 120_000;
let state = await sidebarState();
while (!(state.flows.length > 0 && state.timelines.every((t) => t.loads.length > 0)) && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 1000));
  state = await sidebarState();
}
if (state.flows.length === 0) throw new Error('no hems-site is running there: give --add-example planner-deadlines for a flow that has one');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1500 }, locale: 'en-GB' });
await page.goto(url);
await page.waitForSelector('.red-ui-palette-node', { timeout: 30_000 });
/* global RED, document -- these callbacks run in the editor's page */
await page.evaluate(() => RED.sidebar.show('hems'));
// A wider sidebar than the default third of a small screen: drag its separator (Node-RED 4) to the left.
const separator = await page.locator('#red-ui-sidebar-separator').boundingBox({ timeout: 3000 }).catch(() => null);
if (separator) {
  await page.mouse.move(separator.x + separator.width / 2, separator.y + 200);
  await page.mouse.down();
  await page.mouse.move(separator.x - 200, separator.y + 200, { steps: 10 });
  await page.mouse.up();
}
await page.waitForSelector('.hems-sidebar .hems-flow', { timeout: 30_000 });
if (state.timelines.length > 0) await page.waitForSelector('.hems-sidebar .hems-timeline', { timeout: 30_000 });
// The tab as tall as what it draws, so one picture holds the flow, the loads and the plan.
const height = await page.evaluate(() => document.querySelector('.hems-sidebar .hems-sidebar-body').scrollHeight);
await page.setViewportSize({ width: 1280, height: Math.min(2400, height + 120) });
await page.waitForTimeout(1000);
await page.locator('.hems-sidebar').screenshot({ path: out });
await browser.close();
console.log(`saved ${out}`);
