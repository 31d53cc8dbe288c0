import type { EntitySpec } from '../entities';
import { haIds, topics, type TopicRoots } from '../topics';

export interface BuildContext {
  roots: TopicRoots;
  deviceId: string;
}

/** Keys every entity platform shares: identity, state topic, presentation. */
export function commonKeys(ctx: BuildContext, spec: EntitySpec): Record<string, unknown> {
  const stateTopic = topics.state(ctx.roots, ctx.deviceId, spec.key);
  const entityId = haIds.entityId(ctx.roots, ctx.deviceId, spec.key, spec.kind);
  return {
    p: spec.kind,
    uniq_id: haIds.entity(ctx.roots, ctx.deviceId, spec.key),
    // HA 2025.10+ reads default_entity_id; older HA object_id (the part after the dot).
    ...(entityId ? { def_ent_id: entityId, obj_id: entityId.slice(spec.kind.length + 1) } : {}),
    name: spec.name,
    ...(spec.kind === 'button' ? {} : { stat_t: stateTopic }),
    ...(spec.icon ? { ic: spec.icon } : {}),
    ...(spec.category ? { ent_cat: spec.category } : {}),
    ...(spec.enabledByDefault === false ? { en: false } : {}),
    ...(spec.attributes ? { json_attr_t: `${stateTopic}/attributes` } : {}),
    // A component's own availability replaces the device's shared one.
    ...(spec.availableWithBridgeOnly ? { avty: [{ t: topics.bridgeStatus(ctx.roots) }] } : {}),
  };
}

export function commandTopic(ctx: BuildContext, spec: EntitySpec): string {
  return topics.command(ctx.roots, ctx.deviceId, spec.key);
}

/** Leaves out keys whose value is undefined, so payloads carry only what was set. */
export function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}
