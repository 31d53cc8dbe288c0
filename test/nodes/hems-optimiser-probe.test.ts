/** The zero-export probe in a running optimiser: its export window is closed on time by a decision of its own. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helper, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const require = createRequire(import.meta.url);
const nodes = ['hems-site', 'hems-optimiser'].map((name) => require(join(__dirname, '..', '..', 'dist', 'nodes', `${name}.js`)));

runtimeAroundTests();

const SITE = {
  id: 'site', type: 'hems-site', version: 2, deviceId: 'home', gridDevice: 'grid', strategy: 'pv_surplus', staleAfterSeconds: 30, rippleRules: [],
  exportLimitW: 0, pvPeakW: 6000, zeroExportProbe: 'on', probeMaxExportW: 500, probeMaxSeconds: 2,
};
// A cycle of a minute: any decision within the test comes from a reading or from the probe's own timer.
const OPTIMISER = { id: 'opt', z: 'tab', x: 100, y: 100, type: 'hems-optimiser', version: 1, site: 'site', cycleSeconds: 60, wires: [['cycles']] };

type Site = { maxExportW: number | null; probe?: { extraExportW: number; decideByMs: number | null }; reasons: string[] };

const reading = (gridW: number) => ({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: gridW, pv_power_w: 1200 } } });

describe('hems-optimiser with the zero-export probe', () => {
  it('opens the export window, then closes it by itself once the probe’s seconds are up, keeping what PV gave as surplus', async () => {
    await helper.load(nodes, [{ id: 'tab', type: 'tab' }, SITE, OPTIMISER, { id: 'cycles', z: 'tab', x: 300, y: 100, type: 'helper' }]);
    const sites: Array<{ atMs: number; site: Site }> = [];
    helper.getNode('cycles').on('input', (m: { payload: { site: Site } }) => sites.push({ atMs: Date.now(), site: m.payload.site }));

    // Export over the 0 W limit is decided at once; the probe opens its window at that decision.
    helper.getNode('opt').receive(reading(-400));
    const opened = await waitFor(() => sites[0], 3000, 'the first decision');
    expect(opened.site).toMatchObject({ maxExportW: 500, probe: { extraExportW: 500 } });
    expect(opened.site.reasons).toContain('probe: export limit raised by 0.5 kW for 2 s to see what PV can give');

    const closed = await waitFor(() => sites.find((s) => s.site.probe?.extraExportW === 0), 5000, 'the window closed');
    expect(closed.atMs - opened.atMs).toBeGreaterThanOrEqual(1900);
    expect(closed.atMs - opened.atMs).toBeLessThan(4000);
    expect(closed.site.maxExportW).toBe(0);
    expect(closed.site.reasons).toContain('probe: PV gave 0.4 kW above the export limit; export limit back, that power offered to loads');
  }, 15_000);
});
