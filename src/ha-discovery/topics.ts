/** Who owns which MQTT topic (docs/architecture.md): everything under `<base>/` is ours. */
export interface TopicRoots {
  /** HA's discovery prefix, `homeassistant` unless the user changed it in HA. */
  discoveryPrefix: string;
  /** Our base topic, `hems` by default. */
  baseTopic: string;
}

/** HA accepts only these characters in discovery topic ids (its TOPIC_MATCHER). */
const TOPIC_ID = /^[a-zA-Z0-9_-]+$/;

export function assertTopicId(kind: string, id: string): void {
  if (!TOPIC_ID.test(id)) {
    throw new Error(
      `${kind} "${id}" may only contain letters, digits, "_" and "-" (Home Assistant ignores other topics); for example "${slugify(id) || 'grid_meter'}"`,
    );
  }
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The site device: the installation as a whole, which every other device is reached through. */
export const SITE_DEVICE_ID = 'site';

/** A node's device id: a valid topic id, and not the site's. */
export function assertDeviceId(deviceId: string, kind = 'device id'): void {
  assertTopicId(kind, deviceId);
  if (deviceId === SITE_DEVICE_ID) throw new Error(`${kind} "${SITE_DEVICE_ID}" is reserved for the site device: choose another`);
}

/** The base topic installations had before sites were scoped: its HA ids stay as they were. */
export const DEFAULT_BASE_TOPIC = 'hems';

/**
 * The site in HA ids: none for the default base topic (saved installations keep their entities),
 * else the base topic as a slug. A slug has no "-", so `hems-<site>-<device id>` cannot be read two
 * ways, and never starts like the unscoped `hems_<device id>`.
 */
function siteSlug(r: TopicRoots): string | undefined {
  return r.baseTopic === DEFAULT_BASE_TOPIC ? undefined : slugify(r.baseTopic);
}

/** Ids HA keys devices and entities by; two sites (base topics) on one HA never share one. */
export const haIds = {
  device: (r: TopicRoots, deviceId: string) => {
    const site = siteSlug(r);
    return site === undefined ? `hems_${deviceId}` : `hems-${site}-${deviceId}`;
  },
  entity: (r: TopicRoots, deviceId: string, key: string) => `${haIds.device(r, deviceId)}_${key}`,
  /**
   * The entity id a new entity gets (`sensor.hems_planner_plan`), so a dashboard or automation can
   * name it whatever the device is called; HA keeps the id of an entity it already has. None for a
   * scoped site: its entities, removed and discovered again when an installation moves to scoped
   * ids, must get back the ids HA derived from their names, so their history goes on.
   */
  entityId: (r: TopicRoots, deviceId: string, key: string, platform: string) =>
    siteSlug(r) === undefined ? `${platform}.${slugify(haIds.entity(r, deviceId, key))}` : undefined,
} as const;

export const topics = {
  /** Bridge availability: `online` retained, `offline` through the MQTT last will. */
  bridgeStatus: (r: TopicRoots) => `${r.baseTopic}/status`,
  /** Per-device availability: `offline` while the device does not answer. */
  deviceAvailability: (r: TopicRoots, deviceId: string) => `${r.baseTopic}/${deviceId}/availability`,
  state: (r: TopicRoots, deviceId: string, entity: string) => `${r.baseTopic}/${deviceId}/${entity}`,
  command: (r: TopicRoots, deviceId: string, entity: string) => `${r.baseTopic}/${deviceId}/${entity}/set`,
  /** A site's configs sit under a node id level of their own, so a broker ACL can grant it `hems-<site>/#`. */
  deviceConfig: (r: TopicRoots, deviceId: string) => {
    const site = siteSlug(r);
    return site === undefined
      ? `${r.discoveryPrefix}/device/hems_${deviceId}/config`
      : `${r.discoveryPrefix}/device/hems-${site}/${deviceId}/config`;
  },
  /**
   * Where to look for our device configs that no node owns any more; a scoped site also looks
   * where its configs were before sites were scoped, to remove those.
   */
  deviceConfigFilters: (r: TopicRoots) => {
    const site = siteSlug(r);
    const unscoped = `${r.discoveryPrefix}/device/+/config`;
    return site === undefined ? [unscoped] : [`${r.discoveryPrefix}/device/hems-${site}/+/config`, unscoped];
  },
  /** Every command HA sends to any of our entities. */
  commandFilter: (r: TopicRoots) => `${r.baseTopic}/+/+/set`,
  /** HA's birth and last-will topic. */
  haStatus: (r: TopicRoots) => `${r.discoveryPrefix}/status`,
} as const;
