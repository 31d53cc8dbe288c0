/** The simulator's Modbus TCP server, through our own client: several units, coils and writes. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { startModbusTcpServer, type SimulatedUnit } from '../../src/io/modbus-tcp-server';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { registerKey } from '../../src/simulator/register-image';
import { freePort } from '../helpers/peers';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function serve(units: Map<number, SimulatedUnit>) {
  const port = await freePort();
  const server = await startModbusTcpServer({ host: '127.0.0.1', port, units });
  cleanup.push(() => server.close());
  const bus = new ModbusBus(tcpTransport({ host: '127.0.0.1', port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 1000, retries: 0 });
  cleanup.push(() => bus.close());
  return bus;
}

describe('the simulator Modbus TCP server', () => {
  it('answers for each of its units from that unit\'s image, as a gateway does, and stays silent for units it has not', async () => {
    const meter: SimulatedUnit = { image: new Map([[registerKey('input', 10), 1234]]) };
    const inverter: SimulatedUnit = { image: new Map([[registerKey('holding', 32064), 42]]) };
    const bus = await serve(new Map([[1, meter], [2, inverter]]));
    expect(await bus.readRegisters(1, 'input', 10, 2)).toEqual([1234, 0]);
    expect(await bus.readRegisters(2, 'holding', 32064, 1)).toEqual([42]);
    await expect(bus.readRegisters(7, 'holding', 0, 1)).rejects.toMatchObject({ kind: 'timeout' });
    // The silent unit did not hold up the connection.
    expect(await bus.readRegisters(1, 'input', 10, 1)).toEqual([1234]);
  });

  it('keeps what is written: coils switch, holding registers land in the image for the device to read', async () => {
    const board: SimulatedUnit = { image: new Map(), coils: [false, false, false] };
    const bus = await serve(new Map([[3, board]]));
    await bus.writeCoil(3, 1, true);
    expect(board.coils).toEqual([false, true, false]);
    expect(await bus.readBits(3, 'coil', 0, 3)).toEqual([false, true, false]);
    await bus.writeRegister(3, 47415, 7);
    expect(board.image.get(registerKey('holding', 47415))).toBe(7);
    expect(await bus.readRegisters(3, 'holding', 47415, 1)).toEqual([7]);
    await expect(bus.writeCoil(3, 8, true)).rejects.toThrow(/exception/i);
  });
});
