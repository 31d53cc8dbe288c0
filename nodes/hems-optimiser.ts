import type { SiteDecision } from '../src/engine/allocator';
import { DecisionHoldOff, parsePrices, parseRippleInputs, type DecisionCause } from '../src/engine/optimiser';
import type { SiteConfig } from '../src/settings/site-config';
import { checkSite, missingSiteText, openSite, RUNTIME_SETTINGS, watchSite, type SiteLink } from './lib/site';
import { checkConfig, numberProperty, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
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
  const cycleSeconds = numberProperty(config.cycleSeconds, 5);
  if (!(cycleSeconds >= 1 && cycleSeconds <= 300)) throw new Error(`cycle ${config.cycleSeconds} s: use 1 to 300 s; 5 s reacts quickly without chasing meter noise`);
  return cycleSeconds * 1000;
}

function statusOf(RED: NodeAPI, site: SiteDecision, loads: number): { fill: 'green' | 'red'; shape: 'dot' | 'ring'; text: string } {
  const reason = site.reasons.at(-1);
  if (site.stale) return { fill: 'red', shape: 'ring', text: reason ? statusText(RED, 'hems-optimiser.status.stale', { reason }) : statusText(RED, 'hems-optimiser.status.readingsStale') };
  return { fill: 'green', shape: 'dot', text: statusText(RED, 'hems-optimiser.status.surplus', { kw: decimal(site.surplusW / 1000, 1), loads }) };
}

/** Site inputs that arrive as messages, by `msg.topic`; each returns why it refused the payload. */
type InputHandler = (payload: unknown) => string | undefined;

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
    const runCycle = () => {
      if (stopped || !site) return;
      const { session, bridge, deviceId } = site;
      try {
        const result = session.cycle(Date.now());
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

    const INPUTS: Record<string, (link: SiteLink) => InputHandler> = {
      ripple: (link) => (payload) => {
        const parsed = parseRippleInputs(payload, link.rippleNames);
        if (!parsed.ok) return parsed.error;
        decideSoon(link.session.setRippleInputs(parsed.value));
        return undefined;
      },
      prices: (link) => (payload) => {
        const parsed = parsePrices(payload);
        if (!parsed.ok) return parsed.error;
        link.session.setPrices(parsed.value);
        return undefined;
      },
    };

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (!site) return done(new Error(`${label}: no site yet: pick a hems-site in the optimiser`));
      if (typeof msg.topic === 'string' && Object.hasOwn(RUNTIME_SETTINGS, msg.topic)) {
        const refused = site.change(msg.topic, msg.payload);
        return refused ? done(new Error(`${label}: ${refused}`)) : done();
      }
      if (typeof msg.topic === 'string' && Object.hasOwn(INPUTS, msg.topic)) {
        const refused = INPUTS[msg.topic](site)(msg.payload);
        return refused ? done(new Error(`${label}: ${msg.topic}: ${refused}`)) : done();
      }
      const reading = msg.payload as { device?: unknown; values?: unknown } | undefined;
      if (!reading || typeof reading.device !== 'string' || !reading.values || typeof reading.values !== 'object') {
        const topics = [...Object.keys(RUNTIME_SETTINGS), ...Object.keys(INPUTS)].join(' | ');
        return done(new Error(`${label}: expected a reading { device, timestamp, values } or msg.topic ${topics}`));
      }
      const { used, decisionDue } = site.session.siteReading(reading as Parameters<SiteLink['session']['siteReading']>[0], Date.now());
      if (used.includes('gridPowerW')) sawGridReading = true;
      decideSoon(decisionDue);
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(heldDecision);
      stopWatching();
      site?.releaseCycle(this.id);
      void (ownSite?.close(removed) ?? Promise.resolve()).then(() => done());
    });
  }
  registerNodeType(RED, 'hems-optimiser', HemsOptimiserNode);
};
