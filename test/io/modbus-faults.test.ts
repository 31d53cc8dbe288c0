/**
 * The faults a real installation shows, over every transport: a device that is absent or goes
 * silent, a Modbus exception, noise on the serial line, a gateway that drops the connection. The
 * bus must say what is wrong, keep serving the other devices on it, and recover by itself.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MeterPoller } from '../../src/devices/meter-poller';
import { getProfile } from '../../src/devices/profiles';
import { DEFAULT_BUS_TIMING, ModbusBus, ModbusError } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { expectedValues, peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { TRANSPORT_CASES } from '../helpers/modbus-transports';
import { pymodbusSkipReason, startModbusPeer, waitFor } from '../helpers/peers';

const FAST = { ...DEFAULT_BUS_TIMING, timeoutMs: 300, retries: 0, reconnectMinMs: 50, reconnectMaxMs: 200 };
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
function track<T extends { stop(): Promise<void> } | ModbusBus>(thing: T): T {
  cleanup.push(() => ('stop' in thing ? thing.stop() : thing.close()));
  return thing;
}
const sdm630 = getProfile('sdm630');

describe.each(TRANSPORT_CASES)('faults over Modbus $name', (transportCase) => {
  async function busWithPeer(units: number[], options: { noiseSeed?: number } = {}) {
    const running = await transportCase.start(peerSpecFor(SDM630_CASE, units), options);
    track(running.peer);
    const bus = track(new ModbusBus(running.transport(), FAST));
    return { bus, peer: running.peer };
  }

  it.skipIf(transportCase.skipReason)('reports an absent device as a timeout naming the unit, and keeps reading the others', async () => {
    const { bus } = await busWithPeer([1]);
    const error = await bus.readRegisters(7, 'input', 0, 2).catch((e: ModbusError) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toMatch(`${bus.label} unit 7 input registers 0..1: no answer within 300 ms; is the unit id right`);
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it.skipIf(transportCase.skipReason)('reports Modbus exception 2 with what to check, and stays usable', async () => {
    const { bus } = await busWithPeer([1]);
    const error = await bus.readRegisters(1, 'input', 1000, 2).catch((e: ModbusError) => e);
    expect(error).toMatchObject({ kind: 'exception', exceptionCode: 2 });
    expect((error as Error).message).toBe(
      `${bus.label} unit 1 input registers 1000..1001: Modbus exception 2 (illegal data address: the device does not have these registers; check the profile and unit id)`,
    );
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it.skipIf(transportCase.skipReason)(
    'keeps polling the other device at its pace while one is silent, names what is missing, and recovers within two polls',
    async () => {
      const { bus, peer } = await busWithPeer([1, 2]);
      const good = new MeterPoller(bus, sdm630, 1, 'good');
      const silent = new MeterPoller(bus, sdm630, 2, 'silent');
      await peer.silence(2);

      const intervalMs = 500;
      const goodPolls: number[] = [];
      const silentResults: Array<Awaited<ReturnType<MeterPoller['poll']>>> = [];
      let stop = false;
      const loop = async (poll: () => Promise<void>) => {
        while (!stop) {
          const started = Date.now();
          await poll();
          await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - started))));
        }
      };
      const loops = [
        loop(async () => {
          const result = await good.poll();
          expect(result.reading.values).toEqual(expectedValues(SDM630_CASE));
          goodPolls.push(Date.now());
        }),
        loop(async () => {
          silentResults.push(await silent.poll());
        }),
      ];
      try {
        await new Promise((r) => setTimeout(r, 2000));
        // A silent SDM630 costs one timeout per poll, not one per request: the good one keeps its 0.5 s pace.
        expect(goodPolls.length).toBeGreaterThanOrEqual(3);
        const gaps = goodPolls.slice(1).map((t, i) => t - goodPolls[i]);
        expect(Math.max(...gaps)).toBeLessThan(intervalMs + FAST.timeoutMs + 150);

        const offline = silentResults.at(-1)!;
        expect(offline.online).toBe(false);
        expect(offline.reading.values).toEqual({});
        // Every value the profile has is named in quality, with the reason.
        expect(Object.keys(offline.reading.quality ?? {}).sort()).toEqual(sdm630.registers.map((r) => r.name).sort());
        expect(Object.values(offline.reading.quality ?? {})).toContain(
          `${bus.label} unit 2 input registers 0..79: no answer within 300 ms; ${transportCase.name === 'RTU' ? 'is the unit id right, the device on, and are A and B wired the right way round?' : 'is the unit id right and the device on?'}`,
        );

        const returnedAt = Date.now();
        const seenBefore = silentResults.length;
        await peer.answer(2);
        await waitFor(() => silentResults.slice(seenBefore).some((r) => r.online && !r.reading.quality), 2 * intervalMs + 500, 'unit 2 read again');
        expect(Date.now() - returnedAt).toBeLessThanOrEqual(2 * intervalMs + FAST.timeoutMs);
      } finally {
        stop = true;
        await Promise.all(loops);
      }
    },
  );
});

const rtu = TRANSPORT_CASES.find((c) => c.name === 'RTU')!;
describe.skipIf(rtu.skipReason)('noise on the RS485 line', () => {
  it('reads every value right when every answer comes between bursts of noise (seeded, so a failure replays)', async () => {
    const running = await rtu.start(peerSpecFor(SDM630_CASE), { noiseSeed: 20261121 });
    track(running.peer);
    const bus = track(new ModbusBus(running.transport(), FAST));
    const poller = new MeterPoller(bus, sdm630, 1, 'noisy');
    for (let poll = 0; poll < 20; poll++) {
      const result = await poller.poll();
      expect(result.reading.quality).toBeUndefined();
      expect(result.reading.values).toEqual(expectedValues(SDM630_CASE));
    }
  });
});

/** A gateway in front of the peer that drops the connection on the next request it forwards. */
async function droppingGateway(targetPort: number) {
  let dropNext = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    const device = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, device]) s.on('error', () => undefined);
    client.on('close', () => device.destroy());
    client.on('data', (request) => {
      if (!dropNext) return void device.write(request);
      dropNext = false;
      client.destroy();
    });
    device.on('data', (answer) => client.write(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    dropNextRequest: () => void (dropNext = true),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(pymodbusSkipReason())('a Modbus TCP gateway that closes the connection', () => {
  it('fails the request at once with the reason, not after the timeout, and the next one reconnects', async () => {
    const peer = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const gateway = track(await droppingGateway(peer.port));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: gateway.port }), { ...FAST, timeoutMs: 2000 }));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
    gateway.dropNextRequest();
    const started = Date.now();
    await expect(bus.readRegisters(1, 'input', 0, 2)).rejects.toThrow(
      `127.0.0.1:${gateway.port} unit 1 input registers 0..1: the connection closed during the request`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });

  it('retries on a fresh connection when retries allow, so the caller never sees the drop', async () => {
    const peer = track(await startModbusPeer(peerSpecFor(SDM630_CASE)));
    const gateway = track(await droppingGateway(peer.port));
    const bus = track(new ModbusBus(tcpTransport({ host: '127.0.0.1', port: gateway.port }), { ...FAST, retries: 1 }));
    expect(await bus.readRegisters(1, 'input', 0, 2)).toHaveLength(2);
    gateway.dropNextRequest();
    expect(await bus.readRegisters(1, 'input', 0, 2)).toEqual([0x4366, 0x199a]);
  });
});
