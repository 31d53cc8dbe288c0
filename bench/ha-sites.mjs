// N sites on one mosquitto, each an HA bridge (the real HaBridge and MqttConnection, one MQTT
// connection per site, all driven from this one process rather than N Node-REDs) with an SDM630
// grid meter read at 1 Hz (38 values) at the bridge's default state rules. Prints messages per site
// per minute, retained configs and states per site, and the broker's CPU per site from
// /proc/<pid>/stat. Usage: node bench/ha-sites.mjs [sites,…] [seconds] [quiet|all]
// (defaults: 10,50,200 60 quiet; `all` is every change at once, as before the state rules).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import mqtt from 'mqtt';
import { findMosquitto, startMosquitto } from '../scripts/lib/broker.mjs';
import { freePort } from '../scripts/lib/ports.mjs';

const require = createRequire(import.meta.url);
const { HaBridge } = require('../dist/src/ha-discovery/bridge.js');
const { measurementSensor } = require('../dist/src/ha-discovery/measurement-entities.js');
const { getProfile } = require('../dist/src/devices/profiles/index.js');
const { MqttConnection } = require('../dist/src/io/mqtt-connection.js');

const SITE_COUNTS = (process.argv[2] ?? '10,50,200').split(',').map(Number);
const SECONDS = Number(process.argv[3] ?? 60);
const STATES = process.argv[4] ?? 'quiet';
const MOSQUITTO = findMosquitto();
if (!MOSQUITTO) {
  console.log('skipped: this bench needs mosquitto (Debian package mosquitto)');
  process.exit(0);
}
const NAMES = [...new Set(getProfile('sdm630').registers.map((r) => r.name))];
const TICKS_PER_S = 100; // USER_HZ on Linux
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startBroker() {
  const port = await freePort();
  const broker = await startMosquitto('127.0.0.1', port, { binary: MOSQUITTO, settings: ['allow_anonymous true', 'max_connections -1'] });
  return { port, pid: broker.pid, stop: () => broker.close() };
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** A household grid meter at 1 Hz: a base load with appliances switching, noise, PV at midday. */
function meterModel(seed) {
  let random = seed;
  const rand = () => ((random = (random * 1103515245 + 12345) % 2147483648) / 2147483648);
  let appliancesW = 300;
  let importKwh = 1000 + seed;
  let reactiveKvarh = 100;
  return () => {
    if (rand() < 1 / 90) appliancesW = Math.max(150, appliancesW + (rand() < 0.5 ? -1 : 1) * (500 + rand() * 1500));
    const powerW = appliancesW + (rand() - 0.5) * 40;
    importKwh += Math.max(0, powerW) / 3_600_000;
    reactiveKvarh += 50 / 3_600_000;
    const values = {};
    for (const name of NAMES) {
      const noise = rand() - 0.5;
      if (name === 'power_w') values[name] = Math.round(powerW * 10) / 10;
      else if (/^power_l\d_w$/.test(name)) values[name] = Math.round((powerW / 3 + noise * 20) * 10) / 10;
      else if (/_va$|_var$/.test(name)) values[name] = Math.round((powerW / 4 + noise * 30) * 10) / 10;
      else if (name.startsWith('voltage_l') && name.length > 12) values[name] = Math.round((400 + noise * 3) * 10) / 10;
      else if (name.startsWith('voltage')) values[name] = Math.round((230 + noise * 2) * 10) / 10;
      else if (name.startsWith('current')) values[name] = Math.round((powerW / 690 + noise * 0.1) * 100) / 100;
      else if (name.startsWith('power_factor')) values[name] = Math.round((0.95 + noise * 0.04) * 100) / 100;
      else if (name === 'frequency_hz') values[name] = Math.round((50 + noise * 0.04) * 100) / 100;
      else if (name.startsWith('thd')) values[name] = Math.round((3 + noise) * 10) / 10;
      else if (name.startsWith('reactive_energy')) values[name] = Math.round(reactiveKvarh * 1000) / 1000;
      else if (name.startsWith('energy_import_l')) values[name] = Math.round((importKwh / 3) * 1000) / 1000;
      else if (name.startsWith('energy')) values[name] = Math.round(importKwh * 1000) / 1000;
    }
    return values;
  };
}

async function startSite(port, index, sent) {
  const base = `site${index}`;
  let onConnected;
  const connected = new Promise((resolve) => (onConnected = resolve));
  const connection = new MqttConnection(
    { host: '127.0.0.1', port, clientId: `bench_${base}`, keepaliveSeconds: 60, will: { topic: `${base}/status`, payload: 'offline' } },
    (state) => state === 'connected' && onConnected(),
  );
  const transport = {
    get connected() {
      return connection.connected;
    },
    publish: (topic, payload, options) => {
      sent[index]++;
      connection.publish(topic, payload, options);
    },
    subscribe: (filter, handler) => connection.subscribe(filter, handler),
  };
  const bridge = new HaBridge({ discoveryPrefix: 'homeassistant', baseTopic: base }, transport, { warn: () => {} });
  bridge.registerDevice('meter', { deviceId: 'grid', name: 'Grid meter', states: STATES, entities: NAMES.map(measurementSensor) });
  await connected;
  bridge.onConnected();
  const read = meterModel(index + 1);
  // Each site's meter ticks at its own moment in the second, as independent homes would.
  const timer = setTimeout(() => {
    const tick = () => {
      bridge.setAvailability('grid', true);
      for (const [name, value] of Object.entries(read())) bridge.publishState('grid', name, value);
    };
    tick();
    site.interval = setInterval(tick, 1000);
  }, Math.random() * 1000);
  const site = { base, connection, timer, interval: undefined, bridge };
  return site;
}

async function retainedPerSite(port, sites) {
  const client = await mqtt.connectAsync({ host: '127.0.0.1', port });
  const configs = new Map();
  let states = 0;
  client.on('message', (topic, _payload, packet) => {
    if (!packet.retain) return;
    if (topic.startsWith('homeassistant/')) configs.set(topic.split('/')[2], (configs.get(topic.split('/')[2]) ?? 0) + 1);
    else states++;
  });
  await client.subscribeAsync(['homeassistant/device/#', ...sites.map((s) => `${s.base}/#`)]);
  await sleep(2000);
  await client.endAsync();
  const configCount = [...configs.values()].reduce((a, b) => a + b, 0);
  return { configs: configCount / sites.length, states: states / sites.length };
}

async function run(siteCount) {
  const broker = await startBroker();
  const sent = new Array(siteCount).fill(0);
  const sites = [];
  for (let i = 0; i < siteCount; i++) sites.push(await startSite(broker.port, i, sent));
  // Past every site's start: reconcile (0.5 s), its configs and first states.
  await sleep(3000);
  sent.fill(0);
  const brokerBefore = cpuSeconds(broker.pid);
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  await sleep(SECONDS * 1000);
  const seconds = (performance.now() - started) / 1000;
  const brokerCpuS = cpuSeconds(broker.pid) - brokerBefore;
  const own = process.cpuUsage(ownBefore);
  const messages = sent.reduce((a, b) => a + b, 0);
  const retained = await retainedPerSite(broker.port, sites);
  for (const site of sites) {
    clearTimeout(site.timer);
    clearInterval(site.interval);
    await site.connection.end(site.bridge.goodbye());
  }
  await broker.stop();
  return {
    sites: siteCount,
    perSitePerMinute: (messages / siteCount) * (60 / seconds),
    retainedConfigs: retained.configs,
    retainedStates: retained.states,
    brokerCorePct: (brokerCpuS / seconds) * 100,
    brokerPerSitePct: (brokerCpuS / seconds / siteCount) * 100,
    bridgesPerSitePct: ((own.user + own.system) / 1e6 / seconds / siteCount) * 100,
  };
}

console.log(`HA sites on one mosquitto: SDM630 at 1 Hz (${NAMES.length} values) per site, states "${STATES}", ${SECONDS} s per run; ${cpus().length} cores${cpus().length <= 2 ? ', shared with other work: CPU figures are inflated' : ''}`);
console.log('sites | messages/site/min | retained configs/site | retained states/site | broker CPU (% of a core) | broker CPU/site | bridge CPU/site (this process)');
const results = [];
for (const count of SITE_COUNTS) {
  const r = await run(count);
  results.push(r);
  console.log(
    `${String(r.sites).padStart(5)} | ${r.perSitePerMinute.toFixed(0).padStart(17)} | ${r.retainedConfigs.toFixed(1).padStart(21)} | ${r.retainedStates.toFixed(1).padStart(20)} | ${r.brokerCorePct.toFixed(2).padStart(24)} | ${r.brokerPerSitePct.toFixed(4).padStart(14)}% | ${r.bridgesPerSitePct.toFixed(3)}%`,
  );
}
const largest = results.at(-1);
console.log(`1000 sites, extrapolated linearly from ${largest.sites}: broker ≈ ${(largest.brokerPerSitePct * 1000).toFixed(0)} % of one core, ${((largest.perSitePerMinute * 1000) / 60).toFixed(0)} messages/s`);
