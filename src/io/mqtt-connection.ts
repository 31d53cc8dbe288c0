/** The one place that talks to an MQTT broker (mqtt.js). Everything above it sees publish/subscribe. */
import mqtt, { type MqttClient } from 'mqtt';
import { ShedCounter } from '../engine/shed-counter';
import type { PublishOptions } from '../ha-discovery/publisher';

export interface MqttSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  clientId: string;
  keepaliveSeconds: number;
  /** mqtts: the broker's CA (PEM) to trust, and a client certificate where the broker wants one. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** Last will: the broker publishes it (retained) when we vanish without saying goodbye. */
  will: { topic: string; payload: string };
  /** Publishes handed to mqtt.js and not yet sent (default `MAX_PUBLISHES_IN_FLIGHT`). */
  maxInFlight?: number;
}

/**
 * Past this many publishes not yet sent (a slow or absent broker, a flood of changes), a retained
 * topic keeps only its newest payload until there is room, which is all a retained state needs;
 * anything else is shed (counted, warned). Memory stays bounded by the number of topics.
 */
export const MAX_PUBLISHES_IN_FLIGHT = 1000;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Reconnect pauses grow from 1 s to 60 s while the broker stays away, and start over once it is back. */
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 60_000;
type MessageHandler = (topic: string, payload: string) => void;

export class MqttConnection {
  private readonly client: MqttClient;
  /** Several nodes may listen to one filter; the broker subscription lives while any of them does. */
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private lastError: string | undefined;
  /** Set by end(): the close that follows is ours, not the broker going away. */
  private ending = false;
  private inFlight = 0;
  /** Retained publishes waiting for room, newest payload per topic. */
  private readonly waiting = new Map<string, { payload: string; options: PublishOptions }>();
  private readonly shed: ShedCounter;

  constructor(
    private readonly settings: MqttSettings,
    onState: (state: ConnectionState, detail?: string) => void,
    private readonly onShed: (warning: string) => void = () => {},
  ) {
    this.shed = new ShedCounter(
      (sinceLast, total) =>
        `MQTT: ${sinceLast} message(s) not sent, ${this.maxInFlight} still wait for broker ${settings.host}:${settings.port} (${total} since start)`,
    );
    const tls = settings.tls;
    this.client = mqtt.connect({
      host: settings.host,
      port: settings.port,
      protocol: tls ? 'mqtts' : 'mqtt',
      ...(tls ? { ca: tls.ca || undefined, cert: tls.cert || undefined, key: tls.key || undefined, rejectUnauthorized: tls.rejectUnauthorized } : {}),
      clientId: settings.clientId,
      username: settings.username || undefined,
      password: settings.password || undefined,
      keepalive: settings.keepaliveSeconds,
      reconnectPeriod: RECONNECT_MIN_MS,
      connectTimeout: 10_000,
      will: { topic: settings.will.topic, payload: Buffer.from(settings.will.payload), qos: 1, retain: true },
    });
    onState('connecting');
    this.client.on('connect', () => {
      this.lastError = undefined;
      this.client.options.reconnectPeriod = RECONNECT_MIN_MS;
      // Subscriptions are per session: renew them on every (re)connect.
      for (const filter of this.handlers.keys()) this.client.subscribe(filter, { qos: 1 });
      onState('connected');
    });
    this.client.on('error', (err) => {
      if (this.ending) return;
      this.lastError = err.message;
      onState('disconnected', this.describe(err.message));
    });
    this.client.on('close', () => {
      if (this.ending) return;
      // mqtt.js reads the period each time it schedules a reconnect.
      this.client.options.reconnectPeriod = Math.min((this.client.options.reconnectPeriod ?? RECONNECT_MIN_MS) * 2, RECONNECT_MAX_MS);
      onState('disconnected', this.describe(this.lastError));
    });
    this.client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      for (const [filter, handlers] of this.handlers) {
        if (matchesFilter(filter, topic)) for (const handler of handlers) handler(topic, text);
      }
    });
  }

  get connected(): boolean {
    return this.client.connected;
  }

  private get maxInFlight(): number {
    return this.settings.maxInFlight ?? MAX_PUBLISHES_IN_FLIGHT;
  }

  /** Messages not sent for want of room since the start (retained ones superseded by a newer payload are not lost). */
  get shedCount(): number {
    return this.shed.total;
  }

  publish(topic: string, payload: string, options: PublishOptions): void {
    if (this.inFlight < this.maxInFlight) return this.send(topic, payload, options);
    if (options.retain) {
      // Re-inserted so the map's order stays oldest change first.
      this.waiting.delete(topic);
      this.waiting.set(topic, { payload, options });
      return;
    }
    const warning = this.shed.shed(Date.now());
    if (warning) this.onShed(warning);
  }

  private send(topic: string, payload: string, options: PublishOptions): void {
    this.inFlight += 1;
    this.client.publish(topic, payload, options, () => {
      this.inFlight -= 1;
      this.drain();
    });
  }

  private drain(): void {
    for (const [topic, { payload, options }] of this.waiting) {
      if (this.inFlight >= this.maxInFlight) return;
      this.waiting.delete(topic);
      this.send(topic, payload, options);
    }
  }

  /** Calls `handler` for every message matching `filter`; the returned function stops it. */
  subscribe(filter: string, handler: MessageHandler): () => void {
    const handlers = this.handlers.get(filter) ?? new Set<MessageHandler>();
    const first = handlers.size === 0;
    handlers.add(handler);
    this.handlers.set(filter, handlers);
    if (first && this.client.connected) this.client.subscribe(filter, { qos: 1 });
    return () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.handlers.get(filter) !== handlers) return;
      this.handlers.delete(filter);
      if (this.client.connected) this.client.unsubscribe(filter);
    };
  }

  /** Publishes the goodbye messages, then disconnects cleanly (a clean close sends no last will). */
  async end(goodbye: Array<{ topic: string; payload: string }>): Promise<void> {
    this.ending = true;
    if (this.client.connected) {
      await Promise.all(goodbye.map((m) => this.client.publishAsync(m.topic, m.payload, { qos: 1, retain: true }).catch(() => undefined)));
    }
    await this.client.endAsync(!this.client.connected);
  }

  private describe(error: string | undefined): string {
    const where = `${this.settings.host}:${this.settings.port}`;
    return error ? `broker ${where}: ${error}` : `broker ${where} not reachable, retrying`;
  }
}

/** MQTT topic filter matching with `+` and `#`. */
export function matchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
