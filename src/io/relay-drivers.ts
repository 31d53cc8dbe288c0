/**
 * Switching one relay output and hearing back from it, per kind of hardware. The protocol facts
 * are data in src/devices/relays/protocols.ts; this is where they meet the buses.
 */
import {
  haEntityDomain,
  haService,
  MODBUS_RELAY_BOARDS,
  parseHaState,
  shellyGen2,
  smappeePlug,
  tasmota,
  type ModbusRelayBoard,
} from '../devices/relays/protocols';
import type { HaServerApi } from './ha-websocket';
import type { ModbusBus } from './modbus-bus';
import type { MqttConnection } from './mqtt-connection';

export interface RelayDriver {
  /** For status texts and logs: where this relay is. */
  readonly label: string;
  write(on: boolean): Promise<void>;
  /** Polled read-back (Modbus); push drivers report through `onState` instead. */
  read?(): Promise<boolean>;
  onState(listener: (on: boolean) => void): void;
  /** Devices with a last will (Shelly, Tasmota) say when they drop off and come back. */
  onAvailability?(listener: (online: boolean) => void): void;
  close(): void;
}

type StateListener = (on: boolean) => void;

/** A Modbus relay board channel (1-based, as printed on the board). */
export function modbusRelayDriver(bus: ModbusBus, unitId: number, board: ModbusRelayBoard, channel: number): RelayDriver {
  const spec = MODBUS_RELAY_BOARDS[board];
  const address = spec.firstAddress + channel - 1;
  return {
    label: `${bus.label} unit ${unitId} ${board} relay ${channel}`,
    write: (on) =>
      spec.table === 'coil'
        ? bus.writeCoil(unitId, address, on)
        : bus.writeRegister(unitId, address, on ? MODBUS_RELAY_BOARDS.holding.onValue : MODBUS_RELAY_BOARDS.holding.offValue),
    read: async () =>
      spec.table === 'coil'
        ? (await bus.readBits(unitId, 'coil', address, 1))[0]
        : (await bus.readRegisters(unitId, 'holding', address, 1))[0] === MODBUS_RELAY_BOARDS.holding.readOn,
    onState: () => undefined,
    close: () => undefined,
  };
}

/**
 * Subscribes to state topics and hands parsed states to the listener (bad payloads are said and
 * skipped), and to the device's last will.
 */
function mqttStateFeed(
  mqtt: MqttConnection,
  topics: string[],
  parse: (topic: string, payload: string) => boolean | undefined,
  availability: { topic: string; parse: (payload: string) => boolean | undefined } | undefined,
  onBadPayload: (message: string) => void,
) {
  let listener: StateListener = () => undefined;
  let availabilityListener: StateListener = () => undefined;
  const stops = topics.map((filter) =>
    mqtt.subscribe(filter, (topic, payload) => {
      try {
        const on = parse(topic, payload);
        if (on !== undefined) listener(on);
      } catch (err) {
        onBadPayload(`${topic}: cannot read "${payload.slice(0, 80)}": ${(err as Error).message}`);
      }
    }),
  );
  if (availability) {
    stops.push(
      mqtt.subscribe(availability.topic, (_topic, payload) => {
        const online = availability.parse(payload);
        if (online !== undefined) availabilityListener(online);
      }),
    );
  }
  return {
    onState: (l: StateListener) => (listener = l),
    onAvailability: (l: StateListener) => (availabilityListener = l),
    close: () => stops.forEach((stop) => stop()),
  };
}

/** A Shelly Gen2 switch channel (0-based, as in Shelly's API). */
export function shellyRelayDriver(mqtt: MqttConnection, prefix: string, channel: number, clientId: string, onBadPayload: (m: string) => void): RelayDriver {
  const availability = { topic: shellyGen2.availabilityTopic(prefix), parse: shellyGen2.parseAvailability };
  const feed = mqttStateFeed(mqtt, shellyGen2.stateTopics(prefix, channel), (t, p) => shellyGen2.parseState(t, p, channel), availability, onBadPayload);
  let requestId = 0;
  return {
    label: `Shelly ${prefix} switch:${channel}`,
    write: async (on) => mqtt.publish(shellyGen2.commandTopic(prefix), shellyGen2.command(channel, on, clientId, ++requestId), { retain: false, qos: 1 }),
    ...feed,
  };
}

/** A Tasmota relay (1-based: POWER, POWER2, …). */
export function tasmotaRelayDriver(mqtt: MqttConnection, topic: string, channel: number, onBadPayload: (m: string) => void): RelayDriver {
  const availability = { topic: tasmota.availabilityTopic(topic), parse: tasmota.parseAvailability };
  const feed = mqttStateFeed(mqtt, tasmota.stateTopics(topic, channel), (t, p) => tasmota.parseState(t, p, channel), availability, onBadPayload);
  return {
    label: `Tasmota ${topic} ${tasmota.powerName(channel)}`,
    write: async (on) => mqtt.publish(tasmota.commandTopic(topic, channel), tasmota.command(on), { retain: false, qos: 1 }),
    ...feed,
  };
}

/** A Smappee plug, switch or Output module channel, by its node id, on the Genius' broker (no last will of its own is documented). */
export function smappeeRelayDriver(mqtt: MqttConnection, prefix: string, nodeId: number, onBadPayload: (m: string) => void): RelayDriver {
  const feed = mqttStateFeed(mqtt, smappeePlug.stateTopics(prefix, nodeId), smappeePlug.parseState, undefined, onBadPayload);
  return {
    label: `Smappee ${prefix} plug ${nodeId}`,
    write: async (on) => mqtt.publish(smappeePlug.commandTopic(prefix, nodeId), smappeePlug.command(on), { retain: false, qos: 1 }),
    ...feed,
  };
}

/** A switch, light or input_boolean in Home Assistant, through its websocket API. */
export function haRelayDriver(server: HaServerApi, entityId: string): RelayDriver {
  const domain = haEntityDomain(entityId);
  let listener: StateListener = () => undefined;
  const stop = server.subscribeEntity(entityId, (entity) => {
    const on = entity ? parseHaState(entity.state) : undefined;
    if (on !== undefined) listener(on);
  });
  return {
    label: `Home Assistant ${entityId}`,
    write: async (on) => {
      await server.callService(domain, haService(on), { entity_id: entityId });
    },
    onState: (l) => (listener = l),
    close: stop,
  };
}
