/**
 * The demo's living household: one physics model (household-model.ts) on a clock of its own,
 * shown through simulated devices that answer their real protocols. On one Modbus TCP port, as
 * behind a gateway: unit 1 an SDM630 grid meter, unit 2 a SUN2000 inverter (with its DTSU666-H
 * meter and LUNA2000 battery read through it, and its export limitation written to it), unit 3 a
 * relay board whose coils drive the water heater and the heat pump's two SG Ready contacts. On
 * MQTT: a Shelly Plus 1PM switching the pool pump, a Shelly Pro 3EM measuring the heat pump and a
 * wallbox taking a charging current.
 */
import { INVERTER_LIMIT_CONTROLS } from '../devices/controls/inverter-limits';
import { getProfile } from '../devices/profiles';
import { shellyGen2 } from '../devices/relays/protocols';
import { startModbusTcpServer, type SimulatedUnit } from '../io/modbus-tcp-server';
import { MqttConnection } from '../io/mqtt-connection';
import { batteryValues, inverterValues, shellyPro3emStatus, shellySwitchStatus, wallboxStatus } from './device-values';
import { NEW_GRID_METER, stepGridMeter } from './grid-meter';
import { CONTROLS_AT_START, DEMO_HOUSEHOLD, newHousehold, stepHousehold, type HouseholdControls, type PowerFlows } from './household-model';
import { registerKey, writeIdentification, writeRegisterImage, type RegisterImage } from './register-image';

/** Where the devices are: unit ids on the Modbus port, topic prefixes on the broker. */
export const DEMO_DEVICES = {
  gridMeterUnit: 1,
  inverterUnit: 2,
  relayBoardUnit: 3,
  /** Relay board coils (relay n = coil n-1): 1 water heater, 2 SG Ready contact 1, 3 contact 2. */
  coils: { waterHeater: 0, sgContact1: 1, sgContact2: 2 },
  poolPumpShelly: 'shellyplus1pm-pool',
  heatPumpShelly: 'shellypro3em-heatpump',
  wallbox: 'demo-wallbox',
} as const;

const DAY_MS = 86_400_000;
/** The sample's sunny day (27 June 2016): household-sample.json's third day. */
const SUNNY_DAY_INDEX = 2;

export interface DemoHouseholdOptions {
  host: string;
  modbusPort: number;
  /** The broker the MQTT devices use; none: Modbus devices only. */
  mqtt?: { host: string; port: number };
  /** Simulated seconds per real second. */
  speed: number;
  /** Simulated time at start: the sunny day at this UTC hour (the sample's hours are UTC). */
  startHour: number;
  batterySocPct: number;
  updateMs: number;
  /** Real milliseconds between the MQTT devices' status messages. */
  mqttStatusMs?: number;
}

/** Export limitation mode and value of the SUN2000 (the registers hems-inverter-limit writes). */
const EXPORT_LIMIT = INVERTER_LIMIT_CONTROLS['huawei-sun2000-export-pct'];

/** The SUN2000's feed-in cap from its holding registers: mode 7 = limited to the % of its rating. */
function exportLimitOf(image: RegisterImage, ratedW: number): number | undefined {
  const mode = image.get(registerKey('holding', EXPORT_LIMIT.mode.register.address));
  if (mode !== EXPORT_LIMIT.mode.limiting) return undefined;
  const raw = image.get(registerKey('holding', EXPORT_LIMIT.value.address)) ?? 0;
  const pct = (raw >= 0x8000 ? raw - 0x10000 : raw) / EXPORT_LIMIT.value.gain;
  return Math.max(0, (pct / 100) * ratedW);
}

