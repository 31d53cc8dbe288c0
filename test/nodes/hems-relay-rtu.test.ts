/**
 * hems-relay on an RS485 relay board (pymodbus RTU on a socat pty pair): relay writes through a
 * line full of noise, and through a line that goes dead and comes back. The relay's own
 * read-back over the same line is the evidence (RS485 has one master: no probe can listen in).
 */
import { describe, expect, it } from 'vitest';
import { TRANSPORT_CASES } from '../helpers/modbus-transports';
import { helper, hemsNodes, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor, type ModbusPeerSpec } from '../helpers/peers';

const { cleanup } = runtimeAroundTests();
const rtu = TRANSPORT_CASES.find((c) => c.name === 'RTU')!;
const BOARD: ModbusPeerSpec = { units: [1], size: { coil: 8 }, registers: [] };

interface RelayState {
  payload: { on?: boolean; commanded?: boolean; alarms: Array<{ id: string; detail: string }> };
}

async function relayOnRtu(options: { noiseSeed?: number } = {}) {
  const running = await rtu.start(BOARD, options);
  cleanup.push(() => running.peer.stop());
  await helper.load(hemsNodes, [
    { id: 'tab', type: 'tab', label: 'relays' },
    { id: 'bus', type: 'hems-modbus', ...running.nodeConfig, timeoutMs: 300, retries: 1 },
    {
      id: 'relay', z: 'tab', type: 'hems-relay', deviceId: 'boiler', driver: 'modbus', bus: 'bus', unitId: 1, board: 'coil', channel: 1,
      safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 3, pollSeconds: 0.3, startState: 'safe', wires: [['out']],
    },
    { id: 'out', z: 'tab', type: 'helper' },
  ]);
  const states: RelayState[] = [];
  helper.getNode('out').on('input', (m: RelayState) => states.push(m));
  return { peer: running.peer, relay: helper.getNode('relay'), states };
}

/** The read-back agrees with the command and no alarm is up. */
const settled = (states: RelayState[], on: boolean) => {
  const last = states.at(-1)?.payload;
  return last?.on === on && last.commanded === on && last.alarms.length === 0;
};

describe.skipIf(rtu.skipReason)('hems-relay on an RS485 board', () => {
  it('switches right through bursts of noise around every answer (seeded, so a failure replays)', async () => {
    const { relay, states } = await relayOnRtu({ noiseSeed: 20261205 });
    for (let i = 0; i < 8; i++) {
      const on = i % 2 === 0;
      relay.receive({ payload: on });
      await waitFor(() => settled(states, on) || undefined, 5000, `switch ${i}: read-back ${on ? 'on' : 'off'} without an alarm`);
    }
    expect(lastStatus(relay)?.fill).not.toBe('red');
  });

  it('raises the communication alarm when the line goes dead during a write, and writes the wanted state once it is back', async () => {
    const { peer, relay, states } = await relayOnRtu();
    relay.receive({ payload: true });
    await waitFor(() => settled(states, true) || undefined, 5000, 'on');
    await peer.silence(1);
    relay.receive({ payload: false });
    await waitFor(() => states.at(-1)?.payload.alarms.some((a) => a.id === 'device_communication') || undefined, 5000, 'the communication alarm');
    expect(lastStatus(relay)).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(lastStatus(relay)?.text).toContain('cannot switch off');
    await peer.answer(1);
    // The wanted state goes out again by itself; the read-back confirms it and the alarm clears.
    await waitFor(() => settled(states, false) || undefined, 8000, 'off on the board and the alarm cleared');
  });
});
