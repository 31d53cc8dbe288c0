/**
 * A Home Assistant websocket API on 127.0.0.1, written from the documented message flow
 * (shared/reference/ha-websocket.md), not from the client library: auth_required → auth →
 * auth_ok / auth_invalid, supported_features, get_states, get_config, subscribe_entities (the
 * compressed a/c/r events), subscribe_events state_changed, unsubscribe_events, call_service
 * (recorded; unknown services answer an error result), ping/pong. It checks that ids increase
 * within a connection and lets a test change states and drop connections.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeEntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  context: { id: string; parent_id: null; user_id: null };
}

export interface RecordedCall {
  domain: string;
  service: string;
  service_data?: Record<string, unknown>;
  target?: { entity_id?: string | string[] };
}

interface Subscription {
  kind: 'entities' | 'state_changed' | 'all_events';
}

interface Client {
  socket: WebSocket;
  authenticated: boolean;
  lastId: number;
  coalesce: boolean;
  subscriptions: Map<number, Subscription>;
}

/** What a switchable entity becomes for each service HA's switch-like domains offer. */
const SWITCH_SERVICES: Readonly<Record<string, (state: string) => string>> = {
  turn_on: () => 'on',
  turn_off: () => 'off',
  toggle: (state) => (state === 'on' ? 'off' : 'on'),
};
const SWITCH_DOMAINS = ['switch', 'light', 'input_boolean'];

let contextCounter = 0;
const newContext = () => ({ id: `ctx${(++contextCounter).toString().padStart(8, '0')}`, parent_id: null, user_id: null });