export async function startDemoHousehold(options: DemoHouseholdOptions) {
  const config = DEMO_HOUSEHOLD;
  const sdm630 = getProfile('sdm630');
  const inverterProfiles = ['sun2000', 'sun2000-meter', 'sun2000-battery'].map(getProfile);
  const gridMeterImage: RegisterImage = new Map();
  const inverterImage: RegisterImage = new Map();
  writeIdentification(gridMeterImage, sdm630);
  writeIdentification(inverterImage, inverterProfiles[0], 'SUN2000-8KTL-M1');
  const relayBoard: SimulatedUnit = { image: new Map(), coils: new Array<boolean>(8).fill(false) };
  const units = new Map<number, SimulatedUnit>([
    [DEMO_DEVICES.gridMeterUnit, { image: gridMeterImage }],
    [DEMO_DEVICES.inverterUnit, { image: inverterImage }],
    [DEMO_DEVICES.relayBoardUnit, relayBoard],
  ]);

  const realStart = Date.now();
  const simStart = SUNNY_DAY_INDEX * DAY_MS + options.startHour * 3_600_000;
  let household = newHousehold(simStart, options.batterySocPct);
  let gridMeter = NEW_GRID_METER;
  const wallbox = { currentA: 0, phases: 3 as 1 | 3 };
  let poolPumpOn = false;
  let flows: PowerFlows | undefined;
  let gridValues: Record<string, number> = {};

  const controls = (): HouseholdControls => {
    const coils = relayBoard.coils!;
    return {
      ...CONTROLS_AT_START,
      waterHeaterOn: coils[DEMO_DEVICES.coils.waterHeater],
      sgContact1: coils[DEMO_DEVICES.coils.sgContact1],
      sgContact2: coils[DEMO_DEVICES.coils.sgContact2],
      poolPumpOn,
      evCurrentA: wallbox.currentA,
      evPhases: wallbox.phases,
      exportLimitW: exportLimitOf(inverterImage, config.inverterRatedW),
    };
  };

  const update = () => {
    const simMs = simStart + (Date.now() - realStart) * options.speed;
    const dtMs = Math.max(0, simMs - household.simMs);
    const stepped = stepHousehold(household, controls(), dtMs, config);
    household = stepped.state;
    flows = stepped.flows;
    const grid = stepGridMeter(gridMeter, { loadW: flows.houseW, pvW: flows.inverterAcW }, dtMs, simMs);
    gridMeter = grid.state;
    gridValues = grid.values;
    writeRegisterImage(gridMeterImage, sdm630, gridValues);
    // The DTSU666-H sits at the same grid point as the SDM630: the same values through the inverter.
    const voltages = [gridValues.voltage_l1_v, gridValues.voltage_l2_v, gridValues.voltage_l3_v];
    writeRegisterImage(inverterImage, inverterProfiles[0], inverterValues(flows, household, voltages));
    writeRegisterImage(inverterImage, inverterProfiles[1], gridValues);
    writeRegisterImage(inverterImage, inverterProfiles[2], batteryValues(flows, household));
  };
  update();
  const server = await startModbusTcpServer({ host: options.host, port: options.modbusPort, units });
  const timer = setInterval(update, options.updateMs);

  const mqttDevices = options.mqtt ? startMqttDevices(options.mqtt, options.mqttStatusMs ?? 2000) : undefined;

  function startMqttDevices(broker: { host: string; port: number }, statusMs: number) {
    const connect = (clientId: string, willTopic: string, willPayload: string) =>
      new MqttConnection({ host: broker.host, port: broker.port, clientId, keepaliveSeconds: 30, will: { topic: willTopic, payload: willPayload } }, () => undefined);
    const retained = { retain: true, qos: 1 } as const;
    const once = { retain: false, qos: 0 } as const;
    const pool = DEMO_DEVICES.poolPumpShelly;
    const meter = DEMO_DEVICES.heatPumpShelly;
    const box = DEMO_DEVICES.wallbox;
    // Each device has its own connection with its own last will, as the real ones do.
    const onlineTopics = { pool: shellyGen2.availabilityTopic(pool), meter: `${meter}/online`, wallbox: `${box}/online` };
    const connections = {
      pool: connect(`${pool}-sim`, onlineTopics.pool, 'false'),
      meter: connect(`${meter}-sim`, onlineTopics.meter, 'false'),
      wallbox: connect(`${box}-sim`, onlineTopics.wallbox, 'false'),
    };
    const devices = Object.keys(connections) as Array<keyof typeof connections>;
    for (const device of devices) connections[device].publish(onlineTopics[device], 'true', retained);
    const voltage = () => gridValues.voltage_l1_v ?? 230;
    const publishPool = () => {
      if (!flows) return;
      const status = shellySwitchStatus(poolPumpOn, flows, household, voltage());
      connections.pool.publish(`${pool}/status/switch:0`, JSON.stringify(status), once);
      connections.pool.publish(`${pool}/events/rpc`, JSON.stringify({ src: pool, dst: `${pool}/events`, method: 'NotifyStatus', params: { ts: Date.now() / 1000, 'switch:0': { id: 0, output: poolPumpOn } } }), once);
    };
    // Shelly Gen2 RPC over MQTT: a Switch.Set on <prefix>/rpc, the answer to <src>/rpc.
    connections.pool.subscribe(shellyGen2.commandTopic(pool), (_topic, payload) => {
      let request: { id?: unknown; src?: unknown; method?: unknown; params?: { id?: unknown; on?: unknown } };
      try {
        request = JSON.parse(payload);
      } catch {
        return;
      }
      if (request.method !== 'Switch.Set' || request.params?.id !== 0 || typeof request.params.on !== 'boolean') return;
      const wasOn = poolPumpOn;
      poolPumpOn = request.params.on;
      if (typeof request.src === 'string') connections.pool.publish(`${request.src}/rpc`, JSON.stringify({ id: request.id, src: pool, dst: request.src, result: { was_on: wasOn } }), once);
      update();
      publishPool();
    });
    // The wallbox takes hems-load's EV command as it is: { on, currentA, phases } on <prefix>/set.
    connections.wallbox.subscribe(`${box}/set`, (_topic, payload) => {
      let command: { on?: unknown; currentA?: unknown; phases?: unknown };
      try {
        command = JSON.parse(payload);
      } catch {
        return;
      }
      const currentA = typeof command.currentA === 'number' && Number.isFinite(command.currentA) ? Math.min(32, Math.max(0, command.currentA)) : 0;
      wallbox.currentA = command.on === false ? 0 : currentA;
      if (command.phases === 1 || command.phases === 3) wallbox.phases = command.phases;
      update();
    });
    const publishAll = () => {
      if (!flows) return;
      publishPool();
      const status = shellyPro3emStatus(flows, household, [gridValues.voltage_l1_v, gridValues.voltage_l2_v, gridValues.voltage_l3_v]);
      connections.meter.publish(`${meter}/status/em:0`, JSON.stringify(status.em), once);
      connections.meter.publish(`${meter}/status/emdata:0`, JSON.stringify(status.emdata), once);
      connections.wallbox.publish(`${box}/status`, JSON.stringify(wallboxStatus(wallbox.currentA, wallbox.phases, flows, household)), retained);
    };
    const statusTimer = setInterval(publishAll, statusMs);
    return {
      close: async () => {
        clearInterval(statusTimer);
        await Promise.all(devices.map((device) => connections[device].end([{ topic: onlineTopics[device], payload: 'false' }])));
      },
    };
  }

  return {
    simulatedTime: () => new Date(household.simMs),
    flows: () => flows!,
    batterySocPct: () => household.batterySocPct,
    controls,
    close: async () => {
      clearInterval(timer);
      await mqttDevices?.close();
      await server.close();
    },
  };
}
