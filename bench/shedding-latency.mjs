// A reading over the import cap → the last relay command on the broker, end to end as installed:
// mosquitto, a real Node-RED with this package, a Shelly Pro 3EM (played here) read by
// hems-mqtt-meter, hems-optimiser with a 5 kW import cap, and N hems-load nodes each driving a
// hems-relay that switches a Shelly Gen2 (played here) over MQTT.
//
// Each run: the loads run (house 1 kW + loads 3 kW = 4 kW), an unmanaged 4 kW appliance starts
// (the meter reports 8 kW: 3 kW over the cap), and the time from that publish to the last Switch.Set
// off seen on the broker is taken; then the appliance stops and the loads come back on at the next
// cycle. Prints p50 and max per load count.
//
//   npm run build && node bench/shedding-latency.mjs
//   LOADS=1,10,40 RUNS=20 CYCLE_SECONDS=5 node bench/shedding-latency.mjs
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { findMosquitto, startMosquitto } from '../scripts/lib/broker.mjs';
import { packageRoot, prepareUserDir, startNodeRed } from '../scripts/lib/node-red-runtime.mjs';
import { freePort } from '../scripts/lib/ports.mjs';

const LOAD_COUNTS = (process.env.LOADS ?? '1,10,40').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 20);
const CYCLE_SECONDS = Number(process.env.CYCLE_SECONDS ?? 5);
const HOST = '127.0.0.1';
const IMPORT_CAP_W = 5000;
const HOUSE_W = 1000;
const LOADS_TOTAL_W = 3000;
const APPLIANCE_W = 4000;
const METER = 'shellypro3em-bench';
const METER_PERIOD_MS = 1000;
const WAIT_MS = 20_000;

