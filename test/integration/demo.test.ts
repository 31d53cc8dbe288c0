/**
 * `npm start` as a user runs it (on free ports, so a live demo may run beside the tests):
 * discovery configs on the broker within 30 s (a Pi or a busy machine takes longer than an idle PC), the flow in the editor, and Ctrl-C stops it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { freePort, startBroker, waitFor } from '../helpers/peers';

const DEMO = join(__dirname, '..', '..', 'scripts', 'demo.mjs');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

async function startDemo(mqttPort?: number) {
  const ports = { mqtt: mqttPort ?? (await freePort()), modbus: await freePort(), editor: await freePort() };
  const started = Date.now();
  // Its own process group, so that "Ctrl-C" reaches the demo and Node-RED together, as in a terminal.
  const child = spawn(process.execPath, [DEMO], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HEMS_DEMO_MQTT_PORT: String(ports.mqtt),
      HEMS_DEMO_MODBUS_PORT: String(ports.modbus),
      HEMS_DEMO_EDITOR_PORT: String(ports.editor),
      HEMS_DEMO_USER_DIR: mkdtempSync(join(tmpdir(), 'hems-demo-')),
    },
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ports, started, exited, output: () => output };
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
      await waitFor(() => recorder.payload('homeassistant/device/hems_grid_meter/config'), 30_000, 'discovery config');
      expect(Date.now() - demo.started).toBeLessThan(30_000);
      const power = await waitFor(() => recorder.payload('hems/grid_meter/power_w'), 5000, 'a power state');
      expect(Number.isFinite(Number(power))).toBe(true);
    } finally {
      await recorder.close();
    }
    const flows = await (await fetch(`http://127.0.0.1:${demo.ports.editor}/flows`, { headers: { Accept: 'application/json' } })).json();
    expect(flows.map((n: { type: string }) => n.type)).toEqual(expect.arrayContaining(['hems-meter', 'hems-modbus', 'hems-ha']));

    process.kill(-demo.child.pid!, 'SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('[demo] stopped');
    expect(await portOpen(demo.ports.modbus)).toBe(false);
    expect(await portOpen(demo.ports.editor)).toBe(false);
    expect(await portOpen(demo.ports.mqtt)).toBe(false);
  }, 60_000);

  it('sends Home Assistant at most 100 messages a minute at its defaults, the power among them', async () => {
    const demo = await startDemo();
    await waitFor(() => demo.output().includes('Ctrl-C stops everything'), 20_000, `the demo to start:\n${demo.output()}`);
    const recorder = await MqttRecorder.connect(demo.ports.mqtt, ['#']);
    try {
      // Past the start (configs, first states); then half a minute, with every interval but energy's inside it.
      await waitFor(() => recorder.payload('hems/grid_meter/power_w'), 30_000, 'a power state');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const from = recorder.all.length;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const live = recorder.all.slice(from).filter((m) => !m.retain);
      expect(live.length * 2).toBeLessThanOrEqual(100);
      // Without the throttle the meter's 38 values every 2 s are over 500 in this half minute.
      expect(live.filter((m) => m.topic === 'hems/grid_meter/power_w').length).toBeGreaterThanOrEqual(3);
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
});
