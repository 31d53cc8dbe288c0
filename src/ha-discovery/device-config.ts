import { buildComponent } from './components';
import type { HaDeviceSpec } from './entities';
import { ORIGIN, SOFTWARE_VERSION } from './origin';
import { assertTopicId, haIds, topics, type TopicRoots } from './topics';

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** Component ids become HA object ids: the same character rule as topics, lower case for entity ids. */
const ENTITY_KEY = /^[a-z0-9_]+$/;

/** One HA device with all its entities, in HA's device-based discovery format (HA 2024.11+). */
export function buildDeviceConfig(roots: TopicRoots, device: HaDeviceSpec): DiscoveryMessage {
  assertTopicId('device id', device.deviceId);
  const keys = new Set<string>();
  for (const entity of device.entities) {
    if (!ENTITY_KEY.test(entity.key)) throw new Error(`entity key "${entity.key}" may only contain a-z, 0-9 and "_"`);
    if (keys.has(entity.key)) throw new Error(`device "${device.deviceId}" declares entity "${entity.key}" twice`);
    keys.add(entity.key);
  }
  const ctx = { roots, deviceId: device.deviceId };
  return {
    topic: topics.deviceConfig(roots, device.deviceId),
    payload: {
      dev: {
        ids: [haIds.device(roots, device.deviceId)],
        name: device.name,
        ...(device.manufacturer ? { mf: device.manufacturer } : {}),
        ...(device.model ? { mdl: device.model } : {}),
        sw: SOFTWARE_VERSION,
        ...(device.viaDeviceId ? { via_device: haIds.device(roots, device.viaDeviceId) } : {}),
      },
      o: ORIGIN,
      // Unavailable when either the bridge (Node-RED) or the device itself is gone.
      avty: [{ t: topics.bridgeStatus(roots) }, { t: topics.deviceAvailability(roots, device.deviceId) }],
      avty_mode: 'all',
      qos: 1,
      cmps: Object.fromEntries(device.entities.map((e) => [e.key, buildComponent(ctx, e)])),
    },
  };
}

/**
 * HA keeps components that are merely left out of a later device config; it removes one only
 * when the config lists it with its platform alone. Adds those entries for what disappeared.
 */
export function withRemovedComponents(
  previous: Record<string, unknown> | undefined,
  next: DiscoveryMessage,
): DiscoveryMessage {
  const before = (previous?.cmps ?? {}) as Record<string, { p?: string; uniq_id?: string }>;
  const now = next.payload.cmps as Record<string, unknown>;
  const removed = Object.entries(before)
    .filter(([key, c]) => !(key in now) && c.uniq_id !== undefined && c.p)
    .map(([key, c]) => [key, { p: c.p }]);
  if (removed.length === 0) return next;
  return { topic: next.topic, payload: { ...next.payload, cmps: { ...now, ...Object.fromEntries(removed) } } };
}