if (!existsSync(join(packageRoot, 'dist', 'nodes', 'hems-optimiser.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
if (!findMosquitto()) {
  console.error('mosquitto is not installed (Debian package mosquitto): this bench measures through a real broker');
  process.exit(1);
}

async function until(probe, what) {
  const deadline = Date.now() + WAIT_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const relayPrefix = (i) => `bench-relay-${i}`;

/** Node ids differ from device and load ids: Node-RED reads a property equal to a node's own id as a reference to it. */
function flow(brokerPort, loads) {
  const ids = Array.from({ length: loads }, (_, i) => i + 1);
  return [
    { id: 'tab', type: 'tab', label: 'shedding latency' },
    { id: 'ha', type: 'hems-ha', host: HOST, port: brokerPort, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
    { id: 'meter', z: 'tab', type: 'hems-mqtt-meter', name: 'Grid', ha: 'ha', deviceId: 'grid', format: 'shelly-pro-3em', topic: METER, shellyProfile: 'triphase', wires: [['opt']] },
    { id: 'opt', z: 'tab', type: 'hems-optimiser', deviceId: 'optimiser', cycleSeconds: CYCLE_SECONDS, gridDevice: 'grid', strategy: 'pv_surplus', importCapW: IMPORT_CAP_W, wires: [[]] },
    ...ids.flatMap((i) => [
      { id: `load${i}_node`, z: 'tab', type: 'hems-load', loadId: `load${i}`, optimiser: 'opt', kind: 'on_off', powerW: LOADS_TOTAL_W / loads, priority: i, mode: 'on', feedback: 'commanded', wires: [[`relay${i}_node`]] },
      {
        id: `relay${i}_node`, z: 'tab', type: 'hems-relay', deviceId: `relay${i}`, driver: 'shelly', ha: 'ha', mqttTopic: relayPrefix(i), channel: 0,
        safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 5, pollSeconds: 5, startState: 'safe', wires: [[]],
      },
    ]),
  ];
}

/** The Shelly Pro 3EM's full em:0 status for a grid power split evenly over the phases. */
function emStatus(gridW) {
  const phaseW = gridW / 3;
  const phase = (p) => ({ [`${p}_act_power`]: phaseW, [`${p}_aprt_power`]: Math.abs(phaseW), [`${p}_voltage`]: 230, [`${p}_current`]: Math.abs(phaseW) / 230, [`${p}_pf`]: 1, [`${p}_freq`]: 50 });
  return JSON.stringify({ id: 0, ...phase('a'), ...phase('b'), ...phase('c'), n_current: null, total_act_power: gridW, total_aprt_power: Math.abs(gridW) });
}

/** The meter and every relay device, on one client: relays answer Switch.Set, the meter reports house + appliance + running loads. */
async function playDevices(brokerPort, loads) {
  const client = await mqtt.connectAsync({ host: HOST, port: brokerPort, clientId: 'bench-devices' });
  const relays = new Map(Array.from({ length: loads }, (_, i) => [relayPrefix(i + 1), { on: false, offAtMs: undefined }]));
  let applianceW = 0;
  const gridW = () => HOUSE_W + applianceW + [...relays.values()].filter((r) => r.on).length * (LOADS_TOTAL_W / loads);
  const publishMeter = () => client.publishAsync(`${METER}/status/em:0`, emStatus(gridW()), { qos: 0 });
  client.on('message', (topic, payload) => {
    const atMs = performance.now();
    const prefix = topic.slice(0, -'/rpc'.length);
    const relay = relays.get(prefix);
    const { method, params } = JSON.parse(payload.toString());
    if (!relay || method !== 'Switch.Set') return;
    relay.on = params.on;
    if (!params.on) relay.offAtMs = atMs;
    void client.publishAsync(`${prefix}/events/rpc`, JSON.stringify({ method: 'NotifyStatus', params: { ts: Date.now() / 1000, 'switch:0': { id: 0, output: params.on } } }));
  });
  await client.subscribeAsync('+/rpc', { qos: 1 });
  const meterTimer = setInterval(publishMeter, METER_PERIOD_MS);
  return {
    relays: [...relays.values()],
    async applianceStarts() {
      for (const relay of relays.values()) relay.offAtMs = undefined;
      applianceW = APPLIANCE_W;
      const sentAtMs = performance.now();
      await publishMeter();
      return sentAtMs;
    },
    async applianceStops() {
      applianceW = 0;
      await publishMeter();
    },
    async close() {
      clearInterval(meterTimer);
      await client.endAsync();
    },
  };
}

async function measure(brokerPort, loads) {
  const userDir = mkdtempSync(join(tmpdir(), 'hems-bench-shedding-'));
  prepareUserDir(userDir, { flows: flow(brokerPort, loads), port: await freePort() });
  const devices = await playDevices(brokerPort, loads);
  const nodeRed = startNodeRed(userDir);
  const latenciesMs = [];
  try {
    await nodeRed.ready;
    const allOn = () => devices.relays.every((r) => r.on);
    await until(allOn, `all ${loads} relays on`);
    for (let run = 0; run < RUNS; run += 1) {
      // Any phase of the cycle: the event path must not depend on when the tick falls.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
      const sentAtMs = await devices.applianceStarts();
      await until(() => devices.relays.every((r) => r.offAtMs !== undefined), `all ${loads} relays commanded off`);
      latenciesMs.push(Math.max(...devices.relays.map((r) => r.offAtMs)) - sentAtMs);
      await devices.applianceStops();
      await until(allOn, `all ${loads} relays on again`);
    }
  } catch (err) {
    console.error(`${err.message}\nNode-RED said:\n${nodeRed.lines.slice(-20).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await nodeRed.stop();
    await devices.close();
    rmSync(userDir, { recursive: true, force: true });
  }
  return latenciesMs;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const brokerPort = await freePort();
const broker = await startMosquitto(HOST, brokerPort);
console.log(`reading ${((APPLIANCE_W + HOUSE_W + LOADS_TOTAL_W - IMPORT_CAP_W) / 1000).toFixed(1)} kW over a ${IMPORT_CAP_W / 1000} kW import cap → last relay command on mosquitto`);
console.log(`Shelly Pro 3EM → hems-mqtt-meter → hems-optimiser (cycle ${CYCLE_SECONDS} s) → N × hems-load → hems-relay → Shelly Gen2; ${RUNS} runs each`);
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes inflate these figures)`);
console.log('loads   p50 ms   max ms');
try {
  for (const loads of LOAD_COUNTS) {
    const sorted = (await measure(brokerPort, loads)).sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    console.log(`${String(loads).padStart(5)} ${percentile(sorted, 50).toFixed(0).padStart(8)} ${sorted.at(-1).toFixed(0).padStart(8)}${sorted.length < RUNS ? `   (${sorted.length} of ${RUNS} runs)` : ''}`);
  }
} finally {
  await broker.close();
}
