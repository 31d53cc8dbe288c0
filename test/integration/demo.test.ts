/**
 * `npm start` as a user runs it (on free ports, so a live demo may run beside the tests):
 * discovery configs on the broker within 30 s (a Pi or a busy machine takes longer than an idle PC), the flow in the editor, and Ctrl-C stops it all.
 * At --fast, near noon: a load switches on from surplus and the grid meter shows it; `npm run demo:ha-user` switches the relay.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getProfile } from '../../src/devices/profiles';
import { planProfile, readDevice } from '../../src/devices/read-device';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { freePort, startBroker, waitFor } from '../helpers/peers';

const DEMO = join(__dirname, '..', '..', 'scripts', 'demo.mjs');
const HA_USER = join(__dirname, '..', '..', 'scripts', 'demo-ha-user.mjs');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

async function startDemo(mqttPort?: number, args: string[] = [], env: Record<string, string> = {}) {
  const ports = { mqtt: mqttPort ?? (await freePort()), modbus: await freePort(), editor: await freePort() };
  const started = Date.now();
  const portsEnv = { HEMS_DEMO_MQTT_PORT: String(ports.mqtt), HEMS_DEMO_MODBUS_PORT: String(ports.modbus) };
  // Its own process group, so that "Ctrl-C" reaches the demo and Node-RED together, as in a terminal.
  const child = spawn(process.execPath, [DEMO, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...portsEnv,
      HEMS_DEMO_EDITOR_PORT: String(ports.editor),
      HEMS_DEMO_USER_DIR: mkdtempSync(join(tmpdir(), 'hems-demo-')),
      ...env,
    },
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ports, portsEnv, started, exited, output: () => output };
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm start (the demo)', () => {
  it('shows discovery configs within 30 s, runs the flow, and stops cleanly on Ctrl-C', async () => {
    const demo = await startDemo();
    await waitFor(() => demo.output().includes('Ctrl-C stops everything'), 20_000, `the demo to start:\n${demo.output()}`);
    expect(demo.output()).toContain(`started the embedded MQTT broker (aedes) on 127.0.0.1:${demo.ports.mqtt}`);
    const recorder = await MqttRecorder.connect(demo.ports.mqtt, ['homeassistant/#', 'hems/#']);
    try {
      // The meters (grid, inverter with its meter, battery, heat pump), the optimiser and planner, four loads, SG Ready, the relays, the inverter limit.
      const devices = ['grid_meter_sdm630', 'inverter', 'inverter_meter', 'battery', 'heat_pump_meter', 'optimiser', 'planner', 'hot_water', 'heat_pump', 'car', 'pool',
        'heat_pump_sg', 'hot_water_relay', 'sg_contact_1', 'sg_contact_2', 'pool_relay', 'inverter_limit'];
      await waitFor(() => devices.every((d) => recorder.payload(`homeassistant/device/hems_${d}/config`)) || undefined, 30_000,
        `discovery configs for ${devices.filter((d) => !recorder.payload(`homeassistant/device/hems_${d}/config`)).join(', ')}`);
      expect(Date.now() - demo.started).toBeLessThan(30_000);
      const kinds = new Set(devices.flatMap((d) => Object.values(JSON.parse(recorder.payload(`homeassistant/device/hems_${d}/config`)!).cmps as Array<{ p: string }>).map((c) => c.p)));
      expect([...kinds]).toEqual(expect.arrayContaining(['sensor', 'binary_sensor', 'switch', 'select', 'number']));
      const power = await waitFor(() => recorder.payload('hems/grid_meter_sdm630/power_w'), 5000, 'a power state');
      expect(Number.isFinite(Number(power))).toBe(true);
    } finally {
      await recorder.close();
    }
    const flows = await (await fetch(`http://127.0.0.1:${demo.ports.editor}/flows`, { headers: { Accept: 'application/json' } })).json();
    expect(flows.map((n: { type: string }) => n.type)).toEqual(
      expect.arrayContaining(['hems-meter', 'hems-modbus', 'hems-ha', 'hems-mqtt-meter', 'hems-site', 'hems-optimiser', 'hems-load', 'hems-planner', 'hems-sg-ready', 'hems-relay', 'hems-inverter-limit']),
    );

    process.kill(-demo.child.pid!, 'SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('[demo] stopped');
    expect(await portOpen(demo.ports.modbus)).toBe(false);
    expect(await portOpen(demo.ports.editor)).toBe(false);
    expect(await portOpen(demo.ports.mqtt)).toBe(false);
  }, 60_000);

  it('sends Home Assistant at most 100 messages a minute for the grid meter at its defaults, the power among them', async () => {
    // The throttle's worst case: the day at 60× in the evening with the battery empty, so the grid
    // meter follows the falling PV and the house (a battery with charge or room holds the grid near
    // 0 W, and at noon the inverter limit holds the export: a steady power is rightly not resent).
    const demo = await startDemo(undefined, ['--fast'], { HEMS_DEMO_START_HOUR: '18', HEMS_DEMO_BATTERY_SOC: '5' });
    await waitFor(() => demo.output().includes('Ctrl-C stops everything'), 20_000, `the demo to start:\n${demo.output()}`);
    const recorder = await MqttRecorder.connect(demo.ports.mqtt, ['#']);
    try {
      // Past the start (configs, first states); then half a minute, with every interval but energy's inside it.
      await waitFor(() => recorder.payload('hems/grid_meter_sdm630/power_w'), 30_000, 'a power state');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const from = recorder.all.length;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const live = recorder.all.slice(from).filter((m) => !m.retain && m.topic.startsWith('hems/grid_meter_sdm630/'));
      expect(live.length * 2).toBeLessThanOrEqual(100);
      // Without the throttle the meter's 38 values every 2 s are over 500 in this half minute.
      expect(live.filter((m) => m.topic === 'hems/grid_meter_sdm630/power_w').length).toBeGreaterThanOrEqual(3);
    } finally {
      await recorder.close();
      process.kill(-demo.child.pid!, 'SIGINT');
      await demo.exited;
    }
  }, 90_000);

  it('uses a broker that already runs on the MQTT port, and says so', async () => {
    const broker = await startBroker();
    try {
      const demo = await startDemo(broker.port);
      await waitFor(() => demo.output().includes('Ctrl-C stops everything'), 20_000, `the demo to start:\n${demo.output()}`);
      expect(demo.output()).toContain(`an MQTT broker already answers on 127.0.0.1:${broker.port}: using it`);
      process.kill(-demo.child.pid!, 'SIGINT');
      expect(await demo.exited).toBe(0);
      expect(await portOpen(broker.port)).toBe(true);
    } finally {
      await broker.stop();
    }
  }, 60_000);

  it('at --fast near noon: a load switches on from surplus and the grid meter shows it; the HA-user script switches the relay', async () => {
    // Sunny noon, the battery charging at its limit and taking first: what is left goes to the grid, and to the loads.
    const demo = await startDemo(undefined, ['--fast'], { HEMS_DEMO_START_HOUR: '11.5', HEMS_DEMO_BATTERY_SOC: '50' });
    await waitFor(() => demo.output().includes('Ctrl-C stops everything'), 20_000, `the demo to start:\n${demo.output()}`);
    const recorder = await MqttRecorder.connect(demo.ports.mqtt, ['hems/#']);
    const bus = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: demo.ports.modbus }), { ...DEFAULT_BUS_TIMING, timeoutMs: 1000 });
    const read = async (profileId: string, unitId: number, name: string) => {
      const profile = getProfile(profileId);
      return (await readDevice(bus, profile, unitId, planProfile(profile, new Set([name])))).values[name];
    };
    // What the house consumes, as its meters see it: grid import plus the inverter's AC output.
    const samples: Array<{ atMs: number; heaterCoil: boolean; consumptionW: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [gridW, inverterW, [heaterCoil]] = await Promise.all([read('sdm630', 1, 'power_w'), read('sun2000', 2, 'inverter_power_w'), bus.readBits(3, 'coil', 0, 1)]);
        samples.push({ atMs: Date.now(), heaterCoil, consumptionW: gridW + inverterW });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      // As an HA user would, so that only the water heater follows the surplus: the other loads off, the heat pump normal.
      await waitFor(() => recorder.payload('hems/car/mode'), 30_000, 'the loads in HA');
      for (const [topic, payload] of [['hems/car/mode/set', 'off'], ['hems/pool/mode/set', 'off'], ['hems/heat_pump_sg/mode/set', 'normal']]) {
        await recorder.client.publishAsync(topic, payload, { qos: 1 });
      }
      const switchedOn = await waitFor(() => samples.find((s) => s.heaterCoil), 120_000, 'the water heater coil on from surplus');
      expect(switchedOn.atMs - demo.started).toBeLessThan(150_000);
      expect(recorder.all.find((m) => m.topic === 'hems/hot_water/reason' && m.payload.startsWith('on: surplus'))).toBeDefined();

      const haUser = await new Promise<{ code: number; output: string }>((resolve) =>
        execFile(process.execPath, [HA_USER], { env: { ...process.env, ...demo.portsEnv } }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
        ),
      );
      expect(haUser.output).toContain('coil 0 (water heater): on → off');
      expect(haUser.output).toContain('coil 0 (water heater): off → on');
      expect(haUser.code, haUser.output).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      sampling = false;
      await sampler;

      // Every switching of the heater's coil (from surplus, then by the HA user) moves the consumption at the meters by
      // its 2 kW: the last reading before the coil changed against one a good second after (the household steps every 0.5 s).
      const jumpsW = samples.flatMap((s, i) => {
        if (i === 0 || s.heaterCoil === samples[i - 1].heaterCoil) return [];
        const after = samples.find((later) => later.atMs >= s.atMs + 1200);
        return after ? [(after.consumptionW - samples[i - 1].consumptionW) * (s.heaterCoil ? 1 : -1)] : [];
      });
      expect(jumpsW.length).toBeGreaterThanOrEqual(3);
      // The median, as an appliance of the house may start or stop in the same second as one of them.
      const median = [...jumpsW].sort((a, b) => a - b)[Math.floor(jumpsW.length / 2)];
      expect(median, `jumps ${jumpsW.map(Math.round).join(', ')} W`).toBeGreaterThan(1600);
      expect(median).toBeLessThan(2400);
    } finally {
      sampling = false;
      await sampler.catch(() => undefined);
      await bus.close();
      await recorder.close();
      process.kill(-demo.child.pid!, 'SIGINT');
      await demo.exited;
    }
  }, 240_000);
});
