import { localMidnightMs, parsePriceForecast, type PriceForecast } from '../src/engine/prices';
import { formatLocalDayClock, hostTimeZone } from '../src/engine/local-time';
import type { HaServerApi, HassEntity } from '../src/io/ha-websocket';
import { linkStatus } from './lib/ha-link-status';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';

interface HaPriceConfig {
  name?: string;
  server: string;
  entity: string;
  /** Empty: the unit the sensor states. */
  unit?: string;
}

type HaServerNode = Node & HaServerApi & { configError?: string };

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

function validate(RED: NodeAPI, config: HaPriceConfig) {
  const server = RED.nodes.getNode(config.server) as HaServerNode | null;
  if (!server) throw new Error('no Home Assistant server selected: open the node and pick or add a hems-ha-server');
  const entity = String(config.entity ?? '').trim();
  if (!ENTITY_ID.test(entity)) {
    throw new Error(`entity id "${entity}" is not an HA entity id: use the price sensor's id, like sensor.nordpool_kwh_de_eur`);
  }
  return { server, entity, unit: String(config.unit ?? '').trim() || undefined };
}

/** The last slot's end on HA's clock: the household's. */
function forecastStatus(RED: NodeAPI, forecast: PriceForecast, timeZone: string) {
  const last = forecast.slots.at(-1);
  if (!last) return { fill: 'yellow' as const, shape: 'ring' as const, text: statusText(RED, 'hems-ha-price.status.noPrices', { integration: forecast.source.integration }) };
  return { fill: 'green' as const, shape: 'dot' as const, text: statusText(RED, 'hems-ha-price.status.slots', { count: forecast.slots.length, end: formatLocalDayClock(Date.parse(last.end), timeZone) }) };
}

export = function register(RED: NodeAPI): void {
  function HemsHaPriceNode(this: Node, config: HaPriceConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-ha-price', config, () => validate(RED, config));
    if (!settings) return;
    const { server, entity, unit } = settings;
    let lastForecast: PriceForecast | undefined;
    let lastSent = '';
    let lastProblem: string | undefined;

    const report = (problem: string) => {
      this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-ha-price.status.problem', { problem }) });
      if (problem !== lastProblem) this.error(`${entity}: ${problem}`);
      lastProblem = problem;
    };

    const onEntity = (state: HassEntity | undefined) => {
      if (!state) return report(`${entity} does not exist in Home Assistant: check the entity id`);
      // Bare price lists start at local midnight in HA's zone; before HA has told us its zone, ours is the best guess.
      const timeZone = server.timeZone ?? hostTimeZone();
      const now = Date.now();
      let forecast: PriceForecast;
      try {
        forecast = parsePriceForecast(state.attributes, {
          entity,
          unit,
          todayStartMs: localMidnightMs(now, timeZone, 0),
          tomorrowStartMs: localMidnightMs(now, timeZone, 1),
        });
      } catch (err) {
        return report((err as Error).message);
      }
      lastProblem = undefined;
      lastForecast = forecast;
      this.status(forecastStatus(RED, forecast, timeZone));
      // The sensor's state changes every slot; only a changed forecast is news.
      const serialised = JSON.stringify(forecast);
      if (serialised === lastSent) return;
      lastSent = serialised;
      this.send({ topic: 'prices', payload: forecast });
    };

    const unsubscribers = [
      server.subscribeEntity(entity, onEntity),
      server.onLinkState((link) => {
        if (link.state !== 'connected') this.status(linkStatus(RED, link));
      }),
    ];
    if (server.linkState.state !== 'connected') this.status(linkStatus(RED, server.linkState));

    this.on('input', (_msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (!lastForecast) return done(new Error(`${entity}: no price forecast yet (${lastProblem ?? server.linkState.detail})`));
      send({ topic: 'prices', payload: lastForecast });
      done();
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      done();
    });
  }
  registerNodeType(RED, 'hems-ha-price', HemsHaPriceNode);
};
