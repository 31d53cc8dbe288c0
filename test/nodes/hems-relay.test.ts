/**
 * hems-relay against a pymodbus relay board and a real broker: commands become coil writes, the
 * read-back raises and clears the mismatch alarm, safe states hold, and HA's switch reaches the coil.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { checkDiscovery } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, hemsNodes, lastStatus, runtimeWithBroker } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor, type ModbusPeer, type ModbusPeerSpec } from '../helpers/peers';

const env = runtimeWithBroker();
const { cleanup } = env;

const BOARD: ModbusPeerSpec = { units: [1], size: { coil: 8, holding: 16 }, registers: [] };

/** The board plus an independent view of it: our own bus reading the coils, as a test probe. */
async function board(spec: ModbusPeerSpec = BOARD): Promise<{ peer: ModbusPeer; coil: (n: number) => Promise<boolean>; register: (n: number) => Promise<number> }> {
  const peer = await startModbusPeer(spec);
  const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
  cleanup.push(() => peer.stop(), () => probe.close());
  return {
    peer,
    coil: async (n) => (await probe.readBits(1, 'coil', n, 1))[0],
    register: async (n) => (await probe.readRegisters(1, 'holding', n, 1))[0],
  };
}

/** Flow nodes sit on a tab, as in the editor: Node-RED closes them before the config nodes they use. */
function flow(port: number, relay: Record<string, unknown> = {}, withHa = false) {
  return [
    { id: 'tab', type: 'tab', label: 'relays' },
    { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 300, retries: 0 },
    ...(withHa ? [{ id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' }] : []),
    {
      id: 'relay', z: 'tab', type: 'hems-relay', deviceId: 'boiler', driver: 'modbus', bus: 'bus', unitId: 1, board: 'coil', channel: 2,
      ha: withHa ? 'ha' : '', safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 1, pollSeconds: 0.5, startState: 'safe',
      wires: [['out']], ...relay,
    },
    { id: 'out', z: 'tab', type: 'helper' },
  ];
}

describe('hems-relay: configuration', () => {
  it.each([
    [{ bus: '' }, 'no Modbus bus selected: pick or add a hems-modbus bus'],
    [{ channel: 0 }, 'relay 0 is not a channel: use the number printed on the board, 1 to 32'],
    [{ driver: 'shelly', mqttTopic: 'x' }, 'Shelly relays need a hems-ha bridge for their MQTT broker: pick one'],
    [{ driver: 'zigbee' }, 'output kind "zigbee" is not one of modbus, shelly, tasmota, smappee, ha'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(hemsNodes, flow(1, override));
    expect(lastStatus(helper.getNode('relay'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('relay')).toEqual([`hems-relay "relay": ${text}`]);
  });
});

describe.skipIf(pymodbusSkipReason())('hems-relay on a Modbus relay board', () => {
  it('writes commands to the coil and reports the read-back', async () => {
    const b = await board();
    await helper.load(hemsNodes, flow(b.peer.port));
    const relay = helper.getNode('relay');
    relay.receive({ topic: 'optimiser', payload: { on: true, reason: 'surplus' } });
    await waitFor(async () => (await b.coil(1)) === true, 3000, 'coil 1 (relay 2) on');
    await waitFor(() => lastStatus(relay)?.text === 'on · on: command from optimiser', 3000, 'read-back on');
    relay.receive({ payload: 'off' });
    await waitFor(async () => (await b.coil(1)) === false, 3000, 'coil off');
  });

  it('raises the mismatch alarm when the relay does not follow, and clears it when it agrees again', async () => {
    const b = await board({ ...BOARD, stuck: [{ table: 'coil', address: 1 }] });
    await helper.load(hemsNodes, flow(b.peer.port));
    const relay = helper.getNode('relay');
    const states: Array<{ payload: { alarms: Array<{ id: string; detail: string }> } }> = [];
    helper.getNode('out').on('input', (m: (typeof states)[number]) => states.push(m));
    relay.receive({ payload: true });
    await waitFor(() => lastStatus(relay)?.fill === 'red', 4000, 'red status');
    expect(lastStatus(relay)?.text).toBe('commanded on, relay reports off');
    expect(states.at(-1)!.payload.alarms.map((a) => [a.id, a.detail])).toEqual([['relay_mismatch', 'commanded on, relay reports off']]);
    relay.receive({ payload: false });
    await waitFor(() => states.at(-1)!.payload.alarms.length === 0, 4000, 'alarm cleared');
    expect(lastStatus(relay)?.fill).not.toBe('red');
  });

  it('writes the safe state when the command source falls silent', async () => {
    const b = await board();
    await helper.load(hemsNodes, flow(b.peer.port, { commandTimeoutSeconds: 1 }));
    helper.getNode('relay').receive({ topic: 'optimiser', payload: true });
    await waitFor(async () => (await b.coil(1)) === true, 3000, 'on');
    await waitFor(async () => (await b.coil(1)) === false, 4000, 'safe state off after 1 s of silence');
    await waitFor(() => lastStatus(helper.getNode('relay'))?.text?.startsWith('off · safe state off: no command from optimiser for'), 3000, 'the reason');
  });

  it('writes the safe state when Node-RED stops or redeploys', async () => {
    const b = await board();
    await helper.load(hemsNodes, flow(b.peer.port));
    helper.getNode('relay').receive({ payload: true });
    await waitFor(async () => (await b.coil(1)) === true, 3000, 'on');
    await helper.unload();
    await waitFor(async () => (await b.coil(1)) === false, 3000, 'the safe state written while stopping');
  });

  it('drives an Eletechsup-style board through its command registers', async () => {
    const b = await board({ ...BOARD, relayBoard: 'holding' });
    await helper.load(hemsNodes, flow(b.peer.port, { board: 'holding', channel: 3 }));
    helper.getNode('relay').receive({ payload: true });
    await waitFor(async () => (await b.register(3)) === 1, 3000, 'register 3 reads 1');
    await waitFor(() => lastStatus(helper.getNode('relay'))?.text === 'on · on: command from flow', 3000, 'read-back on');
  });

  it('raises a communication alarm while the board is gone, and writes the wanted state again when it is back', async () => {
    const b = await board();
    await helper.load(hemsNodes, flow(b.peer.port));
    const relay = helper.getNode('relay');
    relay.receive({ payload: true });
    await waitFor(async () => (await b.coil(1)) === true, 3000, 'on');
    await b.peer.stop();
    await waitFor(() => lastStatus(relay)?.fill === 'red', 4000, 'communication alarm');
    expect(lastStatus(relay)?.text).toContain('127.0.0.1');
    const again = await startModbusPeer(BOARD, b.peer.port);
    cleanup.push(() => again.stop());
    const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: again.port }));
    cleanup.push(() => probe.close());
    await waitFor(async () => (await probe.readBits(1, 'coil', 1, 1))[0] === true, 6000, 'the coil on again on the fresh board');
  });

  it('end to end: ON on the discovered HA switch reaches the coil, and the state comes back', async () => {
    const b = await board();
    const recorder = await MqttRecorder.connect(env.broker.port, ['homeassistant/device/hems_boiler/config', 'hems/boiler/#']);
    cleanup.push(() => recorder.close());
    await helper.load(hemsNodes, flow(b.peer.port, {}, true));
    const config = await waitFor(() => recorder.payload('homeassistant/device/hems_boiler/config'), 5000, 'discovery');
    expect(checkDiscovery('homeassistant/device/hems_boiler/config', config)).toEqual([]);
    const commandTopic = JSON.parse(config).cmps.relay.cmd_t as string;
    await waitFor(() => recorder.payload('hems/boiler/relay') === 'OFF', 5000, 'initial state');
    await recorder.client.publishAsync(commandTopic, 'ON', { qos: 1 });
    await waitFor(async () => (await b.coil(1)) === true, 3000, 'the coil in the simulator');
    await waitFor(() => recorder.payload('hems/boiler/relay') === 'ON' && recorder.payload('hems/boiler/readback') === 'ON', 3000, 'state and read-back on');
    await waitFor(() => recorder.payload('hems/boiler/alarm') === 'OFF', 3000, 'no alarm');
  });
});
