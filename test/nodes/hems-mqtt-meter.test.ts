import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EM_STATUS, EMDATA_STATUS, notifyStatus, SHELLY_PREFIX as P } from '../fixtures/shelly-pro-3em';
import { checkDiscovery } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, lastStatus } from '../helpers/node-red-helper';
import { startBroker, waitFor, type Broker } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-ha', 'hems-mqtt-meter'].map((name) => require(join(DIST, `${name}.js`)));

interface ReadingMsg {
  topic: string;
  payload: { device: string; timestamp: string; values: Record<string, number>; quality?: Record<string, string> };
}

let broker: Broker;
let device: MqttRecorder;
let recorder: MqttRecorder | undefined;
beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
  broker = await startBroker();
  device = await MqttRecorder.connect(broker.port, []);
});
afterEach(async () => {
  await helper.unload();
  helper.settings({});
  await recorder?.close();
  recorder = undefined;
});
afterAll(async () => {
  await device.close();
  await broker.stop();
  await new Promise<void>((done) => helper.stopServer(done));
});

function flow(meter: Record<string, unknown>) {
  return [
    { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
    { id: 'meter', type: 'hems-mqtt-meter', name: 'Grid', ha: 'ha', deviceId: 'grid', wires: [['out']], ...meter },
    { id: 'out', type: 'helper' },
  ];
}

/** Every reading the meter sends, as it arrives. */
function readings(): ReadingMsg[] {
  const received: ReadingMsg[] = [];
  helper.getNode('out').on('input', (m: ReadingMsg) => received.push(m));
  return received;
}

function warnings(nodeId: string): string[] {
  return helper
    .log()
    .args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0])
    .filter((e: { level: number; id: string }) => e.level === 30 && e.id === nodeId)
    .map((e: { msg: unknown }) => String(e.msg));
}

const publish = (topic: string, payload: unknown, retain = false) =>
  device.client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1, retain });

/** The meter is subscribed once its first status shows it waiting; a short pause lets the SUBACK land. */
async function loaded(meter: Record<string, unknown>) {
  await helper.load(nodes, flow(meter));
  await waitFor(() => lastStatus(helper.getNode('meter'))?.text?.startsWith('waiting for'), 3000, 'the meter to subscribe');
  await waitFor(() => helper.getNode('ha').mqtt.connected || undefined, 5000, 'the bridge to connect');
  await new Promise((r) => setTimeout(r, 200));
}

