/**
 * SG Ready drives its two relays (coils on an independent pymodbus board) through a clean
 * Node-RED restart and through `kill -9`: first thing after every start the contacts show the
 * state the node reports, the mode chosen in HA kept across both.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { pymodbusSkipReason, startBroker, startModbusPeer, waitFor } from '../helpers/peers';
import { startRuntime } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const relay = (id: string, channel: number) => ({
  id, z: 'tab', type: 'hems-relay', name: `SG Ready ${id}`, deviceId: `sg_${id}`, driver: 'modbus', bus: 'bus', unitId: 1, board: 'coil', channel,
  safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 5, pollSeconds: 1, startState: 'safe', wires: [[]],
});

describe.skipIf(pymodbusSkipReason())('SG Ready relays across Node-RED restarts and crashes', () => {
  it('puts the contacts in the kept state first thing after a clean restart and after kill -9', async () => {
    const broker = await startBroker();
    const board = await startModbusPeer({ units: [1], size: { coil: 8 }, registers: [] });
    const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: board.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    const contacts = async () => (await probe.readBits(1, 'coil', 0, 2)).join(',');
    const recorder = await MqttRecorder.connect(broker.port, ['hems/heat_pump/#']);
    cleanup.push(() => broker.stop(), () => board.stop(), () => probe.close(), () => recorder.close());

    const flows = [
      { id: 'tab', type: 'tab', label: 'SG Ready' },
      { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: board.port, timeoutMs: 500, retries: 0 },
      { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
      {
        id: 'sg', z: 'tab', type: 'hems-sg-ready', deviceId: 'heat_pump', ha: 'ha', minDwellMinutes: 0.01, maxLockMinutes: 120, maxLocksPerDay: 3,
        minGapMinutes: 0, controlTimeoutSeconds: 300, contact1Relay: 'a', contact1Terminal: 'NO', contact2Relay: 'b', contact2Terminal: 'NO',
        wires: [['relay_a'], ['relay_b'], []],
      },
      relay('relay_a', 1),
      relay('relay_b', 2),
    ];
    const userDir = mkdtempSync(join(tmpdir(), 'hems-sg-restart-'));
    const start = async (keepState: boolean) => {
      recorder.latest.delete('hems/heat_pump/state');
      const nodeRed = await startRuntime(flows, { userDir, keepState });
      cleanup.push(() => nodeRed.stop('SIGKILL'));
      return { nodeRed, startedAtMs: Date.now() };
    };
    /** Both contacts closed (force on, SG Ready 4), as HA reports it, within `ms` of the start. */
    const forcedOnWithin = async (ms: number, what: string) => {
      await waitFor(async () => (await contacts()) === 'true,true' && recorder.payload('hems/heat_pump/state') === 'force_on', ms, what);
    };

    const first = await start(false);
    await waitFor(() => recorder.payload('hems/heat_pump/state') === 'normal' || undefined, 10_000, 'normal at the first start');
    expect(await contacts()).toBe('false,false');
    await recorder.client.publishAsync('hems/heat_pump/mode/set', 'force', { qos: 1 });
    await forcedOnWithin(10_000, 'force on from HA');

    await first.nodeRed.stop('SIGINT');
    // A clean stop leaves each relay in its safe state.
    await waitFor(async () => (await contacts()) === 'false,false', 3000, 'both contacts open at the stop');

    const second = await start(true);
    await forcedOnWithin(5000, 'the kept mode on the contacts right after the restart');
    await second.nodeRed.stop('SIGKILL');
    // After the crash the contacts are whatever the line last held; make that visibly wrong.
    await probe.writeCoil(1, 0, false);
    await probe.writeCoil(1, 1, false);

    await start(true);
    await forcedOnWithin(5000, 'the kept mode on the contacts right after the crash');
  }, 120_000);
});
