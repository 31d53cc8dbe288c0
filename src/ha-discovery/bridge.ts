/**
 * The Home Assistant side of every node: discovery configs, states, availability and commands over
 * an injected MQTT transport. hems-ha wires it to a real connection; tests may wire it to anything.
 */
import type { ActiveAlarm } from '../engine/alarms';
import { ShedCounter } from '../engine/shed-counter';
import { validateCommand, type CommandValue } from './commands';
import { buildDeviceConfig, withRemovedComponents } from './device-config';
import type { EntitySpec, HaDeviceSpec } from './entities';
import { DiscoveryPublisher, type PublishOptions } from './publisher';
import { staleConfigTopics } from './reconcile';
import { siteDevice, SITE_ERROR_KEY } from './site-device';
import { deviceThrottleRules, StateThrottle, SYSTEM_CLOCK, type ThrottleClock, type ThrottleRule } from './state-throttle';
import { SITE_DEVICE_ID, topics, type TopicRoots } from './topics';

export interface BridgeTransport {
  readonly connected: boolean;
  publish(topic: string, payload: string, options: PublishOptions): void;
  /** Returns the function that ends this subscription. */
  subscribe(filter: string, handler: (topic: string, payload: string) => void): () => void;
}

export interface BridgeLog {
  warn(message: string): void;
}

export type CommandHandler = (key: string, value: CommandValue) => void;

interface Registration {
  spec: HaDeviceSpec;
  configTopic: string;
  onCommand?: CommandHandler;
  throttleRules: ReadonlyMap<string, ThrottleRule>;
}

export interface BridgeTiming {
  /** How long to collect retained configs after subscribing, before reconciling. */
  retainedWindowMs: number;
  /** HA re-reads nothing after its restart; wait a moment so it has subscribed before we answer. */
  republishAfterBirthMs: number;
  /**
   * Commands handled per second at most; more (a runaway automation, a flood) are dropped, counted
   * and warned, so the work they start (writes to relays, files) stays bounded.
   */
  maxCommandsPerSecond: number;
}

// Retained messages follow the SUBACK at once; half a second covers a slow broker without delaying start much.
// A person presses a few buttons a second at most; 20 leaves room for automations.
export const DEFAULT_BRIDGE_TIMING: BridgeTiming = { retainedWindowMs: 500, republishAfterBirthMs: 1000, maxCommandsPerSecond: 20 };

export class HaBridge {
  private readonly publisher: DiscoveryPublisher;
  private readonly throttle: StateThrottle;
  /** Owner (Node-RED node id) → its device. */
  private readonly owners = new Map<string, Registration>();
  /** Retained device configs found on the broker at (re)connect: topic → payload. */
  private readonly retained = new Map<string, string>();
  private reconciled = false;
  private reconcileTimer: ReturnType<typeof setTimeout> | undefined;
  private birthTimer: ReturnType<typeof setTimeout> | undefined;
  private stopCollecting: Array<() => void> = [];
  private commandSecond = { startMs: Number.NEGATIVE_INFINITY, count: 0 };
  private readonly shedCommands = new ShedCounter(
    (sinceLast, total) => `ignored ${sinceLast} Home Assistant command(s): more than ${this.timing.maxCommandsPerSecond} a second (${total} since start)`,
  );

  constructor(
    readonly roots: TopicRoots,
    private readonly transport: BridgeTransport,
    private readonly log: BridgeLog,
    private readonly timing: BridgeTiming = DEFAULT_BRIDGE_TIMING,
    clock: ThrottleClock = SYSTEM_CLOCK,
  ) {
    this.publisher = new DiscoveryPublisher((topic, payload, options) => {
      if (this.transport.connected && this.reconciled) this.transport.publish(topic, payload, options);
    });
    this.throttle = new StateThrottle((topic, value) => this.publisher.publishState(topic, value), clock);
    this.registerDevice('hems-ha-site', siteDevice(roots.baseTopic), (key) => {
      if (key === 'republish') this.publisher.republishAll();
    });
    this.setAvailability(SITE_DEVICE_ID, true);
    // Every entity has a state from the start; HA shows "none" rather than "unknown".
    this.publishState(SITE_DEVICE_ID, SITE_ERROR_KEY, 'none');
    this.publishAttributes(SITE_DEVICE_ID, SITE_ERROR_KEY, {});
    transport.subscribe(topics.commandFilter(roots), (topic, payload) => this.onCommand(topic, payload));
    transport.subscribe(topics.haStatus(roots), (_topic, payload) => {
      if (payload.trim() !== 'online') return;
      clearTimeout(this.birthTimer);
      this.birthTimer = setTimeout(() => this.publisher.republishAll(), timing.republishAfterBirthMs);
    });
  }

  /** Publishes (or updates) the device a node owns; its commands go to `onCommand`. */
  registerDevice(ownerId: string, spec: HaDeviceSpec, onCommand?: CommandHandler): void {
    const message = this.configFor(spec);
    const clash = [...this.owners].find(([owner, r]) => owner !== ownerId && r.spec.deviceId === spec.deviceId);
    if (clash) throw new Error(`device id "${spec.deviceId}" is already used by another node: give each device its own id`);
    this.owners.set(ownerId, { spec, configTopic: message.topic, onCommand, throttleRules: deviceThrottleRules(spec) });
    this.publisher.publishConfig(withRemovedComponents(this.lastConfig(message.topic), message));
  }

