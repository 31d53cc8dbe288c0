/** Coils, discrete inputs and single-register writes over TCP and RTU against pymodbus relay boards. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { rtuTransport } from '../../src/io/modbus-rtu-transport';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer, type ModbusPeer, type ModbusPeerSpec } from '../helpers/peers';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function busFor(spec: ModbusPeerSpec): Promise<ModbusBus> {
  const peer: ModbusPeer = await startModbusPeer(spec);
  const bus = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
  cleanup.push(() => peer.stop(), () => bus.close());
  return bus;
}

describe.skipIf(pymodbusSkipReason())('bits and writes against pymodbus', () => {
  it('switches coils with function 05 and reads them back with 01', async () => {
    const bus = await busFor({ units: [1], size: { coil: 8 }, registers: [] });
    await bus.writeCoil(1, 2, true);
    expect(await bus.readBits(1, 'coil', 0, 8)).toEqual([false, false, true, false, false, false, false, false]);
    await bus.writeCoil(1, 2, false);
    expect(await bus.readBits(1, 'coil', 2, 1)).toEqual([false]);
  });

  it('reads discrete inputs with function 02', async () => {
    const bus = await busFor({ units: [1], size: { discrete: 4 }, registers: [], bits: [{ table: 'discrete', address: 1, value: true }] });
    expect(await bus.readBits(1, 'discrete', 0, 4)).toEqual([false, true, false, false]);
  });

  it('a stuck relay accepts the write and reads back unchanged', async () => {
    const bus = await busFor({ units: [1], size: { coil: 8 }, registers: [], stuck: [{ table: 'coil', address: 1 }] });
    await bus.writeCoil(1, 1, true);
    expect(await bus.readBits(1, 'coil', 1, 1)).toEqual([false]);
  });

  it('an Eletechsup-style board takes 0x0100/0x0200 with function 06 and answers 1/0', async () => {
    const bus = await busFor({ units: [1], size: { holding: 16 }, registers: [], relayBoard: 'holding' });
    await bus.writeRegister(1, 3, 0x0100);
    expect(await bus.readRegisters(1, 'holding', 1, 4)).toEqual([0, 0, 1, 0]);
    await bus.writeRegister(1, 3, 0x0200);
    expect(await bus.readRegisters(1, 'holding', 3, 1)).toEqual([0]);
  });

  it('names the coil and value in a failed write', async () => {
    const bus = await busFor({ units: [1], size: { coil: 2 }, registers: [] });
    await expect(bus.writeCoil(1, 9, true)).rejects.toThrow(/unit 1 coil 9 := on: Modbus exception 2/);
  });
});

describe.skipIf(serialPeerSkipReason())('bits and writes over RTU', () => {
  it('switches a coil, reads it back, and drives a holding-register board', async () => {
    const peer = await startSerialModbusPeer({ units: [1], size: { coil: 8, holding: 16 }, registers: [] });
    const bus = new ModbusBus(rtuTransport({ path: peer.path, ...peer.line }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    cleanup.push(() => peer.stop(), () => bus.close());
    await bus.writeCoil(1, 0, true);
    expect(await bus.readBits(1, 'coil', 0, 3)).toEqual([true, false, false]);
    await bus.writeRegister(1, 2, 0x0100);
    expect(await bus.readRegisters(1, 'holding', 2, 1)).toEqual([0x0100]);
  });
});
