import type { SiteDecision } from '../src/engine/allocator';
import { DecisionHoldOff, type DecisionCause } from '../src/engine/optimiser';
import { gateInput } from '../src/settings/inputs/gate';
import { OPTIMISER_INPUTS } from '../src/settings/inputs/optimiser';
import { siteMaxPowerW } from '../src/settings/inputs/physical-range';
import type { SiteConfig } from '../src/settings/site-config';
import { numberSetting } from '../src/settings/values';
import { checkSite, missingSiteText, openSite, watchSite, type SiteLink } from './lib/site';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { decimal, statusText } from './lib/status-text';

/**
 * What stays in the optimiser flow node: readings in, the cycle, the cycle message out. The site
 * (settings, session, loads, Home Assistant device, kept state) is its hems-site config node's.
 */
interface OptimiserConfig {
  name?: string;
  version?: number;
  /** The hems-site config node. */
  site?: string;
  cycleSeconds: string | number;
  /** Made by the migration of a 0.1.0 optimiser (never stored): the site settings it held itself. */
  legacySite?: SiteConfig;
}

function cycleMsOf(config: OptimiserConfig): number {
  const cycleSeconds = numberSetting(config.cycleSeconds, 5, 'cycle (s)');
  if (!(cycleSeconds >= 1 && cycleSeconds <= 300)) throw new Error(`cycle ${config.cycleSeconds} s: use 1 to 300 s; 5 s reacts quickly without chasing meter noise`);
  return cycleSeconds * 1000;
}

function statusOf(RED: NodeAPI, site: SiteDecision, loads: number): { fill: 'green' | 'red'; shape: 'dot' | 'ring'; text: string } {
  const reason = site.reasons.at(-1);
  if (site.stale) return { fill: 'red', shape: 'ring', text: reason ? statusText(RED, 'hems-optimiser.status.stale', { reason }) : statusText(RED, 'hems-optimiser.status.readingsStale') };
  return { fill: 'green', shape: 'dot', text: statusText(RED, 'hems-optimiser.status.surplus', { kw: decimal(site.surplusW / 1000, 1), loads }) };
}

export = function register(RED: NodeAPI): void {
  function HemsOptimiserNode(this: Node, config: OptimiserConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-optimiser "${config.name || this.id}"`;
    const validated = checkConfig(RED, this, 'hems-optimiser', config, () => {
      if (!config.site && !config.legacySite) throw new Error('no site selected: open the node and pick or add a hems-site');
      // A 0.1.0 optimiser deployed as saved builds its site from its own settings, under its own id.
      return { cycleMs: cycleMsOf(config), siteKey: config.site || this.id, legacy: config.site ? undefined : { config: config.legacySite!, checked: checkSite(RED, config.legacySite!) } };
    }, config.name || this.id);
    if (!validated) return;
    const { cycleMs, siteKey, legacy } = validated;
    const ownSite = legacy ? openSite(RED, this, this.id, legacy.config, legacy.checked) : undefined;

    let site: SiteLink | undefined;
    let sawGridReading = false;
    const stopWatching = watchSite(siteKey, (found) => {
      site?.releaseCycle(this.id);
      site = found;
      sawGridReading = false;
      if (!site) return this.status({ fill: 'yellow', shape: 'ring', text: missingSiteText(RED, siteKey).slice(0, 120) });
      const refused = site.claimCycle(this.id);
      if (refused) {
        site = undefined;
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-optimiser.status.refused', { problem: refused }).slice(0, 120) });
        return this.error(`${label}: ${refused}`);
      }
      this.status({ fill: 'yellow', shape: 'ring', text: statusText(RED, 'hems-optimiser.status.waitingForReading', { device: site.session.current.sources.gridDevice }) });
    });

    let stopped = false;
    // The zero-export probe's export window must close in time, not only at the next cycle.
    let probeDecision: NodeJS.Timeout | undefined;
    const decideBy = (atMs: number | null | undefined) => {
      clearTimeout(probeDecision);
      probeDecision = atMs == null ? undefined : setTimeout(runCycle, Math.max(0, atMs - Date.now()));
    };
    const runCycle = () => {
      if (stopped || !site) return;
      const { session, bridge, deviceId } = site;
      try {
        const result = session.cycle(Date.now());
        decideBy(result.site.probe?.decideByMs);
        for (const problem of result.errors) this.error(`${label}: ${problem}`);
        if (result.alarmChange === 'raised') this.warn(`${deviceId}: ${result.alarms[0].name}: ${result.alarms[0].detail}`);
        if (result.alarmChange === 'cleared') this.log(`${deviceId}: stale site data cleared`);
        if (result.alarmChange) site.publishAlarms(result.alarms);
        site.cycled(result);
        if (sawGridReading || result.site.stale) this.status(statusOf(RED, result.site, result.commands.length));
        if (!sawGridReading && !result.site.stale) return;
        this.send(result.message as unknown as NodeMessage);
        bridge?.publishState(deviceId, 'surplus_w', Math.round(result.site.surplusW));
        bridge?.publishState(deviceId, 'projected_grid_power_w', Math.round(result.site.projectedGridPowerW));
        bridge?.publishState(deviceId, 'reason', result.site.reasons.join('; ').slice(0, 255));
      } catch (err) {
        // A bug in one cycle must not stop the next one, nor Node-RED.
        this.error(`${label}: cycle failed: ${(err as Error).stack ?? err}`);
      }
    };
    const timer = setInterval(() => {
      void site?.pollRipple().then(runCycle);
    }, cycleMs);

    // A crossed limit is decided at once, besides the cycle; one that crosses during the hold-off waits for its end.
    const holdOff = new DecisionHoldOff();
    let heldDecision: NodeJS.Timeout | undefined;
    const decideSoon = (cause: DecisionCause | undefined) => {
      if (!cause || heldDecision) return;
      const waitMs = holdOff.claim(Date.now());
      if (waitMs === 0) return runCycle();
      heldDecision = setTimeout(() => {
        heldDecision = undefined;
        decideSoon(cause);
      }, waitMs);
    };

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (!site) return done(new Error(`${label}: no site yet: pick a hems-site in the optimiser`));
      const siteSettings = site.session.current.site;
      const input = gateInput(OPTIMISER_INPUTS, msg, { site: siteSettings, rippleNames: site.rippleNames, maxPowerW: siteMaxPowerW(siteSettings) });
      if (!input.ok) return done(new Error(`${label}: ${input.error}`));
      const { topic, value } = input.value;
      if (topic === undefined) {
        const { used, decisionDue } = site.session.siteReading(value, Date.now());
        if (used.includes('gridPowerW')) sawGridReading = true;
        decideSoon(decisionDue);
      } else if (topic === 'ripple') decideSoon(site.session.setRippleInputs(value));
      else if (topic === 'prices') site.session.setPrices(value);
      else site.apply(value);
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(heldDecision);
      clearTimeout(probeDecision);
      stopWatching();
      site?.releaseCycle(this.id);
      void (ownSite?.close(removed) ?? Promise.resolve()).then(() => done());
    });
  }
  registerNodeType(RED, 'hems-optimiser', HemsOptimiserNode);
};
