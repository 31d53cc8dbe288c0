/**
 * How each kind of relay output is switched and read back, as data: topics, payloads and register
 * values. Pure; src/io/relay-drivers.ts does the talking.
 */

/** Modbus relay boards (shared/reference/registers/modbus-relay-board*.json). */
export const MODBUS_RELAY_BOARDS = {
  /** Waveshare style: relay n = coil n-1; write FC 05 (0xFF00 on, 0x0000 off), read back FC 01. */
  coil: { table: 'coil', firstAddress: 0, onValue: true, offValue: false },
  /**
   * Eletechsup R4D3B16 / RYN4 style: relay n = holding register n, written with FC 06 as
   * command << 8 (0x0100 on, 0x0200 off), read back with FC 03 as 1 / 0 — not the write codes.
   */
  holding: { table: 'holding', firstAddress: 1, onValue: 0x0100, offValue: 0x0200, readOn: 1, readOff: 0 },
} as const;

export type ModbusRelayBoard = keyof typeof MODBUS_RELAY_BOARDS;

/** A state message's JSON, which must be an object: anything else is said plainly, not as a TypeError. */
function jsonObject(payload: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new Error('not JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a JSON object');
  return json as Record<string, unknown>;
}

/** Shelly Gen2: JSON-RPC over MQTT (Switch.Set), state in the switch component's status. */
export const shellyGen2 = {
  commandTopic: (prefix: string) => `${prefix}/rpc`,
  command: (channel: number, on: boolean, src: string, id: number) =>
    JSON.stringify({ id, src, method: 'Switch.Set', params: { id: channel, on } }),
  /** Full status (status_ntf on) and partial notifications (rpc_ntf, on by default). */
  stateTopics: (prefix: string, channel: number) => [`${prefix}/status/switch:${channel}`, `${prefix}/events/rpc`],
  parseState(topic: string, payload: string, channel: number): boolean | undefined {
    const json = jsonObject(payload);
    const params = topic.endsWith('/events/rpc') ? json.params : undefined;
    const status = topic.endsWith('/events/rpc') ? (params && typeof params === 'object' ? (params as Record<string, unknown>)[`switch:${channel}`] : undefined) : json;
    const output = status && typeof status === 'object' ? (status as Record<string, unknown>).output : undefined;
    return typeof output === 'boolean' ? output : undefined;
  },
  /** The device's last will: "false" when it drops off the broker, "true" when it is back. */
  availabilityTopic: (prefix: string) => `${prefix}/online`,
  parseAvailability: (payload: string): boolean | undefined => (payload === 'true' ? true : payload === 'false' ? false : undefined),
};

/** Tasmota: `cmnd/<topic>/POWER<n>` ON/OFF; state on `stat/<topic>/POWER<n>` and in RESULT / STATE JSON. */
export const tasmota = {
  powerName: (channel: number) => (channel <= 1 ? 'POWER' : `POWER${channel}`),
  commandTopic: (topic: string, channel: number) => `cmnd/${topic}/${tasmota.powerName(channel)}`,
  command: (on: boolean) => (on ? 'ON' : 'OFF'),
  stateTopics: (topic: string, channel: number) => [`stat/${topic}/${tasmota.powerName(channel)}`, `stat/${topic}/RESULT`, `tele/${topic}/STATE`],
  parseState(topic: string, payload: string, channel: number): boolean | undefined {
    const name = tasmota.powerName(channel);
    const word = topic.endsWith(`/${name}`) ? payload : jsonObject(payload)[name];
    return word === 'ON' ? true : word === 'OFF' ? false : undefined;
  },
  /** The device's last will: Offline when it drops off the broker, Online when it is back. */
  availabilityTopic: (topic: string) => `tele/${topic}/LWT`,
  parseAvailability: (payload: string): boolean | undefined => (payload === 'Online' ? true : payload === 'Offline' ? false : undefined),
};

/**
 * Smappee Infinity plugs, switches and Output module channels on a Genius' local MQTT:
 * `servicelocation/<uuid>/plug/<node id>/setstate` with `{"value": "ON" | "OFF"}`, state on
 * `…/plug/<node id>/state` as `{"value": "ON" | "OFF", "since": …}` (smappee/pysmappee mqtt.py;
 * topics in myny-git/smappee_ev docs/Smappee_mqtt.md). The node ids are in the retained
 * `…/homeControlConfig`.
 */
export const smappeePlug = {
  commandTopic: (prefix: string, nodeId: number) => `${prefix}/plug/${nodeId}/setstate`,
  command: (on: boolean) => JSON.stringify({ value: on ? 'ON' : 'OFF' }),
  stateTopics: (prefix: string, nodeId: number) => [`${prefix}/plug/${nodeId}/state`],
  parseState(_topic: string, payload: string): boolean | undefined {
    const value = (JSON.parse(payload) as { value?: unknown }).value;
    return value === 'ON' ? true : value === 'OFF' ? false : undefined;
  },
};

/** Home Assistant entities we can switch, with the services that do it. */
export const HA_SWITCHABLE_DOMAINS = ['switch', 'light', 'input_boolean'] as const;
export type HaSwitchableDomain = (typeof HA_SWITCHABLE_DOMAINS)[number];

export function haEntityDomain(entityId: string): HaSwitchableDomain {
  const domain = entityId.split('.')[0];
  if (!(HA_SWITCHABLE_DOMAINS as readonly string[]).includes(domain)) {
    throw new Error(`"${entityId}" is not a switch, light or input_boolean entity: choose one of those (e.g. switch.boiler)`);
  }
  return domain as HaSwitchableDomain;
}

export const haService = (on: boolean) => (on ? 'turn_on' : 'turn_off');
export const parseHaState = (state: string): boolean | undefined => (state === 'on' ? true : state === 'off' ? false : undefined);
