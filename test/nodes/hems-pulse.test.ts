import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDiscovery } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, lastStatus } from '../helpers/node-red-helper';
import { freePort, pymodbusSkipReason, startBroker, waitFor, type Broker } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-modbus', 'hems-ha', 'hems-pulse'].map((name) => require(join(DIST, `${name}.js`)));

interface PulseMsg {
  topic: string;
  payload: { device: string; timestamp: string; values: { pulse_count: number; pulse_total: number }; input?: boolean };
}

/** pymodbus with discrete inputs a test opens and closes like a contact ("set" lines on its stdin). */
async function startContactPeer() {
  const dir = mkdtempSync(join(tmpdir(), 'hems-contact-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ units: [1], size: { discrete: 8, coil: 8 }, registers: [], bits: [{ table: 'coil', address: 3, value: true }] }));
  const port = await freePort();
  const child: ChildProcess = spawn('/usr/bin/python3', [join(__dirname, '..', 'peers', 'modbus_server.py'), '--port', String(port), '--spec', spec], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  child.stdin?.on('error', () => undefined);
  const answers = () => new Promise<boolean>((resolve) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); resolve(true); }).once('error', () => resolve(false)));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`pymodbus peer exited: ${output}`);
    return answers();
  }, 10_000, 'the pymodbus contact peer');
  const command = async (line: string) => {
    const seen = output.length;
    child.stdin?.write(`${line}\n`);
    await waitFor(() => output.slice(seen).includes(`${line} done`), 5000, `the peer to apply "${line}"`);
  };
  return {
    port,
    set: (address: number, closed: boolean) => command(`set 1 discrete ${address} ${closed ? 1 : 0}`),
    /** The unit stops answering (a device without power) or answers again. */
    silence: () => command('silence 1'),
    answer: () => command('answer 1'),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let broker: Broker;
let recorder: MqttRecorder | undefined;
beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
  broker = await startBroker();
});
afterEach(async () => {
  await helper.unload();
  helper.settings({});
  await recorder?.close();
  recorder = undefined;
});
afterAll(async () => {
  await broker.stop();
  await new Promise<void>((done) => helper.stopServer(done));
});

function flow(pulse: Record<string, unknown>, extra: Array<Record<string, unknown>> = []) {
  return [
    { id: 'pulse', type: 'hems-pulse', name: 'Water', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 20, messageMode: 'level', wires: [['out']], ...pulse },
    { id: 'out', type: 'helper' },
    ...extra,
  ];
}

