// `npm run demo:ha-user`: plays Home Assistant against a running demo (`npm start`). As an HA
// automation would, it sends commands to the entities' command topics (MQTT discovery's cmd_t):
// it sets the water heater's override to off, flips its relay switch on and off, and sets the
// override back to auto. It reads the relay board's coils over Modbus and prints each change it causes.
import { createRequire } from 'node:module';
import mqtt from 'mqtt';

const require = createRequire(import.meta.url);
const { DEFAULT_BUS_TIMING, ModbusBus } = require('../dist/src/io/modbus-bus.js');
const { tcpTransport } = require('../dist/src/io/modbus-tcp-transport.js');
const { DEMO_DEVICES } = require('../dist/src/simulator/demo-household.js');
const { getProfile } = require('../dist/src/devices/profiles/index.js');
const { planProfile, readDevice } = require('../dist/src/devices/read-device.js');

const HOST = '127.0.0.1';
const MQTT_PORT = Number(process.env.HEMS_DEMO_MQTT_PORT ?? 1883);
const MODBUS_PORT = Number(process.env.HEMS_DEMO_MODBUS_PORT ?? 5020);
const WAIT_MS = 15_000;
/** Long enough for the household to draw the new power and the meter to show it. */
const SETTLE_MS = 3000;
const COILS = [
  ['water heater', DEMO_DEVICES.coils.waterHeater],
  ['SG Ready contact 1', DEMO_DEVICES.coils.sgContact1],
  ['SG Ready contact 2', DEMO_DEVICES.coils.sgContact2],
];
const say = (text) => console.log(`[ha-user] ${text}`);
const onOff = (on) => (on ? 'on' : 'off');

const bus = new ModbusBus(tcpTransport({ host: HOST, port: MODBUS_PORT }), { ...DEFAULT_BUS_TIMING, timeoutMs: 1000 });
const readCoils = () => bus.readBits(DEMO_DEVICES.relayBoardUnit, 'coil', 0, COILS.length);
const sdm630 = getProfile('sdm630');
const gridPowerW = async () => (await readDevice(bus, sdm630, DEMO_DEVICES.gridMeterUnit, planProfile(sdm630, new Set(['power_w'])))).values.power_w;
const kW = (w) => `${(w / 1000).toFixed(2)} kW`;
const showCoils = (coils) => COILS.map(([name, i]) => `${name} ${onOff(coils[i])}`).join(', ');

const client = mqtt.connect({ host: HOST, port: MQTT_PORT, clientId: `hems-demo-ha-user-${process.pid}`, reconnectPeriod: 0, connectTimeout: 5000 });
try {
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
} catch (err) {
  console.error(`[ha-user] no MQTT broker on ${HOST}:${MQTT_PORT} (${err.message}): start the demo first with npm start`);
  process.exit(1);
}

/** Sends a command as HA does (not retained), then waits for the coils to show `wanted`; prints the change. */
async function command(topic, payload, wanted) {
  const before = await readCoils();
  const gridBefore = await gridPowerW();
  say(`HA → ${topic} = ${payload}`);
  const sentAt = Date.now();
  await client.publishAsync(topic, payload, { qos: 1, retain: false });
  let coils = before;
  while (!wanted(coils)) {
    if (Date.now() - sentAt > WAIT_MS) throw new Error(`the coils did not follow ${topic} = ${payload} within ${WAIT_MS / 1000} s: ${showCoils(coils)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    coils = await readCoils();
  }
  if (coils.every((on, i) => on === before[i])) return say(`relay board: no change (${showCoils(coils)})`);
  for (const [name, i] of COILS) {
    if (coils[i] !== before[i]) say(`relay board coil ${i} (${name}): ${onOff(before[i])} → ${onOff(coils[i])} after ${((Date.now() - sentAt) / 1000).toFixed(1)} s`);
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  say(`grid meter (SDM630, + = import): ${kW(gridBefore)} → ${kW(await gridPowerW())} (PV and the battery move too)`);
}

let status = 0;
try {
  const start = await readCoils();
  say(`relay board (Modbus ${HOST}:${MODBUS_PORT} unit ${DEMO_DEVICES.relayBoardUnit}): ${showCoils(start)}`);
  const heater = DEMO_DEVICES.coils.waterHeater;
  const heaterIs = (on) => (coils) => coils[heater] === on;
  // A mode: the water heater's override select to off (it beats the load's minimum on-time, which its
  // mode off would respect): the optimiser switches the heater off and lets go of it.
  await command('hems/hot_water/override/set', 'off', heaterIs(false));
  // A switch: the relay itself, on and off again, as a "boost now" automation would.
  await command('hems/hot_water_relay/relay/set', 'ON', heaterIs(true));
  await command('hems/hot_water_relay/relay/set', 'OFF', heaterIs(false));
  // Back to automatic: the optimiser decides again at its next cycle.
  await command('hems/hot_water/override/set', 'auto', () => true);
  say(`now: ${showCoils(await readCoils())}`);
} catch (err) {
  console.error(`[ha-user] ${err.message}`);
  status = 1;
} finally {
  await client.endAsync();
  await bus.close();
}
process.exit(status);