describe('hems-mqtt-meter: configuration errors', () => {
  it.each([
    [{ ha: '' }, 'no Home Assistant bridge selected: open the node and pick or add a hems-ha bridge (its broker is where the meter publishes)'],
    [{ format: 'shelly-pro-3em', topic: 'shellies/#' }, 'topic "shellies/#" is not a device topic: enter the device\'s own topic without "+", "#" or a leading or trailing "/" (e.g. shellypro3em-c8f09e8a1b2c, tasmota_sml or servicelocation/<uuid>)'],
    [{ format: 'json', topic: 'a/b', values: [{ measurement: 'watts', path: 'p' }] }, '"watts" (for p) is not a canonical measurement: pick one such as power_w or energy_import_kwh'],
    [{ format: 'json', topic: 'a/b', values: [{ measurement: 'power_w', path: 'p' }], minInterval: -1 }, 'minimum interval -1 s is negative: use 0 (every update) or more'],
    [{ format: 'tasmota-sml', topic: 't', deviceId: 'site' }, 'device id "site" is reserved for the site device: choose another'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(nodes, flow(override));
    expect(lastStatus(helper.getNode('meter'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('meter')).toEqual([`hems-mqtt-meter "Grid": ${text}`]);
  });
});

describe('hems-mqtt-meter with a Shelly Pro 3EM on a real broker', () => {
  it('emits readings from full status and merged notifications, shows the device in HA and its availability', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    await loaded({ format: 'shelly-pro-3em', topic: P, shellyProfile: 'triphase' });
    const received = readings();
    await publish(`${P}/online`, 'true');
    await publish(`${P}/status/em:0`, EM_STATUS);
    await publish(`${P}/status/emdata:0`, EMDATA_STATUS);
    const full = await waitFor(() => received.find((m) => m.payload.values.energy_import_kwh !== undefined && !m.payload.quality), 5000, 'a complete reading');
    expect(full.topic).toBe('grid');
    expect(full.payload.device).toBe('grid');
    expect(full.payload.values).toMatchObject({ power_w: 750.5, power_l2_w: -250, current_l1_a: 4.2, power_factor_l1: 0.95, voltage_l3_v: 230.4, energy_export_kwh: 3.5 });
    expect(full.payload.values.energy_import_kwh).toBeCloseTo(1503.7034, 9);

    await publish(`${P}/events/rpc`, notifyStatus({ 'em:0': { a_act_power: -1500, total_act_power: -1650 } }));
    const merged = await waitFor(() => received.find((m) => m.payload.values.power_w === -1650), 5000, 'the merged notification');
    expect(merged.payload.values).toMatchObject({ power_l1_w: -1500, power_l2_w: -250, voltage_l1_v: 231.1 });
    expect(lastStatus(helper.getNode('meter'))).toMatchObject({ fill: 'green', shape: 'dot', text: expect.stringMatching(/^-1\.65 kW · \d\d:\d\d:\d\d$/) });

    const config = await waitFor(() => recorder!.payload('homeassistant/device/hems_grid/config'), 5000, 'the discovery config');
    expect(checkDiscovery('homeassistant/device/hems_grid/config', config)).toEqual([]);
    const parsed = JSON.parse(config);
    expect(parsed.dev).toMatchObject({ ids: ['hems_grid'], mf: 'Shelly', mdl: 'Pro 3EM' });
    expect(Object.keys(parsed.cmps)).toContain('energy_import_l3_kwh');
    await waitFor(() => recorder!.payload('hems/grid/power_w') === '-1650', 5000, 'the power state');
    expect(recorder.payload('hems/grid/availability')).toBe('online');

    await publish(`${P}/online`, 'false');
    await waitFor(() => recorder!.payload('hems/grid/availability') === 'offline', 5000, 'offline in HA');
    expect(lastStatus(helper.getNode('meter'))).toEqual({ fill: 'red', shape: 'ring', text: 'grid is offline (its last will)' });
  });

  it('a payload that is not JSON: yellow status and one warning naming the topic, and it reads on afterwards', async () => {
    await loaded({ format: 'shelly-pro-3em', topic: P });
    const received = readings();
    await publish(`${P}/status/em:0`, '{"a_act_power": 12');
    await publish(`${P}/status/em:0`, '{"a_act_power": 12');
    const meter = helper.getNode('meter');
    await waitFor(() => lastStatus(meter)?.fill === 'yellow' && lastStatus(meter)?.shape === 'ring', 3000, 'yellow status');
    expect(lastStatus(meter)?.text).toMatch(new RegExp(`^${P}/status/em:0: payload is not JSON \\(`));
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings('meter')).toHaveLength(1);
    expect(warnings('meter')[0]).toMatch(new RegExp(`^grid: ${P}/status/em:0: payload is not JSON`));
    expect(received).toEqual([]);
    await publish(`${P}/status/em:0`, EM_STATUS);
    await waitFor(() => received.length > 0 || undefined, 3000, 'a reading after the bad payload');
    expect(lastStatus(meter)?.fill).toBe('yellow');
    expect(lastStatus(meter)?.shape).toBe('dot');
    expect(lastStatus(meter)?.text).toMatch(/^751 W · 8 missing · /);
  });
});

describe('hems-mqtt-meter with Tasmota SML and generic JSON', () => {
  it('reads a Tasmota SML frame with the example names and takes the LWT as availability', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    await loaded({ format: 'tasmota-sml', topic: 'tasmota_sml', deviceId: 'sml_grid', values: [] });
    const received = readings();
    await publish('tele/tasmota_sml/LWT', 'Online');
    await publish('tele/tasmota_sml/SENSOR', { Time: '2026-11-21T01:00:00', SML: { Total_in: 4567.8912, Total_out: 123.4, Power_curr: -812 } });
    const msg = await waitFor(() => received[0], 5000, 'a reading');
    expect(msg.payload.values).toEqual({ power_w: -812, energy_import_kwh: 4567.8912, energy_export_kwh: 123.4 });
    const config = await waitFor(() => recorder!.payload('homeassistant/device/hems_sml_grid/config'), 5000, 'the discovery config');
    expect(checkDiscovery('homeassistant/device/hems_sml_grid/config', config)).toEqual([]);
    expect(Object.keys(JSON.parse(config).cmps).sort()).toEqual(['energy_export_kwh', 'energy_import_kwh', 'power_w']);
    await publish('tele/tasmota_sml/LWT', 'Offline');
    await waitFor(() => recorder!.payload('hems/sml_grid/availability') === 'offline', 5000, 'offline in HA');
  });

  it('a JSON meter with power only gets energy totals, also in HA', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    await loaded({ format: 'json', topic: 'meters/wallbox', deviceId: 'wallbox', values: [{ measurement: 'power_w', path: 'data.p', scale: 1000 }] });
    const received = readings();
    await publish('meters/wallbox', { data: { p: 3.7 } });
    const msg = await waitFor(() => received[0], 5000, 'a reading');
    expect(msg.payload.values).toEqual({ power_w: 3700, energy_import_kwh: 0, energy_export_kwh: 0 });
    const config = await waitFor(() => recorder!.payload('homeassistant/device/hems_wallbox/config'), 5000, 'the discovery config');
    expect(checkDiscovery('homeassistant/device/hems_wallbox/config', config)).toEqual([]);
    expect(JSON.parse(config).cmps.energy_import_kwh).toMatchObject({ dev_cla: 'energy', stat_cla: 'total_increasing', unit_of_meas: 'kWh' });
    expect(JSON.parse(config).dev).toMatchObject({ name: 'Grid', mdl: 'MQTT JSON meter' });
  });

  it.each([
    ['quiet', ['1000', '1100']],
    ['all', ['1000', '1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009', '1100']],
  ])('with States in HA %s, the output has every reading and HA %j', async (haStates, inHa) => {
    recorder = await MqttRecorder.connect(broker.port, ['hems/status', 'hems/solar/power_w']);
    await loaded({ format: 'json', topic: 'meters/solar', deviceId: 'solar', haStates, values: [{ measurement: 'power_w', path: 'p' }] });
    await waitFor(() => recorder!.all.find((m) => m.topic === 'hems/status' && m.payload === 'online' && !m.retain), 5000, 'the bridge to publish');
    const received = readings();
    // Live states only: the case before left its last one retained.
    const states = () => recorder!.all.filter((m) => m.topic === 'hems/solar/power_w' && !m.retain).map((m) => m.payload);
    // Drift of 1 W a reading, then a step of 91 W: quiet sends the first at once and the step 5 s after it.
    for (const p of [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1100]) {
      await publish('meters/solar', { p });
      await waitFor(() => received.find((m) => m.payload.values.power_w === p), 3000, `the reading ${p}`);
    }
    await waitFor(() => states().includes('1100') || undefined, 8000, 'the step in HA');
    expect(received.map((m) => m.payload.values.power_w)).toHaveLength(11);
    expect(states()).toEqual(inHa);
  });

  it('emits at most once per minimum interval, with the latest values', async () => {
    await loaded({ format: 'json', topic: 'meters/garage', minInterval: 0.5, values: [{ measurement: 'power_w', path: 'p' }, { measurement: 'energy_import_kwh', path: 'e', scale: 0.001 }] });
    const received = readings();
    for (const p of [1, 2, 3, 4]) {
      await publish('meters/garage', { p, e: 1000 * p });
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => received.find((m) => m.payload.values.power_w === 4), 3000, 'the latest value');
    expect(received.length).toBeLessThanOrEqual(2);
    expect(received.at(-1)!.payload.values).toEqual({ power_w: 4, energy_import_kwh: 4 });
  });
});