export class FakeHomeAssistant {
  readonly states = new Map<string, FakeEntityState>();
  readonly calls: RecordedCall[] = [];
  /** Every protocol mistake a client made (ids not increasing, commands before auth …). */
  readonly protocolErrors: string[] = [];
  /** Message types in the order the server received them, per connection. */
  readonly received: Array<Array<Record<string, unknown>>> = [];
  authAttempts = 0;
  /** A host that hangs: pings go unanswered while this is set. */
  ignorePings = false;
  /** What `energy/solar_forecast` answers: per config entry `{ wh_hours }`, as HA's energy integration does (`{}` with no forecast set up). */
  solarForecasts: Record<string, { wh_hours: Record<string, number> }> = {};
  private readonly clients = new Set<Client>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly token: string,
    readonly haVersion: string,
    readonly timeZone: string,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: { token?: string; haVersion?: string; timeZone?: string } = {}): Promise<FakeHomeAssistant> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/websocket' });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new FakeHomeAssistant(server, options.token ?? 'good-token', options.haVersion ?? '2025.7.1', options.timeZone ?? 'Europe/Berlin');
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connectionCount(): number {
    return [...this.clients].filter((c) => c.authenticated).length;
  }

  subscriptionKinds(): string[] {
    return [...this.clients].flatMap((c) => [...c.subscriptions.values()].map((s) => s.kind));
  }

  /** Creates or changes an entity and tells every subscriber, as HA does on a state write. */
  setState(entityId: string, state: string, attributes?: Record<string, unknown>): void {
    const old = this.states.get(entityId);
    const now = new Date().toISOString();
    const changed = !old || old.state !== state;
    const next: FakeEntityState = {
      entity_id: entityId,
      state,
      attributes: attributes ?? old?.attributes ?? {},
      last_changed: changed ? now : old.last_changed,
      last_updated: now,
      context: newContext(),
    };
    this.states.set(entityId, next);
    this.pushChange(entityId, old, next);
  }

  removeEntity(entityId: string): void {
    const old = this.states.get(entityId);
    if (!old) return;
    this.states.delete(entityId);
    this.pushChange(entityId, old, undefined);
  }

  /** Cuts every connection without a closing handshake, as a restarting HA or a dead network does. */
  dropConnections(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const client: Client = { socket, authenticated: false, lastId: 0, coalesce: false, subscriptions: new Map() };
    const log: Array<Record<string, unknown>> = [];
    this.received.push(log);
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    socket.on('message', (data) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(data.toString());
      } catch {
        this.protocolErrors.push(`not JSON: ${data.toString().slice(0, 80)}`);
        return;
      }
      log.push(message);
      if (!client.authenticated) this.authenticate(client, message);
      else this.command(client, message);
    });
    this.send(client, { type: 'auth_required', ha_version: this.haVersion });
  }

  private authenticate(client: Client, message: Record<string, unknown>): void {
    if (message.type !== 'auth') {
      this.protocolErrors.push(`"${String(message.type)}" before auth`);
      client.socket.close();
      return;
    }
    this.authAttempts += 1;
    if (message.access_token !== this.token) {
      this.send(client, { type: 'auth_invalid', message: 'Invalid access token or password' });
      client.socket.close();
      return;
    }
    client.authenticated = true;
    this.send(client, { type: 'auth_ok', ha_version: this.haVersion });
  }

  private command(client: Client, message: Record<string, unknown>): void {
    const id = message.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= client.lastId) {
      this.protocolErrors.push(`id ${JSON.stringify(id)} after ${client.lastId} (${String(message.type)})`);
      this.send(client, { id, type: 'result', success: false, error: { code: 'id_reuse', message: 'Identifier values have to increase.' } });
      return;
    }
    client.lastId = id;
    const handler = this.commands[String(message.type)];
    if (!handler) {
      this.send(client, { id, type: 'result', success: false, error: { code: 'unknown_command', message: 'Unknown command.' } });
      return;
    }
    handler(client, id, message);
  }

  private readonly commands: Record<string, (client: Client, id: number, message: Record<string, unknown>) => void> = {
    supported_features: (client, id, message) => {
      client.coalesce = (message.features as Record<string, unknown> | undefined)?.coalesce_messages === 1;
      this.result(client, id, null);
    },
    ping: (client, id) => {
      if (!this.ignorePings) this.send(client, { id, type: 'pong' });
    },
    get_states: (client, id) => this.result(client, id, [...this.states.values()]),
    'energy/solar_forecast': (client, id) => this.result(client, id, this.solarForecasts),
    get_config: (client, id) => this.result(client, id, { time_zone: this.timeZone, version: this.haVersion, unit_system: {} }),
    subscribe_entities: (client, id) => {
      client.subscriptions.set(id, { kind: 'entities' });
      const added = Object.fromEntries([...this.states.values()].map((s) => [s.entity_id, compressed(s)]));
      // The result and the first full event, in one frame when the client allowed coalescing.
      this.sendAll(client, [
        { id, type: 'result', success: true, result: null },
        { id, type: 'event', event: { a: added } },
      ]);
    },
    subscribe_events: (client, id, message) => {
      if (message.event_type !== undefined && message.event_type !== 'state_changed') {
        this.result(client, id, null);
        return;
      }
      client.subscriptions.set(id, { kind: message.event_type === 'state_changed' ? 'state_changed' : 'all_events' });
      this.result(client, id, null);
    },
    unsubscribe_events: (client, id, message) => {
      if (!client.subscriptions.delete(Number(message.subscription))) {
        this.send(client, { id, type: 'result', success: false, error: { code: 'not_found', message: 'Subscription not found.' } });
        return;
      }
      this.result(client, id, null);
    },
    call_service: (client, id, message) => {
      const call: RecordedCall = {
        domain: String(message.domain),
        service: String(message.service),
        ...(message.service_data ? { service_data: message.service_data as Record<string, unknown> } : {}),
        ...(message.target ? { target: message.target as RecordedCall['target'] } : {}),
      };
      const change = SWITCH_DOMAINS.includes(call.domain) ? SWITCH_SERVICES[call.service] : undefined;
      if (!change) {
        this.send(client, {
          id,
          type: 'result',
          success: false,
          error: { code: 'not_found', message: `Service ${call.domain}.${call.service} not found.` },
        });
        return;
      }
      this.calls.push(call);
      const context = newContext();
      for (const entityId of [call.target?.entity_id ?? []].flat()) {
        const current = this.states.get(entityId);
        this.setState(entityId, change(current?.state ?? 'off'), current?.attributes);
      }
      this.result(client, id, { context, response: null });
    },
  };

  private pushChange(entityId: string, old: FakeEntityState | undefined, next: FakeEntityState | undefined): void {
    for (const client of this.clients) {
      for (const [id, subscription] of client.subscriptions) {
        if (subscription.kind === 'entities') {
          this.send(client, { id, type: 'event', event: entitiesEvent(entityId, old, next) });
        } else {
          this.send(client, {
            id,
            type: 'event',
            event: {
              event_type: 'state_changed',
              data: { entity_id: entityId, old_state: old ?? null, new_state: next ?? null },
              origin: 'LOCAL',
              time_fired: new Date().toISOString(),
              context: next?.context ?? newContext(),
            },
          });
        }
      }
    }
  }

  private result(client: Client, id: number, result: unknown): void {
    this.send(client, { id, type: 'result', success: true, result });
  }

  private sendAll(client: Client, messages: unknown[]): void {
    if (client.coalesce) this.send(client, messages);
    else for (const m of messages) this.send(client, m);
  }

  private send(client: Client, payload: unknown): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(payload));
  }
}

const epochSeconds = (iso: string) => Date.parse(iso) / 1000;

/** The compressed state of `subscribe_entities`: lu only when it differs from lc. */
function compressed(s: FakeEntityState): Record<string, unknown> {
  const out: Record<string, unknown> = { s: s.state, a: s.attributes, c: s.context.id, lc: epochSeconds(s.last_changed) };
  if (s.last_updated !== s.last_changed) out.lu = epochSeconds(s.last_updated);
  return out;
}

function entitiesEvent(entityId: string, old: FakeEntityState | undefined, next: FakeEntityState | undefined): Record<string, unknown> {
  if (!next) return { r: [entityId] };
  if (!old) return { a: { [entityId]: compressed(next) } };
  const plus: Record<string, unknown> = { c: next.context.id };
  if (next.state !== old.state) {
    plus.s = next.state;
    plus.lc = epochSeconds(next.last_changed);
  } else {
    plus.lu = epochSeconds(next.last_updated);
  }
  const changedAttributes = Object.fromEntries(
    Object.entries(next.attributes).filter(([k, v]) => JSON.stringify(old.attributes[k]) !== JSON.stringify(v)),
  );
  if (Object.keys(changedAttributes).length > 0) plus.a = changedAttributes;
  const removed = Object.keys(old.attributes).filter((k) => !(k in next.attributes));
  return { c: { [entityId]: removed.length > 0 ? { '+': plus, '-': { a: removed } } : { '+': plus } } };
}
