// A message flood into a meter: 10 000 messages a second into hems-meter (each asks for a read on
// demand) for 30 s, in a real Node-RED (a child process, as users run it) against our simulated
// SDM630 over Modbus TCP on loopback. A function node in the flow makes the flood; another counts
// the readings out. Prints Node-RED's memory (RSS, from /proc) over the run, the messages answered
// and the polls the device saw, and checks from the device's side that polls never overlapped:
// the requests of one poll follow each other in the profile's order, never mixed with another's.
// Target: RSS within 50 MB of the start, every message answered, polls back to back.
//   node bench/meter-flood.mjs [seconds] [messages per second]     (build first: npm run build)
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareUserDir, startNodeRed } from '../scripts/lib/node-red-runtime.mjs';
import { freePort } from '../scripts/lib/ports.mjs';

const require = createRequire(import.meta.url);
const SECONDS = Number(process.argv[2] ?? 30);
const RATE = Number(process.argv[3] ?? 10_000);

const dist = join(import.meta.dirname, '..', 'dist');
const { startModbusTcpServer } = require(join(dist, 'src/io/modbus-tcp-server.js'));
const { registerKey } = require(join(dist, 'src/simulator/register-image.js'));
const { getProfile } = require(join(dist, 'src/devices/profiles/index.js'));
const { planProfile } = require(join(dist, 'src/devices/read-device.js'));

// The device notes the first register of every request: the order shows whether polls interleaved.
const plan = planProfile(getProfile('sdm630'));
const requestStarts = new Map(plan.map((request, index) => [registerKey(request.table, request.address), index]));
const seen = [];
const image = { get: (key) => (requestStarts.has(key) && seen.push(requestStarts.get(key)), 0) };
const port = await freePort();
const device = await startModbusTcpServer({ host: '127.0.0.1', port, unitId: 1, image });

// Starts a second after deploy; every 10 ms sends what the rate asks for since the start.
const flood = `
const rate = ${RATE}, seconds = ${SECONDS};
let sent = 0;
setTimeout(() => {
  const started = Date.now();
  const timer = setInterval(() => {
    const due = Math.min(Math.floor(((Date.now() - started) * rate) / 1000), seconds * rate);
    const batch = [];
    for (; sent < due; sent++) batch.push({ payload: sent });
    node.send([batch]);
    if (sent >= seconds * rate) {
      clearInterval(timer);
      node.log('flood done: ' + sent + ' sent in ' + (Date.now() - started) + ' ms');
    }
  }, 10);
  node.log('flood started');
}, 1000);
return null;`;
const count = `flow.set('n', (flow.get('n') || 0) + 1); return null;`;
const report = `node.log('answered ' + (flow.get('n') || 0)); return null;`;
const flows = [
  { id: 'tab', type: 'tab', label: 'Flood' },
  { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 1000, retries: 0 },
  // Node ids differ from every name: Node-RED reads a property equal to a node id as a reference.
  { id: 'n1', z: 'tab', type: 'inject', once: true, onceDelay: 0.1, repeat: '', payload: '', payloadType: 'date', wires: [['n2']] },
  { id: 'n2', z: 'tab', type: 'function', name: 'flood', func: flood, outputs: 1, wires: [['n3']] },
  { id: 'n3', z: 'tab', type: 'hems-meter', bus: 'bus', profile: 'sdm630', unitId: 1, deviceId: 'grid', interval: 1, wires: [['n4']] },
  { id: 'n4', z: 'tab', type: 'function', name: 'count', func: count, outputs: 1, wires: [[]] },
  { id: 'n5', z: 'tab', type: 'inject', once: true, onceDelay: 1, repeat: '1', payload: '', payloadType: 'date', wires: [['n6']] },
  { id: 'n6', z: 'tab', type: 'function', name: 'report', func: report, outputs: 1, wires: [[]] },
];

const userDir = mkdtempSync(join(tmpdir(), 'hems-flood-'));
prepareUserDir(userDir, { flows, port: await freePort() });
const lines = [];
const nodeRed = startNodeRed(userDir, { onLine: (line) => lines.push(line) });
await nodeRed.ready;
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${nodeRed.child.pid}/status`, 'utf8'))[1]) / 1024;

const waitForLine = async (text, timeoutMs) => {
  const until = Date.now() + timeoutMs;
  while (!lines.some((l) => l.includes(text))) {
    if (Date.now() > until) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return lines.find((l) => l.includes(text));
};
await waitForLine('flood started', 10_000);
const startRss = rssMb();
let maxRss = startRss;
const rssEverySecond = [];
const sampler = setInterval(() => {
  const rss = rssMb();
  maxRss = Math.max(maxRss, rss);
  rssEverySecond.push(Math.round(rss - startRss));
}, 1000);
const done = await waitForLine('flood done', (SECONDS + 60) * 1000);
await new Promise((r) => setTimeout(r, 3000));
clearInterval(sampler);
const endRss = rssMb();
const answered = Math.max(...lines.filter((l) => l.includes('answered ')).map((l) => Number(/answered (\d+)/.exec(l)[1])));
await nodeRed.stop('SIGINT');
await device.close();

const interleaved = seen.filter((index, i) => i > 0 && index !== (seen[i - 1] + 1) % plan.length).length;
const polls = seen.filter((index) => index === 0).length;
console.log(`meter flood (${RATE}/s asked for ${SECONDS} s): ${done.slice(done.indexOf('flood done: ') + 12)}, ${answered} readings out`);
console.log(`  device saw ${polls} polls of ${plan.length} requests; requests out of poll order: ${interleaved}`);
console.log(`  Node-RED RSS: start ${startRss.toFixed(0)} MB, max +${(maxRss - startRss).toFixed(1)} MB, 3 s after +${(endRss - startRss).toFixed(1)} MB (target: within 50 MB)`);
console.log(`  RSS above start each second (MB): ${rssEverySecond.join(' ')}`);
if (interleaved > 0 || maxRss - startRss > 50) process.exitCode = 1;