describe('hems-mqtt-meter counters across a restart', () => {
  it('keeps the highest total and the totals integrated from power in the user directory', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-mqtt-meter-'));
    helper.settings({ userDir });
    const tasmota = { format: 'tasmota-sml', topic: 'sml_restart', deviceId: 'sml_restart', values: [] };
    await loaded(tasmota);
    let received = readings();
    await publish('tele/sml_restart/SENSOR', { SML: { Total_in: 100.5, Total_out: 2, Power_curr: 50 } });
    await waitFor(() => received[0], 3000, 'the first total');
    await helper.unload();
    expect(JSON.parse(readFileSync(join(userDir, 'hems-state', 'mqtt-meter-sml_restart.json'), 'utf8'))).toEqual({ highest: { energy_import_kwh: 100.5, energy_export_kwh: 2 } });

    await loaded(tasmota);
    received = readings();
    await publish('tele/sml_restart/SENSOR', { SML: { Total_in: 10, Total_out: 2, Power_curr: 50 } });
    const after = await waitFor(() => received[0], 3000, 'a reading after the restart');
    expect(after.payload.values).toEqual({ power_w: 50, energy_export_kwh: 2 });
    expect(after.payload.quality).toEqual({ energy_import_kwh: 'went backwards (100.5 → 10); value dropped' });
    expect(warnings('meter')).toContain('sml_restart: energy_import_kwh went backwards (100.5 → 10); value dropped');

    const powerOnly = { format: 'json', topic: 'meters/heatpump', deviceId: 'heatpump', values: [{ measurement: 'power_w', path: 'p' }] };
    await helper.unload();
    await loaded(powerOnly);
    received = readings();
    await publish('meters/heatpump', { p: 3600 });
    await waitFor(() => received[0], 3000, 'the first power');
    await new Promise((r) => setTimeout(r, 1000));
    await publish('meters/heatpump', { p: 3600 });
    const integrated = await waitFor(() => received[1], 3000, 'the second power');
    expect(integrated.payload.values.energy_import_kwh).toBeGreaterThan(0.0009);
    expect(integrated.payload.values.energy_export_kwh).toBe(0);
    await helper.unload();
    const stored = JSON.parse(readFileSync(join(userDir, 'hems-state', 'mqtt-meter-heatpump.json'), 'utf8'));
    expect(stored.integrator.importKwh).toBe(integrated.payload.values.energy_import_kwh);

    await loaded(powerOnly);
    received = readings();
    await publish('meters/heatpump', { p: 3600 });
    const resumed = await waitFor(() => received[0], 3000, 'a reading after the restart');
    expect(resumed.payload.values.energy_import_kwh).toBeGreaterThanOrEqual(integrated.payload.values.energy_import_kwh);
  });
});
