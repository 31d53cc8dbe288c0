// Screenshots the Node-RED editor of a running demo (npm start) for the README, with Debian's
// Chromium driven by playwright-core. Usage: node scripts/screenshot-editor.mjs [url] [out.png]
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? 'http://127.0.0.1:1880';
const out = process.argv[3] ?? 'docs/images/demo-flow.png';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(url);
await page.waitForSelector('.red-ui-flow-node-group', { timeout: 30_000 });
// Our palette category and the readings arriving in the debug sidebar.
await page.evaluate(() => {
  /* global RED, document -- this callback runs in the editor's page */
  RED.sidebar.show('debug');
  document.querySelector('#red-ui-palette-search input')?.focus();
});
await page.keyboard.type('hems-');
// The household flow is larger than the window: zoomed out, all of it shows.
await page.evaluate(() => {
  for (let i = 0; i < 4; i++) RED.actions.invoke('core:zoom-out');
});
await page.waitForTimeout(5000);
await page.screenshot({ path: out });
await browser.close();
console.log(`saved ${out}`);
