// Requests and registers per poll for every profile, the measured poll time over Modbus TCP on
// loopback, and the least time the same poll needs on RS485 at 9600 baud (8N1, RTU framing).
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const { PROFILES } = require('../dist/src/devices/profiles/index.js');
const { planProfile } = require('../dist/src/devices/read-device.js');
const { MeterPoller } = require('../dist/src/devices/meter-poller.js');
const { ModbusTcpBus } = require('../dist/src/io/modbus-bus.js');
const { startModbusTcpServer } = require('../dist/src/io/modbus-tcp-server.js');

const POLLS = 200;
const BITS_PER_CHAR = 10; // start + 8 data + stop
/** RTU: request 8 bytes, response 5 + 2 per register, and a 3.5-character silence after each frame. */
function wireSeconds(plan, baud) {
  const chars = plan.reduce((sum, r) => sum + 8 + 5 + 2 * r.count + 2 * 3.5, 0);
  return (chars * BITS_PER_CHAR) / baud;
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const rows = [];
for (const profile of Object.values(PROFILES)) {
  const plan = planProfile(profile);
  const port = await freePort();
  const server = await startModbusTcpServer({ host: '127.0.0.1', port, unitId: 1, image: new Map() });
  const bus = new ModbusTcpBus({ host: '127.0.0.1', port });
  const poller = new MeterPoller(bus, profile, 1, 'bench');
  await poller.poll();
  const started = process.hrtime.bigint();
  for (let i = 0; i < POLLS; i++) await poller.poll();
  const msPerPoll = Number(process.hrtime.bigint() - started) / 1e6 / POLLS;
  await bus.close();
  await server.close();
  rows.push({
    profile: profile.id,
    requests_per_poll: plan.length,
    registers_per_poll: plan.reduce((s, r) => s + r.count, 0),
    tcp_loopback_ms_per_poll: Number(msPerPoll.toFixed(2)),
    rtu_9600_baud_min_ms_per_poll: Number((wireSeconds(plan, 9600) * 1000).toFixed(1)),
  });
}
console.table(rows);