function outputs(): PulseMsg[] {
  const received: PulseMsg[] = [];
  helper.getNode('out').on('input', (m: PulseMsg) => received.push(m));
  return received;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hems-pulse: configuration errors', () => {
  it.each([
    [{ pulsesPerUnit: 0 }, "pulses per unit 0 must be above 0: the meter's plate says it, e.g. 1000 imp/kWh or 100 imp/m³"],
    [{ medium: 'oil' }, 'medium "oil" is not one of water_m3, water_l, gas_m3, electricity_kwh'],
    [{ bus: 'nope' }, 'the selected Modbus bus does not exist: pick or add a hems-modbus bus, or none to count messages only'],
    [{ deviceId: 'site' }, 'device id "site" is reserved for the site device: choose another'],
    [{ haStates: 'loud' }, 'Home Assistant states "loud" is not one of quiet, all: pick "quiet" (the default) or "all"'],
    [{ maxIncrement: 0.5 }, 'largest increment 0.5 must be a whole number of pulses, 1 or more (10000 is usual)'],
    // Text that is no number is refused, not silently the default.
    [{ maxIncrement: '10k' }, 'largest increment = "10k": must be a number, or leave it empty for 10000'],
    [{ debounceMs: 'fast' }, 'debounce (ms) = "fast": must be a number, or leave it empty for 20'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(nodes, flow(override));
    expect(lastStatus(helper.getNode('pulse'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('pulse')).toEqual([`hems-pulse "Water": ${text}`]);
  });
});

describe('hems-pulse from messages', () => {
  it('counts rising edges of levels, ignores contact bounce, and says what is wrong with a bad payload', async () => {
    await helper.load(nodes, flow({ pulsesPerUnit: 2 }));
    const pulse = helper.getNode('pulse');
    const received = outputs();
    for (const level of [false, true, false, true, 0, 1]) {
      pulse.receive({ payload: level });
      await sleep(40);
    }
    // A bouncing contact: the changes 5 ms apart fall inside the 20 ms debounce.
    pulse.receive({ payload: 0 });
    await sleep(40);
    for (const level of [true, false, true]) {
      pulse.receive({ payload: level });
      await sleep(5);
    }
    await waitFor(() => received.length >= 8 || undefined, 3000, 'eight changes');
    await sleep(100);
    const last = received.at(-1)!;
    expect(last.topic).toBe('water');
    expect(last.payload).toMatchObject({ device: 'water', values: { pulse_count: 4, pulse_total: 2 }, input: true });
    expect(received).toHaveLength(8);
    expect(lastStatus(pulse)).toEqual({ fill: 'green', shape: 'dot', text: '2 L (4 pulses) · input on' });
    pulse.receive({ payload: 'on' });
    await waitFor(() => errorsLogged('pulse')[0], 3000, 'the error');
    expect(errorsLogged('pulse')[0]).toBe('Error: water: msg.payload = "on": not a level: send true/false or 1/0');
  });

  it('adds increments counted elsewhere', async () => {
    await helper.load(nodes, flow({ medium: 'electricity_kwh', pulsesPerUnit: 1000, messageMode: 'increment' }));
    const received = outputs();
    helper.getNode('pulse').receive({ payload: 250 });
    helper.getNode('pulse').receive({ payload: '750' });
    await waitFor(() => received[1], 3000, 'two readings');
    expect(received[1].payload.values).toEqual({ pulse_count: 1000, pulse_total: 1 });
    expect(received[1].payload).not.toHaveProperty('input');
  });

  it('refuses absurd increments with a clear error; they count nothing and are not saved', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-pulse-'));
    helper.settings({ userDir });
    await helper.load(nodes, flow({ medium: 'electricity_kwh', pulsesPerUnit: 1000, messageMode: 'increment', maxIncrement: 500 }));
    const received = outputs();
    const pulse = helper.getNode('pulse');
    pulse.receive({ payload: 1e21 });
    pulse.receive({ payload: 1e308 });
    pulse.receive({ payload: 1e308 });
    pulse.receive({ payload: 501 });
    pulse.receive({ payload: -3 });
    pulse.receive({ payload: 20 });
    await waitFor(() => received[0], 3000, 'the good increment');
    await waitFor(() => errorsLogged('pulse').length === 5 || undefined, 3000, 'five errors');
    expect(errorsLogged('pulse')).toEqual([
      'Error: water: msg.payload = 1e+21: not a pulse increment: send a whole number of new pulses, 0 or more',
      'Error: water: msg.payload = 1e+308: not a pulse increment: send a whole number of new pulses, 0 or more',
      'Error: water: msg.payload = 1e+308: not a pulse increment: send a whole number of new pulses, 0 or more',
      'Error: water: msg.payload = 501: more pulses than one message may carry (500): check the sender, or raise "Largest increment"',
      'Error: water: msg.payload = -3: not a pulse increment: send a whole number of new pulses, 0 or more',
    ]);
    expect(received.map((m) => m.payload.values.pulse_count)).toEqual([20]);
    await helper.unload();
    expect(JSON.parse(readFileSync(join(userDir, 'hems-state', 'pulse-water.json'), 'utf8'))).toEqual({ count: 20 });
  });

  it('keeps the count across a restart, and shows it in HA as a water meter with the input', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-pulse-'));
    helper.settings({ userDir });
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    const ha = { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
    const withHa = flow({ ha: 'ha', haStates: 'all' }, [ha]);
    await helper.load(nodes, withHa);
    for (const level of [0, 1, 0, 1, 0, 1]) {
      helper.getNode('pulse').receive({ payload: level });
      await sleep(30);
    }
    const config = await waitFor(() => recorder!.payload('homeassistant/device/hems_water/config'), 5000, 'the discovery config');
    expect(checkDiscovery('homeassistant/device/hems_water/config', config)).toEqual([]);
    const cmps = JSON.parse(config).cmps;
    expect(cmps.pulse_total).toMatchObject({ p: 'sensor', dev_cla: 'water', unit_of_meas: 'L', stat_cla: 'total_increasing' });
    expect(cmps.pulse_count).toMatchObject({ p: 'sensor', stat_cla: 'total_increasing', ent_cat: 'diagnostic' });
    expect(cmps.input).toMatchObject({ p: 'binary_sensor' });
    await waitFor(() => recorder!.payload('hems/water/pulse_total') === '3', 5000, 'the total in HA');
    expect(recorder.payload('hems/water/input')).toBe('ON');
    await helper.unload();
    expect(JSON.parse(readFileSync(join(userDir, 'hems-state', 'pulse-water.json'), 'utf8'))).toEqual({ count: 3 });

    await helper.load(nodes, withHa);
    const received = outputs();
    for (const level of [1, 0, 1]) {
      helper.getNode('pulse').receive({ payload: level });
      await sleep(30);
    }
    await waitFor(() => received[2], 3000, 'three changes after the restart');
    expect(received[2].payload.values).toEqual({ pulse_count: 4, pulse_total: 4 });
  });
});

describe('hems-pulse in Home Assistant', () => {
  it('two nodes with one device id: one of them says so and counts without Home Assistant', async () => {
    const ha = { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
    const twin = { id: 'twin', type: 'hems-pulse', name: 'Water', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 0, messageMode: 'increment', ha: 'ha', wires: [['twin_out']] };
    await helper.load(nodes, flow({ ha: 'ha', messageMode: 'increment' }, [ha, twin, { id: 'twin_out', type: 'helper' }]));
    // Node-RED starts them in an order of its own: whichever comes second is refused.
    const refused = ['pulse', 'twin'].filter((id) => errorsLogged(id).length > 0);
    expect(refused).toHaveLength(1);
    expect(errorsLogged(refused[0])).toEqual(['hems-pulse "Water": device id "water" is already used by another node: give each device its own id']);
    const counted: PulseMsg[] = [];
    helper.getNode(refused[0] === 'twin' ? 'twin_out' : 'out').on('input', (m: PulseMsg) => counted.push(m));
    helper.getNode(refused[0]).receive({ payload: 3 });
    const msg = await waitFor(() => counted[0], 3000, 'the refused node still counting');
    expect(msg.payload.values.pulse_count).toBe(3);
  });

  it.each([
    ['water_m3', 'level', { dev_cla: 'water', unit_of_meas: 'm³' }, true],
    ['water_l', 'increment', { dev_cla: 'water', unit_of_meas: 'L' }, false],
    ['gas_m3', 'level', { dev_cla: 'gas', unit_of_meas: 'm³' }, true],
    ['electricity_kwh', 'increment', { dev_cla: 'energy', unit_of_meas: 'kWh' }, false],
  ])('%s (%s messages): the total as that meter, an input entity only where there are levels; the config passes the conformance check', async (medium, messageMode, total, hasInput) => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
    const deviceId = `meter_${medium}`;
    const ha = { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
    await helper.load(nodes, flow({ ha: 'ha', deviceId, medium, messageMode }, [ha]));
    const topic = `homeassistant/device/hems_${deviceId}/config`;
    const config = await waitFor(() => recorder!.payload(topic), 5000, 'the discovery config');
    expect(checkDiscovery(topic, config)).toEqual([]);
    const cmps = JSON.parse(config).cmps;
    expect(cmps.pulse_total).toMatchObject({ p: 'sensor', stat_cla: 'total_increasing', ...total });
    expect('input' in cmps).toBe(hasInput);
    // The stored total shows at once, not "unknown" until the first pulse.
    await waitFor(() => recorder!.payload(`hems/${deviceId}/pulse_total`) === '0', 5000, 'the initial total');
  });
});

describe.skipIf(pymodbusSkipReason())('hems-pulse on a Modbus discrete input (pymodbus)', () => {
  it('polls the input through the bus, counts its pulses and shows the level; reads coils too', async () => {
    const peer = await startContactPeer();
    try {
      const bus = { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: peer.port, timeoutMs: 300, retries: 0 };
      await helper.load(nodes, flow({ bus: 'bus', unitId: 1, table: 'discrete', address: 2, pollInterval: 0.05, medium: 'gas_m3', pulsesPerUnit: 100 }, [bus]));
      const pulse = helper.getNode('pulse');
      const received = outputs();
      await waitFor(() => received[0], 3000, 'the first level');
      expect(received[0].payload).toMatchObject({ values: { pulse_count: 0, pulse_total: 0 }, input: false });
      for (let i = 0; i < 3; i++) {
        await peer.set(2, true);
        await waitFor(() => lastStatus(pulse)?.text?.endsWith('input on'), 3000, 'the contact closed');
        await peer.set(2, false);
        await waitFor(() => lastStatus(pulse)?.text?.endsWith('input off'), 3000, 'the contact open');
      }
      expect(received.at(-1)!.payload).toMatchObject({ values: { pulse_count: 3, pulse_total: 0.03 }, input: false });
      expect(lastStatus(pulse)).toEqual({ fill: 'green', shape: 'dot', text: '0.03 m³ (3 pulses) · input off' });
      pulse.receive({ payload: true });
      await waitFor(() => errorsLogged('pulse')[0], 3000, 'the refusal');
      expect(errorsLogged('pulse')[0]).toMatch('the input is read from Modbus');

      await helper.unload();
      await helper.load(nodes, flow({ bus: 'bus', table: 'coil', address: 3, pollInterval: 0.05 }, [bus]));
      const coil = outputs();
      await waitFor(() => coil[0], 3000, 'the coil level');
      expect(coil[0].payload.input).toBe(true);
    } finally {
      await peer.stop();
    }
  });

  it('goes red while its device is silent and counts on from where it was when the device answers again', async () => {
    const peer = await startContactPeer();
    try {
      const bus = { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: peer.port, timeoutMs: 200, retries: 0 };
      await helper.load(nodes, flow({ bus: 'bus', unitId: 1, table: 'discrete', address: 2, pollInterval: 0.05, medium: 'water_m3', pulsesPerUnit: 100 }, [bus]));
      const pulse = helper.getNode('pulse');
      const pulseOnce = async () => {
        await peer.set(2, true);
        await waitFor(() => lastStatus(pulse)?.text?.endsWith('input on'), 3000, 'the contact closed');
        await peer.set(2, false);
        await waitFor(() => lastStatus(pulse)?.text?.endsWith('input off'), 3000, 'the contact open');
      };
      await waitFor(() => lastStatus(pulse)?.text?.endsWith('input off'), 3000, 'the first level');
      await pulseOnce();
      await peer.silence();
      await waitFor(() => lastStatus(pulse)?.fill === 'red', 3000, 'red status while the device is silent');
      await sleep(300);
      expect(errorsLogged('pulse')).toHaveLength(1);
      await peer.answer();
      await waitFor(() => lastStatus(pulse)?.fill === 'green', 5000, 'green again');
      await pulseOnce();
      expect(lastStatus(pulse)).toEqual({ fill: 'green', shape: 'dot', text: '0.02 m³ (2 pulses) · input off' });
    } finally {
      await peer.stop();
    }
  });

  it('shows an absent input device in red, with one error however often it polls', async () => {
    const port = await freePort();
    const bus = { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 300, retries: 0 };
    await helper.load(nodes, flow({ bus: 'bus', address: 0, pollInterval: 0.05 }, [bus]));
    const pulse = helper.getNode('pulse');
    await waitFor(() => lastStatus(pulse)?.fill === 'red', 3000, 'red status');
    expect(lastStatus(pulse)?.text).toMatch(`127.0.0.1:${port}`);
    await sleep(300);
    expect(errorsLogged('pulse')).toHaveLength(1);
  });
});
