/** What config nodes offer the nodes that use them (looked up with RED.nodes.getNode). */
import type { DiscoveryMessage } from '../../src/ha-discovery/meter-device';
import type { DiscoveryPublisher } from '../../src/ha-discovery/publisher';
import type { TopicRoots } from '../../src/ha-discovery/topics';
import type { ModbusTcpBus } from '../../src/io/modbus-bus';
import type { Node } from './node-red';

/** A Modbus bus shared by every device node on it; owns the one connection and its queue. */
export interface ModbusBusNode extends Node {
  bus: ModbusTcpBus;
}

/** The Home Assistant MQTT bridge other nodes publish their entities through. */
export interface HaBridgeNode extends Node {
  roots: TopicRoots;
  publisher: DiscoveryPublisher;
  configError?: string;
  /** Publishes (or updates) the discovery config a node owns. */
  registerDevice(ownerId: string, message: DiscoveryMessage): void;
  /** A removed node's entities go from HA; a merely stopped one keeps them. */
  unregisterDevice(ownerId: string, removed: boolean): void;
  setDeviceAvailability(deviceId: string, online: boolean): void;
}
