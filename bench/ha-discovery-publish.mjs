// Discovery configs for 200 entities (20 devices × 10 sensors, plus the site device) through the
// real HA bridge and MQTT connection to the embedded broker: time until a subscriber has them all.
import { createRequire } from 'node:module';
import net from 'node:net';
import mqtt from 'mqtt';
import { startAedes } from '../scripts/lib/broker.mjs';

const require = createRequire(import.meta.url);
const { HaBridge, DEFAULT_BRIDGE_TIMING } = require('../dist/src/ha-discovery/bridge.js');
const { measurementSensor } = require('../dist/src/ha-discovery/measurement-entities.js');
const { MqttConnection } = require('../dist/src/io/mqtt-connection.js');

const DEVICES = 20;
const NAMES = ['power_w', 'power_l1_w', 'power_l2_w', 'power_l3_w', 'voltage_l1_v', 'voltage_l2_v', 'voltage_l3_v', 'frequency_hz', 'energy_import_kwh', 'energy_export_kwh'];

const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const broker = await startAedes('127.0.0.1', port);
const subscriber = await mqtt.connectAsync({ host: '127.0.0.1', port });
const seen = new Set();
let allSeen;
const done = new Promise((resolve) => (allSeen = resolve));
subscriber.on('message', (topic) => {
  seen.add(topic);
  if (seen.size === DEVICES + 1) allSeen(performance.now());
});
await subscriber.subscribeAsync('homeassistant/device/+/config');

const timing = { retainedWindowMs: 0, republishAfterBirthMs: 1000 };
let connected;
const isConnected = new Promise((resolve) => (connected = resolve));
const connection = new MqttConnection(
  { host: '127.0.0.1', port, clientId: 'bench', keepaliveSeconds: 60, will: { topic: 'hems/status', payload: 'offline' } },
  (state) => state === 'connected' && connected(),
);
const bridge = new HaBridge({ discoveryPrefix: 'homeassistant', baseTopic: 'hems' }, connection, { warn: () => {} }, timing);
await isConnected;

const started = performance.now();
for (let d = 0; d < DEVICES; d++) {
  bridge.registerDevice(`node${d}`, { deviceId: `meter_${d}`, name: `Meter ${d}`, entities: NAMES.map(measurementSensor) });
}
bridge.onConnected();
const finished = await done;
console.log(`configs for ${DEVICES * NAMES.length} entities (${DEVICES} devices + site): ${(finished - started).toFixed(1)} ms from registration to the last config at a subscriber`);
console.log(`(at each connect the bridge first collects retained configs for ${DEFAULT_BRIDGE_TIMING.retainedWindowMs} ms to reconcile; not included above)`);
await connection.end([]);
await subscriber.endAsync();
await broker.close();
