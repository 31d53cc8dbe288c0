import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus, ModbusError } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { freePort, pymodbusSkipReason, startModbusPeer, type ModbusPeer } from '../helpers/peers';

const FAST = { ...DEFAULT_BUS_TIMING, timeoutMs: 300, retries: 0, reconnectMinMs: 50, reconnectMaxMs: 200 };
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
function track<T extends ModbusPeer | ModbusBus>(thing: T): T {
  cleanup.push(() => ('stop' in thing ? thing.stop() : thing.close()));
  return thing;
}

describe.skipIf(pymodbusSkipReason())('Modbus TCP against pymodbus', () => {
  it('reports a Modbus exception 2 with what to check', async () => {
    const spec = peerSpecFor(SDM630_CASE);
    const peer = track(await startModbusPeer({ ...spec, size: { input: 20 } , registers: spec.registers.filter((r) => r.address < 18) }));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), FAST));
    const error = await bus.readRegisters(1, 'input', 0, 80).catch((e: ModbusError) => e);
    expect(error).toBeInstanceOf(ModbusError);
    expect((error as ModbusError).exceptionCode).toBe(2);
    expect((error as Error).message).toBe(
      `127.0.0.1:${peer.port} unit 1 input registers 0..79: Modbus exception 2 (illegal data address: the device does not have these registers; check the profile and unit id)`,
    );
    // The bus stays usable: a read the device has still works.
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
  });

  it('reports silence from a wrong unit id as a timeout naming the unit', async () => {
    const peer = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), FAST));
    await expect(bus.readRegisters(7, 'input', 0, 2)).rejects.toThrow(
      `127.0.0.1:${peer.port} unit 7 input registers 0..1: no answer within 300 ms; is the unit id right and the device on?`,
    );
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
  });

  it('reports an unreachable device and recovers by itself when it appears', async () => {
    const port = await freePort();
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port }), FAST));
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(`cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
    track(await startModbusPeer(peerSpecFor(SDM630_CASE), port));
    await new Promise((r) => setTimeout(r, 250));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it('reconnects after the device or gateway closes the connection', async () => {
    const first = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: first.port }), FAST));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
    await first.stop();
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(ModbusError);
    track(await startModbusPeer(peerSpecFor(SDM630_CASE), first.port));
    await new Promise((r) => setTimeout(r, 250));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
  });

  it('runs requests from many callers one at a time, in order', async () => {
    const peer = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), FAST));
    const order: number[] = [];
    await Promise.all([0, 2, 4, 6].map((address) => bus.readRegisters(1, 'input', address, 2).then(() => order.push(address))));
    expect(order).toEqual([0, 2, 4, 6]);
  });

  it('refuses reads past its bound with a clear error, counted and warned once; writes still get in', async () => {
    const peer = track(await startModbusPeer({ units: [1], size: { input: 10, coil: 8 }, registers: [] }));
    const warnings: string[] = [];
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), FAST, Date.now, { maxQueuedReads: 5, onShed: (w) => warnings.push(w) }));
    const reads = Array.from({ length: 20 }, () => bus.readRegisters(1, 'input', 0, 2).then(() => 'read', (e: ModbusError) => e));
    const write = bus.writeCoil(1, 0, true).then(() => 'written');
    const outcomes = await Promise.all(reads);
    expect(outcomes.filter((o) => o === 'read')).toHaveLength(5);
    const refused = outcomes.filter((o): o is ModbusError => o instanceof ModbusError);
    expect(refused).toHaveLength(15);
    expect(refused[0].kind).toBe('overload');
    expect(refused[0].message).toBe(`127.0.0.1:${peer.port} unit 1 input registers 0..1: refused, 5 requests already wait for the bus`);
    expect(await write).toBe('written');
    expect(bus.shedCount).toBe(15);
    expect(warnings).toEqual([
      `127.0.0.1:${peer.port}: 1 request(s) refused, the bus queue being full (1 since start): poll less often, read on demand less often, or spread the devices over more buses`,
    ]);
    // Once the queue drains, reads go through again.
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0, 0]);
  });
});
