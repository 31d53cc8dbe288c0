import { HaWebsocketClient, type HaLinkState, type HaServerApi } from '../src/io/ha-websocket';
import { registerNodeType, type Node, type NodeAPI } from './lib/node-red';

interface HaServerConfig {
  name?: string;
  url: string;
}

type HaServerNode = Node & HaServerApi & { configError?: string };

export = function register(RED: NodeAPI): void {
  function HemsHaServerNode(this: HaServerNode, config: HaServerConfig) {
    RED.nodes.createNode(this, config);
    const token = String(this.credentials?.token ?? '').trim();
    let client: HaWebsocketClient | undefined;
    try {
      if (!token) throw new Error('no access token: create a long-lived access token in your HA profile and paste it into the server node');
      client = new HaWebsocketClient({ url: config.url, token });
    } catch (err) {
      this.configError = (err as Error).message;
      this.error(`hems-ha-server "${config.name || this.id}": ${this.configError}`);
    }
    const refusedState: HaLinkState = { state: 'refused', detail: this.configError ?? '' };

    Object.defineProperty(this, 'linkState', { get: () => client?.linkState ?? refusedState });
    Object.defineProperty(this, 'timeZone', { get: () => client?.timeZone });
    this.onLinkState = (listener) => client?.onLinkState(listener) ?? (() => undefined);
    this.subscribeEntity = (entityId, listener) => client?.subscribeEntity(entityId, listener) ?? (() => undefined);
    this.callService = (domain, service, target, serviceData) =>
      client ? client.callService(domain, service, target, serviceData) : Promise.reject(new Error(refusedState.detail));
    this.solarForecast = () => (client ? client.solarForecast() : Promise.reject(new Error(refusedState.detail)));

    let lastLogged: string | undefined;
    client?.onLinkState((state) => {
      // Log each problem once when it starts, not on every retry.
      const key = state.state === 'disconnected' ? state.detail.replace(/; (retrying in \d+ s|reconnecting)$/, '') : state.state;
      if (key === lastLogged) return;
      lastLogged = key;
      if (state.state === 'connected') this.log(state.detail);
      else if (state.state !== 'connecting') this.warn(state.detail);
    });
    client?.start();

    this.on('close', (_removed: boolean, done: () => void) => {
      if (!client) return done();
      client.close().then(done, done);
    });
  }
  registerNodeType(RED, 'hems-ha-server', HemsHaServerNode, { credentials: { token: { type: 'password' } } });
};
