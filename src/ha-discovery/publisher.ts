import type { DiscoveryMessage } from './device-config';

export interface PublishOptions {
  retain: boolean;
  qos: 0 | 1;
}

export type Publish = (topic: string, payload: string, options: PublishOptions) => void;

/** Deterministic JSON (sorted keys), so "changed" means the content changed, not the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Publishes discovery configs and states retained, each only when it changed, and all of them
 * again when HA announces it is back (its birth message), since HA asks nobody after a restart.
 */
export class DiscoveryPublisher {
  private readonly configs = new Map<string, string>();
  private readonly states = new Map<string, string>();

  constructor(private readonly publish: Publish) {}

  publishConfig(message: DiscoveryMessage): void {
    const payload = stableJson(message.payload);
    if (this.configs.get(message.topic) === payload) return;
    this.configs.set(message.topic, payload);
    this.publish(message.topic, payload, { retain: true, qos: 1 });
  }

  lastConfig(topic: string): string | undefined {
    return this.configs.get(topic);
  }

  /** Removes a device and its entities from HA (an empty retained config). */
  removeConfig(topic: string): void {
    this.configs.delete(topic);
    this.publish(topic, '', { retain: true, qos: 1 });
  }

  publishState(topic: string, value: string | number): void {
    const payload = String(value);
    if (this.states.get(topic) === payload) return;
    this.states.set(topic, payload);
    this.publish(topic, payload, { retain: true, qos: 0 });
  }

  /** Forgets a state so that the next publishState sends it even if unchanged. */
  forgetState(topic: string): void {
    this.states.delete(topic);
  }

  republishAll(): void {
    for (const [topic, payload] of this.configs) this.publish(topic, payload, { retain: true, qos: 1 });
    for (const [topic, payload] of this.states) this.publish(topic, payload, { retain: true, qos: 0 });
  }
}
