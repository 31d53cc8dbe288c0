import { pvForecastFromHa, type PvForecastPayload } from '../src/engine/forecast';
import { formatLocalDayClock, hostTimeZone } from '../src/engine/local-time';
import type { HaServerApi } from '../src/io/ha-websocket';
import { linkStatus } from './lib/ha-link-status';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';

interface HaPvForecastConfig {
  name?: string;
  server: string;
  /** Comma-separated config entry ids; empty: every forecast HA has. */
  entries?: string;
  refreshMinutes?: string | number;
}

type HaServerNode = Node & HaServerApi & { configError?: string };

/** Forecast.Solar updates hourly, Solcast a few times a day: a quarter of an hour misses nothing and costs HA nothing. */
const DEFAULT_REFRESH_MINUTES = 15;
const ENTRY_ID = /^[A-Za-z0-9_]+$/;

function validate(RED: NodeAPI, config: HaPvForecastConfig) {
  const server = RED.nodes.getNode(config.server) as HaServerNode | null;
  if (!server) throw new Error('no Home Assistant server selected: open the node and pick or add a hems-ha-server');
  const entries = String(config.entries ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.find((e) => !ENTRY_ID.test(e));
  if (bad !== undefined) throw new Error(`config entry "${bad}" is not an entry id: copy it from the integration's URL in HA (…/config/integrations/integration/forecast_solar#config_entry=<id>), or leave the field blank for every forecast`);
  const raw = String(config.refreshMinutes ?? '').trim();
  const refreshMinutes = raw === '' ? DEFAULT_REFRESH_MINUTES : Number(raw);
  if (!Number.isFinite(refreshMinutes) || refreshMinutes < 1 || refreshMinutes > 1440) {
    throw new Error(`refresh = ${JSON.stringify(config.refreshMinutes)}: give 1 to 1440 minutes; ${DEFAULT_REFRESH_MINUTES} is usual`);
  }
  return { server, entries, refreshMs: refreshMinutes * 60_000 };
}

/** The last slot's end on HA's clock (else the host's): the household's. */
function forecastStatus(RED: NodeAPI, forecast: PvForecastPayload, timeZone: string) {
  const last = forecast.slots.at(-1)!;
  const values = { count: forecast.slots.length, end: formatLocalDayClock(Date.parse(last.end), timeZone), entries: forecast.entries.join(', ') };
  return { fill: 'green' as const, shape: 'dot' as const, text: statusText(RED, 'hems-ha-pv-forecast.status.slots', values) };
}

export = function register(RED: NodeAPI): void {
  function HemsHaPvForecastNode(this: Node, config: HaPvForecastConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-ha-pv-forecast', config, () => validate(RED, config));
    if (!settings) return;
    const { server, entries, refreshMs } = settings;
    let lastSent = '';
    let lastProblem: string | undefined;
    let closed = false;

    const report = (problem: string) => {
      this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-ha-pv-forecast.status.problem', { problem }).slice(0, 120) });
      if (problem !== lastProblem) this.error(`hems-ha-pv-forecast: ${problem}`);
      lastProblem = problem;
    };

    /** Asks HA, sends a changed forecast (or any, when `always`), shows what came of it; the problem, if any. */
    const refresh = async (always = false): Promise<string | undefined> => {
      if (server.linkState.state !== 'connected') {
        this.status(linkStatus(RED, server.linkState));
        return server.linkState.detail;
      }
      let answer: unknown;
      try {
        answer = await server.solarForecast();
      } catch (err) {
        if (!closed) report((err as Error).message);
        return (err as Error).message;
      }
      if (closed) return undefined;
      const parsed = pvForecastFromHa(answer, entries);
      if (!parsed.ok) {
        report(parsed.error);
        return parsed.error;
      }
      lastProblem = undefined;
      this.status(forecastStatus(RED, parsed.value, server.timeZone ?? hostTimeZone()));
      const serialised = JSON.stringify(parsed.value);
      if (serialised === lastSent && !always) return undefined;
      lastSent = serialised;
      this.send({ topic: 'pv_forecast', payload: parsed.value });
      return undefined;
    };

    const timer = setInterval(() => void refresh(), refreshMs);
    const unsubscribe = server.onLinkState((link) => {
      if (link.state === 'connected') void refresh();
      else this.status(linkStatus(RED, link));
    });
    if (server.linkState.state === 'connected') void refresh();
    else this.status(linkStatus(RED, server.linkState));

    this.on('input', (_msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      void refresh(true).then((problem) => done(problem === undefined ? undefined : new Error(`hems-ha-pv-forecast: no forecast: ${problem}`)));
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      done();
    });
  }
  registerNodeType(RED, 'hems-ha-pv-forecast', HemsHaPvForecastNode);
};
