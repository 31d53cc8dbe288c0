// `npm start`: the whole demo on this machine, bound to 127.0.0.1 only — an MQTT broker, a
// simulated household grid meter on Modbus TCP, and Node-RED running the demo flow.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brokerAnswers, startAedes } from './lib/broker.mjs';
import { packageRoot, prepareUserDir, startNodeRed, withPorts } from './lib/node-red-runtime.mjs';

const require = createRequire(import.meta.url);
const { startDemoMeter } = require('../dist/src/simulator/demo-meter.js');
const { getProfile } = require('../dist/src/devices/profiles/index.js');

const HOST = '127.0.0.1';
// The defaults are what the README promises; the variables let the demo's test run beside a live demo.
const MQTT_PORT = Number(process.env.HEMS_DEMO_MQTT_PORT ?? 1883);
const MODBUS_PORT = Number(process.env.HEMS_DEMO_MODBUS_PORT ?? 5020);
const EDITOR_PORT = Number(process.env.HEMS_DEMO_EDITOR_PORT ?? 1880);
const USER_DIR = process.env.HEMS_DEMO_USER_DIR;
const say = (text) => console.log(`[demo] ${text}`);

let broker;
if (await brokerAnswers(HOST, MQTT_PORT)) {
  say(`an MQTT broker already answers on ${HOST}:${MQTT_PORT}: using it`);
} else {
  broker = await startAedes(HOST, MQTT_PORT);
  say(`started the embedded MQTT broker (aedes) on ${HOST}:${MQTT_PORT}`);
}

const meter = await startDemoMeter({
  host: HOST,
  port: MODBUS_PORT,
  unitId: 1,
  profile: getProfile('sdm630'),
  speed: 60,
  startHour: 6,
  updateMs: 500,
});
say(`simulated SDM630 grid meter on Modbus TCP ${HOST}:${MODBUS_PORT}, unit 1 (one simulated day every 24 minutes)`);

const userDir = USER_DIR ?? join(packageRoot, '.demo');
const flows = withPorts(JSON.parse(readFileSync(join(packageRoot, 'flows', 'demo-meter-to-ha.json'), 'utf8')), {
  'hems-modbus': MODBUS_PORT,
  'hems-ha': MQTT_PORT,
});
prepareUserDir(userDir, { flows, port: EDITOR_PORT });
const nodeRed = startNodeRed(userDir, { onLine: (line) => console.log(`[node-red] ${line}`) });

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await nodeRed.stop();
  await meter.close();
  await broker?.close();
  say('stopped');
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
  await nodeRed.ready;
} catch (err) {
  console.error(`[demo] ${err.message}`);
  await stop(1);
}
say(`Node-RED with the demo flow: http://${HOST}:${EDITOR_PORT}`);
say(`discovery configs:  mosquitto_sub -h ${HOST} -t 'homeassistant/#' -v`);
say(`live states:        mosquitto_sub -h ${HOST} -t 'hems/#' -v`);
say(`the meter by CLI:   npm run -s hems -- live --profile sdm630 --tcp ${HOST}:${MODBUS_PORT} --unit 1`);
say('Ctrl-C stops everything');
