/**
 * A Node-RED restart never leaves closed a contact that should be open: a clean stop writes the
 * safe state, and after a crash the first thing the next start does is write it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { pymodbusSkipReason, startBroker, startModbusPeer, waitFor } from '../helpers/peers';
import { startRuntime } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe.skipIf(pymodbusSkipReason())('relays across Node-RED stops, crashes and restarts', () => {
  it('opens the contact on a clean stop, and at the next start after a crash', async () => {
    const broker = await startBroker();
    const board = await startModbusPeer({ units: [1], size: { coil: 8 }, registers: [] });
    const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: board.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    const coil = async () => (await probe.readBits(1, 'coil', 0, 1))[0];
    const recorder = await MqttRecorder.connect(broker.port, ['hems/boiler/#']);
    cleanup.push(() => broker.stop(), () => board.stop(), () => probe.close(), () => recorder.close());

    const flows = [
      { id: 'tab', type: 'tab', label: 'Relays' },
      { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: board.port, timeoutMs: 500, retries: 0 },
      { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
      {
        id: 'relay', z: 'tab', type: 'hems-relay', name: 'Boiler', deviceId: 'boiler', driver: 'modbus', bus: 'bus', unitId: 1, board: 'coil',
        channel: 1, ha: 'ha', safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 5, pollSeconds: 1, startState: 'safe',
        x: 200, y: 100, wires: [[]],
      },
    ];
    const userDir = mkdtempSync(join(tmpdir(), 'hems-relay-restart-'));
    // Each run's own state, not the one the previous run left on the broker.
    const start = (keepState: boolean) => {
      recorder.latest.delete('hems/boiler/relay');
      return startRuntime(flows, { userDir, keepState });
    };
    const switchOn = async () => {
      await waitFor(() => recorder.payload('hems/boiler/relay') === 'OFF', 10_000, 'the relay online and off');
      await recorder.client.publishAsync('hems/boiler/relay/set', 'ON', { qos: 1 });
      await waitFor(async () => (await coil()) === true, 5000, 'the contact closed');
    };

    const first = await start(false);
    await switchOn();
    await first.stop('SIGINT');
    await waitFor(async () => (await coil()) === false, 3000, 'the contact open after a clean stop');

    const second = await start(true);
    await switchOn();
    await second.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    // A crash cannot write anything: the contact is still closed until Node-RED is back.
    if ((await coil()) !== true) throw new Error('the board changed by itself after the crash');

    const third = await start(true);
    cleanup.push(() => third.stop('SIGKILL'));
    await waitFor(async () => (await coil()) === false, 5000, 'the contact open right after the restart');
  }, 90_000);
});
