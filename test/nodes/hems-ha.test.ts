import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, hemsNodes } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startBroker, startModbusPeer, waitFor, type Broker, type ModbusPeer } from '../helpers/peers';

let broker: Broker;
let peer: ModbusPeer | undefined;
let recorder: MqttRecorder;
const CONFIG = 'homeassistant/device/hems_grid/config';

beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
  broker = await startBroker();
});
afterEach(async () => {
  await helper.unload();
  await recorder?.close();
});
afterAll(async () => {
  await peer?.stop();
  await broker.stop();
  await new Promise<void>((done) => helper.stopServer(done));
});

function flow(modbusPort: number, ha: Record<string, unknown> = {}) {
  return [
    { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: modbusPort, timeoutMs: 300, retries: 0 },
    { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems', ...ha },
    { id: 'meter', type: 'hems-meter', name: 'Grid', bus: 'bus', profile: 'sdm630', unitId: 1, deviceId: 'grid', interval: 3600, ha: 'ha', wires: [] },
  ];
}

describe('hems-ha: configuration errors', () => {
  it.each([
    [{ baseTopic: 'hems/#' }, 'base topic part "#" may only contain letters, digits, "_" and "-"'],
    [{ discoveryPrefix: 'home assistant' }, 'discovery prefix "home assistant" may only contain letters, digits, "_" and "-"'],
  ])('%j is refused with the reason', async (override, message) => {
    await helper.load(hemsNodes, flow(1, override));
    expect(errorsLogged('ha')[0]).toContain(message);
  });
});

describe.skipIf(pymodbusSkipReason())('hems-ha with a real broker', () => {
  beforeAll(async () => {
    peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
  });

  it('re-publishes every config and state within 5 s of HA announcing it is back', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    await helper.load(hemsNodes, flow(peer!.port));
    await waitFor(() => recorder.payload('hems/grid/power_w'), 5000, 'first states');
    const before = recorder.all.length;
    await recorder.client.publishAsync('homeassistant/status', 'offline');
    await recorder.client.publishAsync('homeassistant/status', 'online');
    const started = Date.now();
    // The config: a held-back state going out on its own timer is no proof of a re-publish.
    await waitFor(() => recorder.all.slice(before).find((m) => m.topic === CONFIG), 5000, 'republished config');
    await waitFor(() => recorder.all.slice(before).find((m) => m.topic === 'hems/grid/availability'), 5000, 'republished states');
    expect(Date.now() - started).toBeLessThan(5000);
    const again = recorder.all.slice(before).map((m) => m.topic);
    expect(again).toContain('hems/grid/power_w');
    expect(again).toContain('hems/grid/energy_import_kwh');
    expect(again).toContain('hems/grid/availability');
  });

  it('removes a deleted node\'s entities from HA, keeps them when Node-RED merely restarts the flow', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#']);
    await helper.load(hemsNodes, flow(peer!.port));
    await waitFor(() => recorder.payload(CONFIG), 5000, 'config');
    const withoutMeter = flow(peer!.port).filter((n) => n.id !== 'meter');
    await helper.setFlows(withoutMeter, 'full');
    await waitFor(() => recorder.payload(CONFIG) === '', 5000, 'empty retained config');
  });

  it('removes at start the devices of nodes deleted while Node-RED was off, and leaves others alone', async () => {
    const ours = (id: string, base = 'hems') =>
      JSON.stringify({ dev: { ids: [`hems_${id}`] }, o: { name: 'node-red-contrib-hems' }, avty: [{ t: `${base}/status` }], cmps: {} });
    const setup = await MqttRecorder.connect(broker.port, []);
    await setup.client.publishAsync('homeassistant/device/hems_old_meter/config', ours('old_meter'), { retain: true, qos: 1 });
    await setup.client.publishAsync('homeassistant/device/hems_elsewhere/config', ours('elsewhere', 'hems2'), { retain: true, qos: 1 });
    await setup.client.publishAsync('homeassistant/device/lamp/config', JSON.stringify({ o: { name: 'Zigbee2MQTT' } }), { retain: true, qos: 1 });
    await setup.close();
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#']);
    await helper.load(hemsNodes, flow(peer!.port));
    await waitFor(() => recorder.payload('homeassistant/device/hems_old_meter/config') === '', 5000, 'stale device removed');
    await waitFor(() => recorder.payload(CONFIG), 5000, 'current device published');
    expect(JSON.parse(recorder.payload('homeassistant/device/hems_elsewhere/config')!).dev.ids).toEqual(['hems_elsewhere']);
    expect(recorder.payload('homeassistant/device/lamp/config')).toContain('Zigbee2MQTT');
    const cleanup = await MqttRecorder.connect(broker.port, []);
    await cleanup.client.publishAsync('homeassistant/device/hems_elsewhere/config', '', { retain: true });
    await cleanup.client.publishAsync('homeassistant/device/lamp/config', '', { retain: true });
    await cleanup.close();
  });

  it('hands a valid HA command to the owning node, and refuses a bad one with a reason', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['hems/#']);
    const withOutput = flow(peer!.port).map((n) => (n.id === 'meter' ? { ...n, wires: [['out']] } : n));
    await helper.load(hemsNodes, [...withOutput, { id: 'out', type: 'helper' }]);
    const received: unknown[] = [];
    helper.getNode('out').on('input', (m: unknown) => received.push(m));
    await waitFor(() => received.length === 1 && recorder.payload('hems/status') === 'online', 5000, 'first reading and bridge online');
    await recorder.client.publishAsync('hems/grid/read_now/set', 'PRESS', { qos: 1 });
    await waitFor(() => received.length === 2, 3000, 'a reading after pressing Read now');

    await recorder.client.publishAsync('hems/grid/read_now/set', 'PUSH', { qos: 1 });
    await recorder.client.publishAsync('hems/grid/no_such_thing/set', 'ON', { qos: 1 });
    await waitFor(() => recorder.payload('hems/site/error')?.includes('no_such_thing'), 3000, 'error state');
    const refused = recorder.all.filter((m) => m.topic === 'hems/site/error' && m.payload !== 'none').map((m) => m.payload);
    expect(refused).toEqual([
      'ignored command on hems/grid/read_now/set: "PUSH" is not PRESS',
      'ignored command on hems/grid/no_such_thing/set: no entity "no_such_thing" on device "grid"',
    ]);
    expect(JSON.parse(recorder.payload('hems/site/error/attributes')!)).toEqual({
      topic: 'hems/grid/no_such_thing/set', payload: 'ON', error: 'no entity "no_such_thing" on device "grid"',
    });
    expect(received).toHaveLength(2);
    const warnings = helper.log().args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0]).filter((e: { level: number; id: string }) => e.level === 30 && e.id === 'ha');
    expect(warnings.map((w: { msg: unknown }) => w.msg)).toContain('ignored command on hems/grid/read_now/set: "PUSH" is not PRESS');
  });

  it('handles at most 20 HA commands a second: a flood is dropped with one warning, counted, and the bridge goes on', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['hems/#']);
    await helper.load(hemsNodes, flow(peer!.port));
    await waitFor(() => recorder.payload('hems/status') === 'online' || undefined, 5000, 'bridge online');
    // Bad commands: each one handled is refused on hems/site/error, which shows how many got through.
    await Promise.all(Array.from({ length: 200 }, (_, i) => recorder.client.publishAsync('hems/grid/read_now/set', `FLOOD${i}`, { qos: 1 })));
    const haNode = helper.getNode('ha');
    // Over a slow machine the 200 may spread over three seconds: 20 handled in each.
    await waitFor(() => haNode.bridge.shedCommandCount >= 200 - 20 * 3 || undefined, 5000, 'commands dropped');
    const warnings = () => helper.log().args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0]).filter((e: { level: number; id: string }) => e.level === 30 && e.id === 'ha').map((w: { msg: unknown }) => String(w.msg));
    const dropped = warnings().filter((w: string) => w.includes('Home Assistant command(s)'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(/^ignored \d+ Home Assistant command\(s\): more than 20 a second \(\d+ since start\)$/);
    await new Promise((r) => setTimeout(r, 1100));
    await recorder.client.publishAsync('hems/grid/read_now/set', 'AFTER', { qos: 1 });
    await waitFor(() => recorder.payload('hems/site/error')?.includes('"AFTER"') || undefined, 3000, 'a command handled after the flood');
  });

  it('keeps unique ids when the node is renamed', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#']);
    await helper.load(hemsNodes, flow(peer!.port));
    const first = JSON.parse(await waitFor(() => recorder.payload(CONFIG) || undefined, 5000, 'config'));
    const renamed = flow(peer!.port).map((n) => (n.id === 'meter' ? { ...n, name: 'Main meter' } : n));
    await helper.setFlows(renamed, 'full');
    await waitFor(() => recorder.payload(CONFIG)?.includes('Main meter'), 5000, 'renamed config');
    const second = JSON.parse(recorder.payload(CONFIG)!);
    const uniqueIds = (p: { cmps: Record<string, { uniq_id: string }> }) => Object.values(p.cmps).map((c) => c.uniq_id);
    expect(uniqueIds(second)).toEqual(uniqueIds(first));
    expect(second.dev.ids).toEqual(first.dev.ids);
  });
});
