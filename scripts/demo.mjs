// `npm start`: the whole demo on this machine, bound to 127.0.0.1 only — an MQTT broker, a
// simulated household (grid meter, inverter with battery, relay board on Modbus TCP; Shelly relay,
// Shelly Pro 3EM and wallbox on MQTT; one physics model behind them), and Node-RED running the
// demo flow. `npm start -- --fast` runs the simulated day at 60×.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brokerAnswers, startAedes } from './lib/broker.mjs';
import { packageRoot, prepareUserDir, startNodeRed, withPorts } from './lib/node-red-runtime.mjs';

const require = createRequire(import.meta.url);
const { startDemoHousehold, DEMO_DEVICES } = require('../dist/src/simulator/demo-household.js');

const { values: flags } = parseArgs({ options: { fast: { type: 'boolean', default: false } } });
const HOST = '127.0.0.1';
// The defaults are what the README promises; the variables let the demo's test run beside a live demo.
const MQTT_PORT = Number(process.env.HEMS_DEMO_MQTT_PORT ?? 1883);
const MODBUS_PORT = Number(process.env.HEMS_DEMO_MODBUS_PORT ?? 5020);
const EDITOR_PORT = Number(process.env.HEMS_DEMO_EDITOR_PORT ?? 1880);
const USER_DIR = process.env.HEMS_DEMO_USER_DIR;
const SPEED = flags.fast ? 60 : 1;
const now = new Date();
// At 1× the household lives on the clock (the sample's hours are UTC); --fast starts at dawn. The
// test starts near noon (HEMS_DEMO_START_HOUR) so that surplus comes at once.
const START_HOUR = Number(process.env.HEMS_DEMO_START_HOUR ?? (flags.fast ? 5 : now.getUTCHours() + now.getUTCMinutes() / 60));
const BATTERY_SOC_PCT = Number(process.env.HEMS_DEMO_BATTERY_SOC ?? 30);
const say = (text) => console.log(`[demo] ${text}`);

let broker;
if (await brokerAnswers(HOST, MQTT_PORT)) {
  say(`an MQTT broker already answers on ${HOST}:${MQTT_PORT}: using it`);
} else {
  broker = await startAedes(HOST, MQTT_PORT);
  say(`started the embedded MQTT broker (aedes) on ${HOST}:${MQTT_PORT}`);
}

const household = await startDemoHousehold({
  host: HOST,
  modbusPort: MODBUS_PORT,
  mqtt: { host: HOST, port: MQTT_PORT },
  speed: SPEED,
  startHour: START_HOUR,
  batterySocPct: BATTERY_SOC_PCT,
  updateMs: 500,
});
say(`simulated household on Modbus TCP ${HOST}:${MODBUS_PORT}: unit ${DEMO_DEVICES.gridMeterUnit} SDM630 grid meter, unit ${DEMO_DEVICES.inverterUnit} SUN2000 inverter with DTSU666-H meter and LUNA2000 battery, unit ${DEMO_DEVICES.relayBoardUnit} relay board`);
say(`and on MQTT: Shelly Plus 1PM ${DEMO_DEVICES.poolPumpShelly} (pool pump), Shelly Pro 3EM ${DEMO_DEVICES.heatPumpShelly} (heat pump), wallbox ${DEMO_DEVICES.wallbox}`);
say(SPEED === 1 ? 'the simulated day follows the clock (npm start -- --fast: 60×, a day in 24 minutes)' : `the simulated day runs at ${SPEED}×: a day in ${Math.round(1440 / SPEED)} minutes`);

const userDir = USER_DIR ?? join(packageRoot, '.demo');
const flows = withPorts(JSON.parse(readFileSync(join(packageRoot, 'flows', 'demo-household.json'), 'utf8')), {
  'hems-modbus': MODBUS_PORT,
  'hems-ha': MQTT_PORT,
  'mqtt-broker': MQTT_PORT,
});
prepareUserDir(userDir, { flows, port: EDITOR_PORT });
const nodeRed = startNodeRed(userDir, { onLine: (line) => console.log(`[node-red] ${line}`) });

const kW = (w) => `${(w / 1000).toFixed(1)} kW`;
/** What the house does now: one line every 30 s (at --fast, every simulated half hour). */
function describeHousehold() {
  const f = household.flows();
  const time = household.simulatedTime().toISOString().slice(11, 16);
  const loads = [
    ['water heater', f.waterHeaterW],
    [`heat pump (${f.heatPumpState})`, f.heatPumpW],
    ['wallbox', f.evW],
    ['pool pump', f.poolPumpW],
  ].map(([name, w]) => `${name} ${kW(w)}`);
  const grid = Math.abs(f.gridW) < 50 ? 'grid 0.0 kW' : f.gridW > 0 ? `grid import ${kW(f.gridW)}` : `grid export ${kW(-f.gridW)}`;
  const battery = `battery ${f.batteryW >= 0 ? '+' : ''}${kW(f.batteryW)} ${household.batterySocPct().toFixed(0)} %`;
  return `[household ${time} UTC] PV ${kW(f.pvW)}, house ${kW(f.baseLoadW)}; ${loads.join(', ')}; ${battery}; ${grid}`;
}
const reportTimer = setInterval(() => console.log(describeHousehold()), 30_000);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  clearInterval(reportTimer);
  await nodeRed.stop();
  await household.close();
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
say(`discovery configs:  mosquitto_sub -h ${HOST} -p ${MQTT_PORT} -t 'homeassistant/#' -v`);
say(`live states:        mosquitto_sub -h ${HOST} -p ${MQTT_PORT} -t 'hems/#' -v`);
say(`the meter by CLI:   npm run -s hems -- live --profile sdm630 --tcp ${HOST}:${MODBUS_PORT} --unit ${DEMO_DEVICES.gridMeterUnit}`);
say('play Home Assistant: npm run demo:ha-user');
say('Ctrl-C stops everything');
