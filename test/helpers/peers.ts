/**
 * Real parts for the tests: pymodbus as an independent Modbus peer (over TCP, or over RTU on a
 * socat pty pair), mosquitto (or the embedded aedes broker when mosquitto is absent). A missing
 * peer skips its tests with a clear message, unless HEMS_REQUIRE_PEERS=1 (CI), where it fails instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMosquitto, startAedes, startMosquitto } from '../../scripts/lib/broker.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { findSocat, openVirtualSerialPair } from '../peers/virtual-serial.mjs';

export { freePort };

const PYTHON = '/usr/bin/python3';
const PEER_SCRIPT = join(__dirname, '..', 'peers', 'modbus_server.py');

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

/** A SunSpec model chain laid out by the peer from the model definitions (test/peers/sunspec_image.py). */
export interface SunSpecImage {
  base: number;
  modelsDir: string;
  /** Engineering values by point name; a scaled point's sf is given among them. Strings for Mn, Md, SN… */
  models: Array<{ id: number; points?: Record<string, number | string> }>;
}

export interface ModbusPeerSpec {
  units: number[];
  size: { input?: number; holding?: number; coil?: number; discrete?: number };
  registers: PeerRegister[];
  sunspec?: SunSpecImage;
  /** More devices on the same bus, each with its own units and registers. */
  devices?: ModbusPeerSpec[];
  /** Initial coil and discrete-input values. */
  bits?: Array<{ table: 'coil' | 'discrete'; address: number; value: boolean }>;
  /** Writes to these are accepted and ignored: a relay that no longer switches. */
  stuck?: Array<{ table: 'coil' | 'holding'; address: number }>;
  /** Holding registers 1..8 behave as an Eletechsup-style relay board (0x0100 on, 0x0200 off, read 1/0). */
  relayBoard?: 'holding';
}

export interface ModbusPeer {
  port: number;
  /** Unit stops answering, as a device that lost power. */
  silence(unit: number): Promise<void>;
  /** Unit answers again. */
  answer(unit: number): Promise<void>;
  stop(): Promise<void>;
}

interface PeerProcess {
  child: ChildProcess;
  output(): string;
  command(text: string): Promise<void>;
}

function spawnPeer(spec: ModbusPeerSpec, args: string[]): PeerProcess {
  const dir = mkdtempSync(join(tmpdir(), 'hems-peer-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawn(PYTHON, [PEER_SCRIPT, ...args, '--spec', specFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  // The peer may be gone when a test stops it; a write to its stdin must not fail the test run.
  child.stdin?.on('error', () => undefined);
  const command = async (text: string) => {
    const seen = output.length;
    child.stdin?.write(`${text}\n`);
    await waitFor(() => output.slice(seen).includes(`${text} done`), 5000, `pymodbus peer to apply "${text}"`);
  };
  return { child, output: () => output, command };
}

/** Starts pymodbus on `port` (a free one by default) and waits until it accepts connections. */
export async function startModbusPeer(spec: ModbusPeerSpec, port?: number): Promise<ModbusPeer> {
  const usePort = port ?? (await freePort());
  const peer = spawnPeer(spec, ['--port', String(usePort)]);
  await waitFor(
    async () => {
      if (peer.child.exitCode !== null) throw new Error(`pymodbus peer exited: ${peer.output()}`);
      return portAnswers(usePort);
    },
    10_000,
    `pymodbus peer on port ${usePort}`,
  );
  return {
    port: usePort,
    silence: (unit) => peer.command(`silence ${unit}`),
    answer: (unit) => peer.command(`answer ${unit}`),
    stop: () => stopChild(peer.child),
  };
}

const socat = findSocat();
const serialportMissing = (() => {
  try {
    createRequire(import.meta.url)('serialport');
    return undefined;
  } catch (err) {
    return `the serialport module does not load (${(err as Error).message.split('\n')[0]})`;
  }
})();

/** Why tests needing a serial RTU peer must skip, or undefined when they can run. Throws where peers are required. */
export function serialPeerSkipReason(): string | undefined {
  const missing = [pymodbusMissing, socat ? undefined : 'socat is not installed (Debian: apt-get install socat)', serialportMissing].filter(Boolean).join('; ');
  if (missing && process.env.HEMS_REQUIRE_PEERS === '1') throw new Error(`HEMS_REQUIRE_PEERS=1 but ${missing}`);
  if (missing) console.warn(`skipping Modbus RTU peer tests: ${missing}`);
  return missing || undefined;
}

export interface SerialLineSpec {
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

export const LINE_9600_8N1: SerialLineSpec = { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };

export interface SerialModbusPeer extends Omit<ModbusPeer, 'port'> {
  /** The master's end of the virtual cable: open this as the serial port. */
  path: string;
  line: SerialLineSpec;
}

/**
 * A pymodbus RTU device on one end of a socat pty pair; the test opens `path`, the other end.
 * `noiseSeed` wraps every answer in noise from that seed (see modbus_server.py).
 */
export async function startSerialModbusPeer(
  spec: ModbusPeerSpec,
  options: { line?: SerialLineSpec; noiseSeed?: number } = {},
): Promise<SerialModbusPeer> {
  const line = options.line ?? LINE_9600_8N1;
  const cable = await openVirtualSerialPair(socat);
  // A pty carries bytes, not bits: baud rate and parity are not enforced on it, and pyserial
  // cannot even set parity on one (EINVAL). The device end is opened without parity; our end
  // is opened with the settings under test.
  const args = ['--serial', cable.devicePath, '--baud', String(line.baudRate), '--parity', 'N'];
  args.push('--data-bits', String(line.dataBits), '--stop-bits', String(line.stopBits));
  if (options.noiseSeed !== undefined) args.push('--noise-seed', String(options.noiseSeed));
  const peer = spawnPeer(spec, args);
  try {
    await waitFor(
      () => {
        if (peer.child.exitCode !== null) throw new Error(`pymodbus RTU peer exited: ${peer.output()}`);
        return peer.output().includes('modbus peer on');
      },
      10_000,
      `pymodbus RTU peer on ${cable.devicePath}`,
    );
  } catch (err) {
    await stopChild(peer.child);
    await cable.stop();
    throw err;
  }
  return {
    path: cable.hostPath,
    line,
    silence: (unit) => peer.command(`silence ${unit}`),
    answer: (unit) => peer.command(`answer ${unit}`),
    stop: async () => {
      await stopChild(peer.child);
      await cable.stop();
    },
  };
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
    const mosquitto = await startMosquitto('127.0.0.1', port, { binary: MOSQUITTO });
    console.log(`MQTT broker for this test: mosquitto on 127.0.0.1:${port}`);
    return { port, name: 'mosquitto', stop: () => mosquitto.close() };
  }
  const aedes = await startAedes('127.0.0.1', port);
  console.log(`MQTT broker for this test: aedes (mosquitto not found) on 127.0.0.1:${port}`);
  return { port, name: 'aedes', stop: () => aedes.close() };
}