  /** A removed node's device goes from HA; a merely stopped or redeployed one keeps it. */
  unregisterDevice(ownerId: string, removed: boolean): void {
    const registration = this.owners.get(ownerId);
    this.owners.delete(ownerId);
    if (removed && registration) this.publisher.removeConfig(registration.configTopic);
  }

  publishState(deviceId: string, key: string, value: string | number | boolean): void {
    const text = typeof value === 'boolean' ? (value ? 'ON' : 'OFF') : value;
    const topic = topics.state(this.roots, deviceId, key);
    const rule = this.throttleRule(deviceId, key);
    if (rule) this.throttle.offer(topic, text, rule);
    else this.publisher.publishState(topic, text);
  }

  publishAttributes(deviceId: string, key: string, attributes: Record<string, unknown>): void {
    this.publisher.publishState(`${topics.state(this.roots, deviceId, key)}/attributes`, JSON.stringify(attributes));
  }

  /** A device's alarm entity (devices/alarm.ts): on while any alarm is active, the alarms as its attributes. */
  publishAlarms(deviceId: string, alarms: readonly ActiveAlarm[]): void {
    this.publishState(deviceId, 'alarm', alarms.length > 0);
    this.publishAttributes(deviceId, 'alarm', { alarms });
  }

  setAvailability(deviceId: string, online: boolean): void {
    this.publisher.publishState(topics.deviceAvailability(this.roots, deviceId), online ? 'online' : 'offline');
  }

  /**
   * On every (re)connect: collect the retained configs, remove ours that no node owns any more,
   * then publish everything (configs first), since a restarted broker may have lost it all.
   */
  onConnected(): void {
    this.reconciled = false;
    this.retained.clear();
    this.stopCollecting.forEach((stop) => stop());
    this.stopCollecting = topics.deviceConfigFilters(this.roots).map((filter) =>
      this.transport.subscribe(filter, (topic, payload) => {
        if (!this.reconciled) this.retained.set(topic, payload);
      }),
    );
    clearTimeout(this.reconcileTimer);
    this.reconcileTimer = setTimeout(() => {
      this.stopCollecting.forEach((stop) => stop());
      this.stopCollecting = [];
      const registered = new Set([...this.owners.values()].map((r) => r.configTopic));
      this.reconciled = true;
      this.transport.publish(topics.bridgeStatus(this.roots), 'online', { retain: true, qos: 1 });
      for (const topic of staleConfigTopics(this.roots, this.retained, registered)) {
        this.log.warn(`removing ${topic} from Home Assistant: no node owns it any more`);
        this.publisher.removeConfig(topic);
      }
      for (const r of this.owners.values()) {
        const message = this.configFor(r.spec);
        this.publisher.publishConfig(withRemovedComponents(this.lastConfig(message.topic), message));
      }
      this.publisher.republishAll();
    }, this.timing.retainedWindowMs);
  }

  /** The messages to send before a clean disconnect. */
  goodbye(): Array<{ topic: string; payload: string }> {
    clearTimeout(this.reconcileTimer);
    clearTimeout(this.birthTimer);
    // The latest held-back states go out first, so the broker keeps what HA shows after we left.
    this.throttle.flush();
    return [{ topic: topics.bridgeStatus(this.roots), payload: 'offline' }];
  }

  /** Every device hangs off the site device, so HA shows them as one installation. */
  private configFor(spec: HaDeviceSpec) {
    return buildDeviceConfig(this.roots, { ...spec, viaDeviceId: spec.deviceId === SITE_DEVICE_ID ? undefined : SITE_DEVICE_ID });
  }

  private throttleRule(deviceId: string, key: string): ThrottleRule | undefined {
    for (const r of this.owners.values()) if (r.spec.deviceId === deviceId) return r.throttleRules.get(key);
    return undefined;
  }

  private lastConfig(topic: string): Record<string, unknown> | undefined {
    const text = this.publisher.lastConfig(topic) ?? this.retained.get(topic);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  /** Commands dropped since the start for coming faster than `maxCommandsPerSecond`. */
  get shedCommandCount(): number {
    return this.shedCommands.total;
  }

  private onCommand(topic: string, payload: string): void {
    const nowMs = Date.now();
    if (nowMs - this.commandSecond.startMs >= 1000) this.commandSecond = { startMs: nowMs, count: 0 };
    this.commandSecond.count += 1;
    if (this.commandSecond.count > this.timing.maxCommandsPerSecond) {
      const warning = this.shedCommands.shed(nowMs);
      if (warning) this.log.warn(warning);
      return;
    }
    const [deviceId, key] = topic.slice(this.roots.baseTopic.length + 1).split('/');
    const registration = [...this.owners.values()].find((r) => r.spec.deviceId === deviceId);
    const entity: EntitySpec | undefined = registration?.spec.entities.find((e) => e.key === key);
    if (!registration || !entity) return this.reject(topic, payload, `no entity "${key}" on device "${deviceId}"`);
    const check = validateCommand(entity, payload);
    if (!check.ok) return this.reject(topic, payload, check.error);
    registration.onCommand?.(key, check.value);
  }

  private reject(topic: string, payload: string, error: string): void {
    const text = `ignored command on ${topic}: ${error}`;
    this.log.warn(text);
    this.publisher.forgetState(topics.state(this.roots, SITE_DEVICE_ID, SITE_ERROR_KEY));
    this.publishState(SITE_DEVICE_ID, SITE_ERROR_KEY, text.slice(0, 255));
    this.publishAttributes(SITE_DEVICE_ID, SITE_ERROR_KEY, { topic, payload: payload.slice(0, 200), error });
  }
}
