/**
 * The one place that talks to Home Assistant's websocket API (home-assistant-js-websocket over
 * `ws`). Above it, nodes see entity callbacks, service calls and a link state.
 */
import {
  callService as sendServiceCall,
  createConnection,
  createLongLivedTokenAuth,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  subscribeEntities,
  type Connection,
  type ConnectionOptions,
  type HassEntities,
  type HassEntity,
  type HaWebSocket,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';

export type { HassEntity };

/** Makes the socket; tests pass one of their own. Anything `ws`-compatible will do. */
export type SocketFactory = (wsUrl: string) => WebSocket;

/** Node 20 has no global WebSocket, so the library's own createSocket cannot run here. */
export const wsSocketFactory: SocketFactory = (wsUrl) => new WebSocket(wsUrl);

export const AUTH_REFUSED = 'Home Assistant refused the token: create a long-lived access token in your HA profile';

export type HaLinkState =
  | { state: 'connecting'; detail: string }
  | { state: 'connected'; detail: string }
  | { state: 'disconnected'; detail: string }
  /** The token was refused: nothing retries until the configuration changes. */
  | { state: 'refused'; detail: string };

/** What hems-ha-server offers the nodes that use it. */
export interface HaServerApi {
  readonly linkState: HaLinkState;
  /** Called with every link change; returns the unsubscribe. */
  onLinkState(listener: (state: HaLinkState) => void): () => void;
  /** Called with the entity once known (undefined when HA has no such entity), on every change and after every reconnect. */
  subscribeEntity(entityId: string, listener: (entity: HassEntity | undefined) => void): () => void;
  callService(domain: string, service: string, target: ServiceTarget, serviceData?: Record<string, unknown>): Promise<unknown>;
  /** The Energy dashboard's solar forecasts (`energy/solar_forecast`): per config entry, `{ wh_hours: { <ISO time>: Wh } }`. */
  solarForecast(): Promise<unknown>;
  /** HA's configured time zone once connected, e.g. "Europe/Berlin". */
  readonly timeZone: string | undefined;
}

export interface ServiceTarget {
  entity_id: string | string[];
}

export interface HaClientSettings {
  /** The address people open HA at: http(s)://host:8123. */
  url: string;
  token: string;
  socketFactory?: SocketFactory;
  /** Milliseconds to wait for the socket and the auth handshake. */
  connectTimeoutMs?: number;
  /** Milliseconds a service call may take before it counts as failed. */
  callTimeoutMs?: number;
  /** Milliseconds between pings; a ping unanswered for as long drops the socket and reconnects. */
  keepAliveMs?: number;
}

/** HA starts answering `supported_features` from 2022.9 (the library sends it from there on). */
const SUPPORTED_FEATURES_SINCE: [number, number] = [2022, 9];
/** The library waits this long between reconnect attempts, growing to 5 s; we do the same from the start. */
const MAX_RETRY_DELAY_S = 5;

/** http(s)://host[:port][/path] without a trailing slash, as the library derives the ws URL from it. */
export function haBaseUrl(url: string): string {
  const text = String(url ?? '').trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`Home Assistant URL "${text}" is not a URL: use the address you open HA at, like http://homeassistant.local:8123`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Home Assistant URL "${text}" must start with http:// or https://, like http://homeassistant.local:8123`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

function atLeastVersion(version: string | undefined, [major, minor]: [number, number]): boolean {
  const [haMajor, haMinor] = String(version ?? '').split('.').map(Number);
  return haMajor > major || (haMajor === major && haMinor >= minor);
}

/** Library errors are bare codes or HA's `{ code, message }`; people need sentences. */
const LIBRARY_ERRORS: Readonly<Record<number, string>> = {
  [ERR_CANNOT_CONNECT]: 'cannot connect',
  [ERR_INVALID_AUTH]: AUTH_REFUSED,
  [ERR_CONNECTION_LOST]: 'the connection to Home Assistant was lost',
};

export function describeHaError(err: unknown): string {
  if (typeof err === 'number') return LIBRARY_ERRORS[err] ?? `Home Assistant client error ${err}`;
  if (err && typeof err === 'object' && 'message' in err) {
    const { code, message } = err as { code?: unknown; message: unknown };
    return code === undefined ? String(message) : `${String(code)}: ${String(message)}`;
  }
  return String(err);
}

export class HaWebsocketClient implements HaServerApi {
  readonly baseUrl: string;
  readonly wsUrl: string;
  linkState: HaLinkState;
  timeZone: string | undefined;

  private connection: Connection | undefined;
  private readonly linkListeners = new Set<(state: HaLinkState) => void>();
  private readonly entityListeners = new Map<string, Set<(entity: HassEntity | undefined) => void>>();
  /** What each listened entity was when last delivered (null: HA has no such entity). */
  private readonly delivered = new Map<string, HassEntity | null>();
  private entities: HassEntities | undefined;
  private readonly pendingSockets = new Set<WebSocket>();
  private retryTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Why the last socket did not get through the handshake, for the status line. */
  private lastFailure = 'not connected yet';
  private readonly socketFactory: SocketFactory;
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly keepAliveMs: number;

  constructor(private readonly settings: HaClientSettings) {
    this.baseUrl = haBaseUrl(settings.url);
    this.wsUrl = `ws${this.baseUrl.slice(4)}/api/websocket`;
    this.socketFactory = settings.socketFactory ?? wsSocketFactory;
    this.connectTimeoutMs = settings.connectTimeoutMs ?? 10_000;
    this.callTimeoutMs = settings.callTimeoutMs ?? 10_000;
    this.keepAliveMs = settings.keepAliveMs ?? 30_000;
    this.linkState = { state: 'connecting', detail: `connecting to ${this.baseUrl}` };
  }

  get connected(): boolean {
    return this.connection?.connected ?? false;
  }

  /** Connects, and keeps trying (1 s growing to 5 s) until connected, refused or closed. */
  start(): void {
    this.attempt(0);
  }

  onLinkState(listener: (state: HaLinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  subscribeEntity(entityId: string, listener: (entity: HassEntity | undefined) => void): () => void {
    let listeners = this.entityListeners.get(entityId);
    if (!listeners) this.entityListeners.set(entityId, (listeners = new Set()));
    listeners.add(listener);
    // A late subscriber hears the entity as it is now; earlier ones heard it already.
    if (this.entities) {
      const entity = this.entities[entityId];
      this.delivered.set(entityId, entity ?? null);
      setImmediate(() => listeners.has(listener) && !this.closed && listener(entity));
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        this.entityListeners.delete(entityId);
        this.delivered.delete(entityId);
      }
    };
  }

  callService(domain: string, service: string, target: ServiceTarget, serviceData?: Record<string, unknown>): Promise<unknown> {
    const what = `${domain}.${service} for ${[target.entity_id].flat().join(', ')}`;
    return this.ask(`call ${what}`, `run ${what}`, (connection) => sendServiceCall(connection, domain, service, serviceData, target));
  }

  solarForecast(): Promise<unknown> {
    return this.ask('ask for the solar forecast', 'give its solar forecast', (connection) => connection.sendMessagePromise({ type: 'energy/solar_forecast' }));
  }

  /** One request over the live connection, failing in words after callTimeoutMs. */
  private async ask<T>(doing: string, done: string, request: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection?.connected) throw new Error(`cannot ${doing}: not connected to Home Assistant (${this.linkState.detail})`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.callTimeoutMs} ms`)), this.callTimeoutMs);
    });
    try {
      return await Promise.race([request(connection), timeout]);
    } catch (err) {
      throw new Error(`Home Assistant did not ${done}: ${err instanceof Error ? err.message : describeHaError(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.keepAliveTimer);
    for (const socket of this.pendingSockets) socket.terminate();
    this.pendingSockets.clear();
    this.connection?.close();
    this.linkListeners.clear();
    this.entityListeners.clear();
  }

  private setLink(state: HaLinkState): void {
    if (this.closed) return;
    this.linkState = state;
    for (const listener of this.linkListeners) listener(state);
  }

  private attempt(tries: number): void {
    if (this.closed) return;
    const options: Partial<ConnectionOptions> = {
      auth: createLongLivedTokenAuth(this.baseUrl, this.settings.token),
      setupRetry: 0,
      createSocket: () => this.openSocket(),
    };
    createConnection(options).then(
      (connection) => this.adopt(connection),
      (err) => {
        if (this.closed) return;
        if (err === ERR_INVALID_AUTH) {
          this.setLink({ state: 'refused', detail: AUTH_REFUSED });
          return;
        }
        const delayS = Math.min(tries + 1, MAX_RETRY_DELAY_S);
        this.setLink({ state: 'disconnected', detail: `${this.lastFailure}; retrying in ${delayS} s` });
        this.retryTimer = setTimeout(() => this.attempt(tries + 1), delayS * 1000);
      },
    );
  }

  private adopt(connection: Connection): void {
    if (this.closed) {
      connection.close();
      return;
    }
    this.connection = connection;
    connection.addEventListener('ready', () => this.announceConnected());
    connection.addEventListener('disconnected', () => {
      // After a reconnect every listener hears its entity again, changed or not: nodes drop values while the link is down.
      this.delivered.clear();
      this.setLink({ state: 'disconnected', detail: 'the connection to Home Assistant was lost; reconnecting' });
    });
    connection.addEventListener('reconnect-error', () => this.setLink({ state: 'refused', detail: AUTH_REFUSED }));
    // One subscription for every entity any node listens to; the library renews it after a reconnect.
    subscribeEntities(connection, (entities) => this.deliver(entities));
    this.announceConnected();
    this.keepAlive(connection);
  }

  /** A host that vanished without closing TCP looks connected for hours; an unanswered ping finds out. */
  private keepAlive(connection: Connection): void {
    this.keepAliveTimer = setInterval(() => {
      if (!connection.connected) return;
      const deadline = setTimeout(() => connection.reconnect(true), this.keepAliveMs);
      connection.ping().then(
        () => clearTimeout(deadline),
        () => clearTimeout(deadline),
      );
    }, this.keepAliveMs);
  }

  private announceConnected(): void {
    const connection = this.connection;
    if (!connection) return;
    this.setLink({ state: 'connected', detail: `connected to Home Assistant ${connection.haVersion}` });
    connection
      .sendMessagePromise<{ time_zone?: string }>({ type: 'get_config' })
      .then((config) => {
        this.timeZone = config?.time_zone;
      })
      .catch(() => undefined);
  }

  private deliver(entities: HassEntities): void {
    if (this.closed) return;
    this.entities = entities;
    for (const [entityId, listeners] of this.entityListeners) {
      const entity = entities[entityId] ?? null;
      // The library hands out a new object only for entities that changed.
      if (this.delivered.get(entityId) === entity) continue;
      this.delivered.set(entityId, entity);
      for (const listener of [...listeners]) listener(entity ?? undefined);
    }
  }

  /**
   * One socket through the auth handshake, as the library's createSocket does it: auth as soon as
   * the socket opens, auth_ok → supported_features (HA ≥ 2022.9), auth_invalid → refuse for good.
   * Rejects with the library's codes, so its reconnect loop knows when to give up.
   */
  private openSocket(): Promise<HaWebSocket> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(ERR_CANNOT_CONNECT);
      let socket: WebSocket;
      try {
        socket = this.socketFactory(this.wsUrl);
      } catch (err) {
        this.lastFailure = `cannot connect to ${this.wsUrl}: ${(err as Error).message}`;
        return reject(ERR_CANNOT_CONNECT);
      }
      this.pendingSockets.add(socket);
      let settled = false;
      let reason = 'the connection closed during the handshake';
      // ws emits 'error' as an EventEmitter event: without a listener for the socket's whole life it would crash Node-RED.
      socket.on('error', (err) => {
        reason = err.message || String(err);
      });
      const timer = setTimeout(() => {
        reason = `no answer within ${this.connectTimeoutMs} ms`;
        socket.terminate();
      }, this.connectTimeoutMs);
      const finish = (outcome: 'ok' | number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pendingSockets.delete(socket);
        socket.off('open', onOpen);
        socket.off('message', onMessage);
        socket.off('close', onClose);
        if (outcome === 'ok') return resolve(socket as unknown as HaWebSocket);
        socket.terminate();
        if (outcome === ERR_CANNOT_CONNECT) {
          this.lastFailure = `cannot connect to ${this.wsUrl}: ${reason}`;
          // While the library reconnects by itself, this is the only place that learns why it fails.
          if (this.connection) this.setLink({ state: 'disconnected', detail: `${this.lastFailure}; reconnecting` });
        }
        reject(outcome);
      };
      const onOpen = () => socket.send(JSON.stringify({ type: 'auth', access_token: this.settings.token }));
      const onMessage = (data: WebSocket.RawData) => {
        let message: { type?: string; ha_version?: string };
        try {
          message = JSON.parse(data.toString());
        } catch {
          reason = `the server at ${this.wsUrl} does not speak Home Assistant's websocket API`;
          return finish(ERR_CANNOT_CONNECT);
        }
        if (message.type === 'auth_invalid') return finish(ERR_INVALID_AUTH);
        if (message.type !== 'auth_ok') return;
        const haSocket = socket as unknown as HaWebSocket;
        haSocket.haVersion = String(message.ha_version);
        if (atLeastVersion(haSocket.haVersion, SUPPORTED_FEATURES_SINCE)) {
          socket.send(JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }));
        }
        finish('ok');
      };
      const onClose = () => finish(ERR_CANNOT_CONNECT);
      socket.on('open', onOpen);
      socket.on('message', onMessage);
      socket.on('close', onClose);
    });
  }
}
