// Requests and registers per poll for every profile; the measured poll time over Modbus TCP on
// loopback (our simulator) and over Modbus RTU on a socat pty pair (pymodbus, 9600 8N1 settings);
// and the least time the same poll needs on a real RS485 line at 9600 baud (8N1, RTU framing).
// A pty carries bytes at memory speed, so the RTU column shows our framing, queue and frame gaps,
// not the wire: on real RS485 expect the 9600-baud figure plus the device's reaction time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSocat, openVirtualSerialPair } from '../test/peers/virtual-serial.mjs';
import { freePort } from '../scripts/lib/ports.mjs';

const require = createRequire(import.meta.url);
const { PROFILES } = require('../dist/src/devices/profiles/index.js');
const { planProfile } = require('../dist/src/devices/read-device.js');
const { MeterPoller } = require('../dist/src/devices/meter-poller.js');
const { ModbusBus } = require('../dist/src/io/modbus-bus.js');
const { tcpTransport } = require('../dist/src/io/modbus-tcp-transport.js');
const { rtuTransport } = require('../dist/src/io/modbus-rtu-transport.js');
const { startModbusTcpServer } = require('../dist/src/io/modbus-tcp-server.js');

const POLLS = 200;
const PYTHON = '/usr/bin/python3';
const PEER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'peers', 'modbus_server.py');
const LINE_9600_8N1 = { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };
const BITS_PER_CHAR = 10; // start + 8 data + stop
/** RTU: request 8 bytes, response 5 + 2 per register, and a 3.5-character silence after each frame. */
function wireSeconds(plan, baud) {
  const chars = plan.reduce((sum, r) => sum + 8 + 5 + 2 * r.count + 2 * 3.5, 0);
  return (chars * BITS_PER_CHAR) / baud;
}

/** Polls once to connect, then POLLS times; milliseconds per poll. */
async function msPerPoll(bus, profile) {
  const poller = new MeterPoller(bus, profile, 1, 'bench');
  await poller.poll();
  const started = process.hrtime.bigint();
  for (let i = 0; i < POLLS; i++) await poller.poll();
  return Number(process.hrtime.bigint() - started) / 1e6 / POLLS;
}

async function tcpMsPerPoll(profile) {
  const port = await freePort();
  const server = await startModbusTcpServer({ host: '127.0.0.1', port, unitId: 1, image: new Map() });
  const bus = new ModbusBus(tcpTransport({ host: '127.0.0.1', port }));
  try {
    return await msPerPoll(bus, profile);
  } finally {
    await bus.close();
    await server.close();
  }
}

function rtuUnavailable() {
  if (!findSocat()) return 'socat is not installed';
  if (spawnSync(PYTHON, ['-c', 'import pymodbus'], { stdio: 'ignore' }).status !== 0) return `${PYTHON} cannot import pymodbus`;
  return undefined;
}

/** pymodbus as the RTU device, holding zeros over every register the plan reads. */
async function rtuMsPerPoll(profile, plan) {
  const top = (table) => Math.max(0, ...plan.filter((r) => r.table === table).map((r) => r.address + r.count));
  const dir = mkdtempSync(join(tmpdir(), 'hems-bench-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify({ units: [1], size: { input: top('input'), holding: top('holding') }, registers: [] }));
  const cable = await openVirtualSerialPair();
  const peer = spawn(PYTHON, [PEER_SCRIPT, '--serial', cable.devicePath, '--spec', specFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const bus = new ModbusBus(rtuTransport({ path: cable.hostPath, ...LINE_9600_8N1 }));
  try {
    await new Promise((resolve, reject) => {
      peer.stdout.on('data', (d) => String(d).includes('modbus peer on') && resolve());
      peer.once('exit', (code) => reject(new Error(`pymodbus RTU peer exited with ${code}`)));
    });
    return await msPerPoll(bus, profile);
  } finally {
    await bus.close();
    const exited = new Promise((resolve) => peer.once('exit', resolve));
    peer.kill('SIGTERM');
    await exited;
    await cable.stop();
  }
}

const noRtu = rtuUnavailable();
const rows = [];
for (const profile of Object.values(PROFILES)) {
  const plan = planProfile(profile);
  const rtuMs = noRtu ? undefined : await rtuMsPerPoll(profile, plan);
  rows.push({
    profile: profile.id,
    requests_per_poll: plan.length,
    registers_per_poll: plan.reduce((s, r) => s + r.count, 0),
    tcp_loopback_ms_per_poll: Number((await tcpMsPerPoll(profile)).toFixed(2)),
    rtu_pty_ms_per_poll: rtuMs === undefined ? 'n/a' : Number(rtuMs.toFixed(2)),
    rtu_9600_baud_min_ms_per_poll: Number((wireSeconds(plan, 9600) * 1000).toFixed(1)),
  });
}
console.table(rows);
if (noRtu) console.log(`RTU over a pty not measured: ${noRtu}.`);
