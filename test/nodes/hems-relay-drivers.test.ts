/**
 * hems-relay through MQTT devices (a Shelly Gen2 and a Tasmota played by the test on a real broker)
 * and through Home Assistant's websocket API (the fake HA peer).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { helper, hemsNodes, lastStatus, runtimeWithBroker } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';
import { FakeHomeAssistant } from '../peers/fake-home-assistant';

const require = createRequire(import.meta.url);
const haServerNode = require(join(__dirname, '..', '..', 'dist', 'nodes', 'hems-ha-server.js'));
const nodes = [...hemsNodes, haServerNode];

const env = runtimeWithBroker();
const { cleanup } = env;

/** The state the device last reported, from the relay's output messages (its status shows the commanded state until then). */
function readBackOf(): () => boolean | undefined {
  let on: boolean | undefined;
  helper.getNode('out').on('input', (msg: { payload?: { on?: boolean } }) => (on = msg.payload?.on));
  return () => on;
}

const relayNode = (over: Record<string, unknown>) => ({
  id: 'relay', z: 'tab', type: 'hems-relay', deviceId: 'pump', safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 2,
  pollSeconds: 5, startState: 'safe', wires: [['out']], ...over,
});
const mqttFlow = (relay: Record<string, unknown>) => [
  { id: 'tab', type: 'tab' },
  { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
  relayNode({ ha: 'ha', ...relay }),
  { id: 'out', z: 'tab', type: 'helper' },
];

/** A device on the broker: answers each command with the state it reports afterwards. */
async function playDevice(commandTopic: string, answer: (topic: string, payload: string) => Array<[string, string]>) {
  const device = await MqttRecorder.connect(env.broker.port, [commandTopic]);
  cleanup.push(() => device.close());
  device.client.on('message', (topic, payload) => {
    for (const [t, p] of answer(topic, payload.toString())) void device.client.publishAsync(t, p);
  });
  return device;
}

describe('hems-relay over MQTT', () => {
  it('switches a Shelly Gen2 with Switch.Set and follows its status notifications', async () => {
    const device = await playDevice('shellyplus1-abc/rpc', (_t, payload) => {
      const { params } = JSON.parse(payload) as { params: { id: number; on: boolean } };
      return [['shellyplus1-abc/events/rpc', JSON.stringify({ src: 'shellyplus1-abc', method: 'NotifyStatus', params: { ts: 1, [`switch:${params.id}`]: { id: params.id, output: params.on } } })]];
    });
    await helper.load(nodes, mqttFlow({ driver: 'shelly', mqttTopic: 'shellyplus1-abc', channel: 0 }));
    const relay = helper.getNode('relay');
    const readBack = readBackOf();
    // The start-up safe state read back from the device means the relay is subscribed: no fixed sleep.
    await waitFor(() => readBack() === false, 8000, 'the safe state confirmed by the Shelly');
    relay.receive({ payload: true });
    await waitFor(() => readBack() === true, 4000, 'on, confirmed by the Shelly');
    expect(lastStatus(relay)?.text).toBe('on · on: command from flow');
    const sent = device.all.filter((m) => m.topic === 'shellyplus1-abc/rpc').map((m) => JSON.parse(m.payload));
    expect(sent.at(-1)).toMatchObject({ src: 'hems-relay', method: 'Switch.Set', params: { id: 0, on: true } });
  });

  it('keeps the commanded state for start state "last": written without blocking, on the disk once the node has closed', async () => {
    await playDevice('shellyplus1-keep/rpc', (_t, payload) => {
      const { params } = JSON.parse(payload) as { params: { id: number; on: boolean } };
      return [['shellyplus1-keep/events/rpc', JSON.stringify({ method: 'NotifyStatus', params: { [`switch:${params.id}`]: { id: params.id, output: params.on } } })]];
    });
    const userDir = mkdtempSync(join(tmpdir(), 'hems-relay-'));
    helper.settings({ userDir });
    cleanup.push(async () => helper.settings({}));
    const flow = mqttFlow({ driver: 'shelly', mqttTopic: 'shellyplus1-keep', channel: 0, startState: 'last' });
    await helper.load(nodes, flow);
    helper.getNode('relay').receive({ payload: true });
    await helper.unload();
    expect(JSON.parse(readFileSync(join(userDir, 'hems-state', 'relay-pump.json'), 'utf8'))).toEqual({ commanded: true });
    await helper.load(nodes, flow);
    await waitFor(() => lastStatus(helper.getNode('relay'))?.text?.endsWith('on: command from start (last state)'), 5000, 'the kept state commanded again');
  });

  it('switches a Tasmota POWER2 and raises the mismatch alarm when it does not answer', async () => {
    let obedient = true;
    await playDevice('cmnd/board/POWER2', (_t, payload) => (obedient ? [['stat/board/POWER2', payload]] : []));
    await helper.load(nodes, mqttFlow({ driver: 'tasmota', mqttTopic: 'board', channel: 2 }));
    const relay = helper.getNode('relay');
    const readBack = readBackOf();
    await waitFor(() => readBack() === false, 8000, 'the safe state confirmed by Tasmota');
    relay.receive({ payload: 'on' });
    await waitFor(() => readBack() === true, 4000, 'on, confirmed by Tasmota');
    expect(lastStatus(relay)?.text).toBe('on · on: command from flow');
    obedient = false;
    relay.receive({ payload: 'off' });
    await waitFor(() => lastStatus(relay)?.fill === 'red', 5000, 'mismatch alarm');
    expect(lastStatus(relay)?.text).toMatch(/^no read-back for \d s after switching off$/);
  });
});

/** How each MQTT device kind is played: its last will, its command topic, its answers. */
const MQTT_DEVICES = [
  {
    kind: 'Shelly Gen2',
    relay: { driver: 'shelly', mqttTopic: 'shellyplus1-gone', channel: 0 },
    will: { topic: 'shellyplus1-gone/online', online: 'true', offline: 'false' },
    commandTopic: 'shellyplus1-gone/rpc',
    commandedOn: (payload: string) => (JSON.parse(payload) as { params: { on: boolean } }).params.on,
    state: (on: boolean): [string, string] => ['shellyplus1-gone/status/switch:0', JSON.stringify({ id: 0, output: on })],
  },
  {
    kind: 'Tasmota',
    relay: { driver: 'tasmota', mqttTopic: 'gone', channel: 1 },
    will: { topic: 'tele/gone/LWT', online: 'Online', offline: 'Offline' },
    commandTopic: 'cmnd/gone/POWER',
    commandedOn: (payload: string) => payload === 'ON',
    state: (on: boolean): [string, string] => ['stat/gone/RESULT', JSON.stringify({ POWER: on ? 'ON' : 'OFF' })],
  },
];

describe('hems-relay when an MQTT device drops off the broker and comes back', () => {
  it.each(MQTT_DEVICES)('$kind: the communication alarm is raised by its last will, and cleared with the wanted state written again when it is back', async (d) => {
    /** The device: online (retained), answering every command with its new state; its last will says offline. */
    const connectDevice = async () => {
      const device = await MqttRecorder.connect(env.broker.port, [d.commandTopic], { will: { topic: d.will.topic, payload: Buffer.from(d.will.offline), qos: 1, retain: true } });
      cleanup.push(() => device.close());
      device.client.on('message', (_topic, payload) => void device.client.publishAsync(...d.state(d.commandedOn(payload.toString()))));
      await device.client.publishAsync(d.will.topic, d.will.online, { qos: 1, retain: true });
      return device;
    };
    const first = await connectDevice();
    await helper.load(nodes, mqttFlow(d.relay));
    const relay = helper.getNode('relay');
    const states: Array<{ payload: { on?: boolean; alarms: Array<{ id: string; detail: string }> } }> = [];
    helper.getNode('out').on('input', (m: (typeof states)[number]) => states.push(m));
    const last = () => states.at(-1)?.payload;
    await waitFor(() => last()?.on === false || undefined, 8000, 'the safe state confirmed');
    relay.receive({ payload: true });
    await waitFor(() => last()?.on === true || undefined, 4000, 'on, confirmed');

    // Gone without a goodbye: the broker publishes its last will.
    first.client.stream.destroy();
    await waitFor(() => last()?.alarms.some((a) => a.id === 'device_communication') || undefined, 5000, 'the communication alarm');
    expect(last()?.alarms.find((a) => a.id === 'device_communication')?.detail).toMatch(/is offline \(its last will\)$/);
    expect(lastStatus(relay)?.fill).toBe('red');

    // Back after a power cut, with its relay off: it is told "on" again, and the alarm clears.
    const second = await connectDevice();
    await second.client.publishAsync(...d.state(false));
    // The relay may report "on, no alarm" from its old reading before the device's "off" arrives,
    // so wait for the command as well, not for the report alone.
    const toldOn = () => second.all.some((m) => m.topic === d.commandTopic && d.commandedOn(m.payload));
    await waitFor(() => (toldOn() && last()?.on === true && last()?.alarms.length === 0) || undefined, 5000, 'told on again, on and no alarm');
    expect(lastStatus(relay)?.fill).toBe('green');
  });
});

describe('hems-relay through Home Assistant', () => {
  it('calls turn_on / turn_off and follows the entity', async () => {
    const ha = await FakeHomeAssistant.start();
    cleanup.push(() => ha.stop());
    ha.setState('input_boolean.pool_pump', 'off');
    await helper.load(nodes, [{ id: 'tab', type: 'tab' }, { id: 'server', type: 'hems-ha-server', url: ha.url }, relayNode({ driver: 'ha', server: 'server', entityId: 'input_boolean.pool_pump' }), { id: 'out', z: 'tab', type: 'helper' }], {
      server: { token: 'good-token' },
    });
    const relay = helper.getNode('relay');
    const readBack = readBackOf();
    // The safe state goes out once the websocket is up, retried until then.
    await waitFor(() => ha.calls.length === 1, 8000, 'the safe state written');
    await waitFor(() => readBack() === false, 5000, 'the safe state confirmed');
    expect(lastStatus(relay)?.text).toBe('off · off: command from start (safe state)');
    relay.receive({ payload: true });
    await waitFor(() => ha.states.get('input_boolean.pool_pump')?.state === 'on', 4000, 'the entity on');
    await waitFor(() => readBack() === true, 4000, 'read-back on');
    expect(lastStatus(relay)?.text).toBe('on · on: command from flow');
    expect(ha.calls.map((c) => `${c.domain}.${c.service} ${c.target?.entity_id}`)).toEqual([
      'input_boolean.turn_off input_boolean.pool_pump',
      'input_boolean.turn_on input_boolean.pool_pump',
    ]);
  });
});
