/**
 * Real parts for the tests: pymodbus as an independent Modbus peer, mosquitto (or the embedded
 * aedes broker when mosquitto is absent). A missing peer skips its tests with a clear message,
 * unless HEMS_REQUIRE_PEERS=1 (CI), where it fails instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
const PEER_SCRIPT = join(__dirname, '..', 'peers', 'modbus_server.py');

function findMosquitto(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' }).stdout.trim();
  return onPath || ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
}

const pymodbusMissing =
  spawnSync(PYTHON, ['-c', 'import pymodbus'], { encoding: 'utf8' }).status === 0
    ? undefined
    : `${PYTHON} cannot import pymodbus (install Debian's python3-pymodbus)`;
export const MOSQUITTO = findMosquitto();

/** Why tests needing pymodbus must skip, or undefined when they can run. Throws where peers are required. */
export function pymodbusSkipReason(): string | undefined {
  if (pymodbusMissing && process.env.HEMS_REQUIRE_PEERS === '1') {
    throw new Error(`HEMS_REQUIRE_PEERS=1 but ${pymodbusMissing}`);
  }
  if (pymodbusMissing) console.warn(`skipping Modbus peer tests: ${pymodbusMissing}`);
  return pymodbusMissing;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export interface PeerRegister {
  table: 'input' | 'holding';
  address: number;
  type: 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'uint64';
  wordOrder?: 'big' | 'little';
  value: number;
}

export interface ModbusPeerSpec {
  units: number[];
  size: { input?: number; holding?: number };
  registers: PeerRegister[];
}

export interface ModbusPeer {
  port: number;
  stop(): Promise<void>;
}

/** Starts pymodbus on `port` (a free one by default) and waits until it accepts connections. */
export async function startModbusPeer(spec: ModbusPeerSpec, port?: number): Promise<ModbusPeer> {
  const usePort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'hems-peer-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(PYTHON, [PEER_SCRIPT, '--port', String(usePort), '--spec', specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`pymodbus peer exited: ${output}`);
      return portAnswers(usePort);
    },
    10_000,
    `pymodbus peer on port ${usePort}`,
  );
  return { port: usePort, stop: () => stopChild(child) };
}

export interface Broker {
  port: number;
  name: string;
  stop(): Promise<void>;
}

/** mosquitto when installed, otherwise the embedded aedes broker; says which. */
export async function startBroker(): Promise<Broker> {
  const port = await freePort();
  if (process.env.HEMS_REQUIRE_PEERS === '1' && !MOSQUITTO) throw new Error('HEMS_REQUIRE_PEERS=1 but mosquitto is not installed');
  if (MOSQUITTO) {
    const dir = mkdtempSync(join(tmpdir(), 'hems-mosquitto-'));
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
    await waitFor(() => portAnswers(port), 10_000, `mosquitto on port ${port}`);
    console.log(`MQTT broker for this test: mosquitto on 127.0.0.1:${port}`);
    return { port, name: 'mosquitto', stop: () => stopChild(child) };
  }
  const { startAedes } = await import('../../scripts/lib/broker.mjs');
  const aedes = await startAedes('127.0.0.1', port);
  console.log(`MQTT broker for this test: aedes (mosquitto not found) on 127.0.0.1:${port}`);
  return { port, name: 'aedes', stop: () => aedes.close() };
}
