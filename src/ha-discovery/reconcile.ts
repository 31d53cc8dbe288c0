import { ORIGIN } from './origin';
import { topics, type TopicRoots } from './topics';

/**
 * Which retained device configs on the broker are ours but no longer belong to any node (the node
 * was deleted while Node-RED was not running): those HA should forget. Ours = our origin name
 * and our bridge's availability topic, so another base topic's devices are left alone.
 */
export function staleConfigTopics(
  roots: TopicRoots,
  retained: ReadonlyMap<string, string>,
  registered: ReadonlySet<string>,
): string[] {
  const bridge = topics.bridgeStatus(roots);
  return [...retained]
    .filter(([topic, payload]) => !registered.has(topic) && payload !== '' && isOurs(payload, bridge))
    .map(([topic]) => topic);
}

function isOurs(payload: string, bridgeStatusTopic: string): boolean {
  try {
    const config = JSON.parse(payload) as { o?: { name?: string }; avty?: Array<{ t?: string }> };
    return config.o?.name === ORIGIN.name && (config.avty ?? []).some((a) => a.t === bridgeStatusTopic);
  } catch {
    return false;
  }
}
