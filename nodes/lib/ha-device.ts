/** Showing a node's device in Home Assistant, the same way for every node. */
import type { CommandHandler, HaBridge } from '../../src/ha-discovery/bridge';
import type { HaDeviceSpec } from '../../src/ha-discovery/entities';
import type { Node } from './node-red';

/**
 * Registers the device with the bridge (`online`: and says it is available). A device the bridge
 * refuses (its id is taken by another node) is logged with `label` and the node goes on without
 * Home Assistant: the bridge to publish through is then undefined.
 */
export function showInHa(node: Node, label: string, bridge: HaBridge | undefined, device: HaDeviceSpec, onCommand?: CommandHandler, online = false): HaBridge | undefined {
  if (!bridge) return undefined;
  try {
    bridge.registerDevice(node.id, device, onCommand);
    if (online) bridge.setAvailability(device.deviceId, true);
    return bridge;
  } catch (err) {
    node.error(`${label}: ${(err as Error).message}`);
    return undefined;
  }
}
