/** What config nodes offer the nodes that use them (looked up with RED.nodes.getNode). */
import type { HaBridge } from '../../src/ha-discovery/bridge';
import type { MqttConnection } from '../../src/io/mqtt-connection';
import type { ModbusBus } from '../../src/io/modbus-bus';
import type { Node } from './node-red';

/** A Modbus bus shared by every device node on it; owns the one connection and its queue. */
export interface ModbusBusNode extends Node {
  bus: ModbusBus;
}

/** The Home Assistant MQTT bridge other nodes publish their entities through. */
export interface HaBridgeNode extends Node {
  /** Absent when the configuration is invalid; `configError` then says why. */
  bridge?: HaBridge;
  /** The broker connection itself, for nodes that read MQTT devices (Shelly, Tasmota) on the same broker. */
  mqtt?: MqttConnection;
  configError?: string;
}
