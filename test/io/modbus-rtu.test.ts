/** Modbus RTU specifics: the optional serialport module, opening the line, frame gaps. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus, ModbusError } from '../../src/io/modbus-bus';
import { rtuTransport, SERIALPORT_MISSING } from '../../src/io/modbus-rtu-transport';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { LINE_9600_8N1, pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer } from '../helpers/peers';

const FAST = { ...DEFAULT_BUS_TIMING, timeoutMs: 300, retries: 0, reconnectMinMs: 50, reconnectMaxMs: 200 };
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
function track<T extends { stop(): Promise<void> } | ModbusBus>(thing: T): T {
  cleanup.push(() => ('stop' in thing ? thing.stop() : thing.close()));
  return thing;
}

/** What require() throws when a module is not installed. */
function missingModule(): never {
  throw Object.assign(new Error("Cannot find module 'serialport'"), { code: 'MODULE_NOT_FOUND' });
}

describe('RTU without the serialport module', () => {
  it('says what to install, every time, without backing off as if the device were away', async () => {
    const bus = track(new ModbusBus(rtuTransport({ path: '/dev/ttyUSB0', ...LINE_9600_8N1 }, { loadSerialPort: missingModule }), FAST));
    for (let i = 0; i < 2; i++) {
      const error = await bus.readRegisters(1, 'input', 0, 2).catch((e: ModbusError) => e);
      expect(error).toBeInstanceOf(ModbusError);
      expect(error).toMatchObject({ kind: 'config', message: SERIALPORT_MISSING });
    }
    expect(SERIALPORT_MISSING).toBe('RTU needs the serialport module: npm install serialport in your Node-RED user directory');
  });

  it('says when the module is there but its native part does not load', async () => {
    const brokenBuild = () => {
      throw new Error('No native build was found for platform=linux arch=riscv64');
    };
    const bus = track(new ModbusBus(rtuTransport({ path: '/dev/ttyUSB0', ...LINE_9600_8N1 }, { loadSerialPort: brokenBuild }), FAST));
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(
      'the serialport module failed to load (No native build was found for platform=linux arch=riscv64): reinstall it with npm install serialport in your Node-RED user directory',
    );
  });

  it.skipIf(pymodbusSkipReason())('leaves Modbus TCP working in the same process', async () => {
    const rtu = track(new ModbusBus(rtuTransport({ path: '/dev/ttyUSB0', ...LINE_9600_8N1 }, { loadSerialPort: missingModule }), FAST));
    await expect(rtu.readRegisters(1, 'input', 0, 2)).rejects.toThrow(SERIALPORT_MISSING);
    const peer = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const tcp = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), FAST));
    expect(await tcp.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });
});

describe.skipIf(serialPeerSkipReason())('RTU against pymodbus on a socat pty pair', () => {
  it('names the line in messages and says what to check when the adapter is missing', async () => {
    const bus = track(new ModbusBus(rtuTransport({ path: '/dev/hems-no-such-adapter', ...LINE_9600_8N1 }), FAST));
    expect(bus.label).toBe('/dev/hems-no-such-adapter 9600 8N1');
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(
      'cannot open /dev/hems-no-such-adapter 9600 8N1: No such file or directory, cannot open /dev/hems-no-such-adapter; is the adapter plugged in and the path right? `ls /dev/serial/by-id` lists the adapters',
    );
    // Backing off like any unreachable device, still with the reason.
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(/No such file or directory.*\(next attempt in 1 s\)$/);
  });

  it('keeps at least 3.5 character times between frames, more when configured', async () => {
    const line = { path: '/dev/null', ...LINE_9600_8N1 };
    expect(new ModbusBus(rtuTransport(line), FAST).frameGapMs).toBeCloseTo((3.5 * 10 * 1000) / 9600, 6);
    expect(new ModbusBus(rtuTransport(line), { ...FAST, interFrameDelayMs: 20 }).frameGapMs).toBe(20);
    expect(new ModbusBus(rtuTransport({ ...line, baudRate: 115200 }), FAST).frameGapMs).toBe(1.75);
  });

  it.each([
    LINE_9600_8N1,
    { baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 },
    { baudRate: 38400, parity: 'odd', dataBits: 8, stopBits: 2 },
    { baudRate: 115200, parity: 'none', dataBits: 8, stopBits: 2 },
    { baudRate: 2400, parity: 'even', dataBits: 8, stopBits: 1 },
  ] as const)('reads registers at %j', async (line) => {
    const peer = track(await startSerialModbusPeer(peerSpecFor(SDM630_CASE), { line }));
    const bus = track(new ModbusBus(rtuTransport({ path: peer.path, ...line }), FAST));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it('reports the line going away (adapter unplugged) and does not crash', async () => {
    const peer = await startSerialModbusPeer(peerSpecFor(SDM630_CASE));
    const bus = track(new ModbusBus(rtuTransport({ path: peer.path, ...LINE_9600_8N1 }), FAST));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
    await peer.stop();
    const error = await bus.readRegisters(1, 'input', 0, 2).catch((e: ModbusError) => e);
    expect(error).toBeInstanceOf(ModbusError);
    expect((error as Error).message).toMatch(peer.path);
  });
});
