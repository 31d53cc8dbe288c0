/**
 * hems-inverter-limit against pymodbus holding registers: the optimiser's cycle message becomes
 * the Huawei limit registers (FC 06 and FC 16), read back by an independent probe bus; release,
 * refresh after the inverter dropped the limit, the stop behaviour, the alarm, Home Assistant.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { checkDiscovery } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, lastStatus, runtimeWithBroker } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor, type ModbusPeerSpec } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-modbus', 'hems-ha', 'hems-inverter-limit'].map((name) => require(join(DIST, `${name}.js`)));

const env = runtimeWithBroker();
const { cleanup } = env;

/** Holding registers up to the SUN2000's export limitation block; all zero at start. */
const INVERTER: ModbusPeerSpec = { units: [1], size: { holding: 47_420 }, registers: [] };

/** The peer plus our own bus reading it, as an independent probe of what was written. */
async function inverter(spec: ModbusPeerSpec = INVERTER) {
  const peer = await startModbusPeer(spec);
  const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
  cleanup.push(() => peer.stop(), () => probe.close());
  return {
    peer,
    probe,
    registers: (address: number, count = 1) => probe.readRegisters(1, 'holding', address, count),
  };
}

function flow(port: number, limit: Record<string, unknown> = {}, withHa = false) {
  return [
    { id: 'tab', type: 'tab', label: 'limit' },
    { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 300, retries: 0 },
    ...(withHa ? [{ id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' }] : []),
    {
      id: 'limit', z: 'tab', type: 'hems-inverter-limit', deviceId: 'inverter_limit', bus: 'bus', control: 'huawei-emma-export-pct', unitId: 1,
      ratedPowerW: 10_000, refreshSeconds: 60, onStop: 'keep', ha: withHa ? 'ha' : '', wires: [['out']], ...limit,
    },
    { id: 'out', z: 'tab', type: 'helper' },
  ];
}

/** The optimiser's cycle message, with only the site fields this node reads. */
const cycle = (inverterLimitW: number | null, maxExportW: number | null = 3000) => ({
  topic: 'optimiser',
  payload: { site: { inverterLimitW, inverterLimitPct: inverterLimitW === null ? null : inverterLimitW / 100, maxExportW } },
});

describe('hems-inverter-limit: configuration', () => {
  it.each([
    [{ control: 'fronius' }, 'control = "fronius": choose one of huawei-sun2000-derating-pct, huawei-sun2000-derating-w, huawei-sun2000-export-pct, huawei-emma-export-pct'],
    [{ ratedPowerW: '' }, 'rated power = "": enter the inverter\'s (or plant\'s) rated AC power in W, e.g. 10000; percent limits count in % of it'],
    [{ unitId: 300 }, 'unit id 300 is not a Modbus address on this bus: use a whole number from 0 to 247'],
    [{ refreshSeconds: 1 }, 'refresh every 1 s: use 5 to 3600 s; the inverter may drop a remote limit, so it is written again this often'],
    [{ bus: '' }, 'no Modbus bus selected: pick or add a hems-modbus bus that reaches the inverter'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(nodes, flow(1, override));
    expect(lastStatus(helper.getNode('limit'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('limit')).toEqual([`hems-inverter-limit "inverter_limit": ${text}`]);
  });

  it('refuses a message that is not the optimiser cycle, saying what to wire', async () => {
    await helper.load(nodes, flow(1));
    const limit = helper.getNode('limit');
    const errors: string[] = [];
    limit.on('call:error', (call: { args: unknown[] }) => errors.push(String(call.args[0])));
    limit.receive({ payload: 3000 });
    await waitFor(() => errors.length > 0 || undefined, 2000, 'an error');
    expect(errors[0]).toContain('expected the optimiser cycle message { payload: { site: { inverterLimitW, maxExportW } } }');
  });

  it('answers a site that is no object, or a circular limit, with a clear error instead of a raw TypeError', async () => {
    await helper.load(nodes, flow(1));
    const limit = helper.getNode('limit');
    const errors: string[] = [];
    limit.on('call:error', (call: { args: unknown[] }) => errors.push(String(call.args[0])));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    limit.receive({ payload: { site: 'boost' } });
    limit.receive({ payload: { site: { inverterLimitW: 1, maxExportW: circular } } });
    await waitFor(() => errors.length === 2 || undefined, 2000, 'two errors');
    expect(errors[0]).toBe('Error: hems-inverter-limit "inverter_limit": msg.payload.site = "boost": expected the optimiser cycle message { payload: { site: { inverterLimitW, maxExportW } } }: wire the hems-optimiser output here');
    expect(errors[1]).toBe('Error: hems-inverter-limit "inverter_limit": msg.payload.site.maxExportW = {"self":[circular]}: must be a power in W, 0 or more; update the hems-optimiser that sends it');
  });
});

describe.skipIf(pymodbusSkipReason())('hems-inverter-limit on pymodbus holding registers', () => {
  it('EMMA: writes the feed-in limit in % of rated power with mode 7 at the grid point, and 0 releases it', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port));
    const limit = helper.getNode('limit');
    const out: Array<{ payload: { limited: boolean; limitW: number; limitPct: number } }> = [];
    helper.getNode('out').on('input', (m: (typeof out)[number]) => out.push(m));
    limit.receive(cycle(4200, 3000));
    await waitFor(async () => (await device.registers(40100))[0] === 7, 3000, 'mode 7 in 40100');
    expect(await device.registers(40109)).toEqual([300]);
    await waitFor(() => out.at(-1)?.payload.limited === true || undefined, 2000, 'the applied limit');
    expect(out.at(-1)!.payload).toMatchObject({ limited: true, limitW: 3000, limitPct: 30 });
    expect(lastStatus(limit)).toEqual({ fill: 'yellow', shape: 'dot', text: 'export ≤ 3.0 kW (30 %)' });

    limit.receive(cycle(null, 3000));
    await waitFor(async () => (await device.registers(40100))[0] === 0, 3000, 'mode 0: released');
    await waitFor(() => out.at(-1)?.payload.limited === false || undefined, 2000, 'released');
    expect(lastStatus(limit)).toEqual({ fill: 'green', shape: 'dot', text: 'hems-inverter-limit.status.noLimit' });
  });

  it('SUN2000 fixed W derating: the output limit goes out as one uint32 with function 16; release writes the rated power', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port, { control: 'huawei-sun2000-derating-w' }));
    const limit = helper.getNode('limit');
    limit.receive(cycle(73_500.4 / 10, 1000));
    await waitFor(async () => (await device.registers(40126, 2)).join() === '0,7350', 3000, '7350 W in 40126..40127');
    limit.receive(cycle(null));
    await waitFor(async () => (await device.registers(40126, 2)).join() === '0,10000', 3000, 'the rated power: no derating');
  });

  it('SUN2000 % derating: tenths of a percent, rounded down so the limit never allows more', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port, { control: 'huawei-sun2000-derating-pct', ratedPowerW: 8000 }));
    helper.getNode('limit').receive(cycle(2_345));
    // 2345 / 8000 = 29.3125 % → 293
    await waitFor(async () => (await device.registers(40125))[0] === 293, 3000, '29.3 % in 40125');
  });

  it('writes only on change, and again after the refresh interval when the inverter dropped the limit', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port, { control: 'huawei-sun2000-export-pct', refreshSeconds: 5 }));
    const limit = helper.getNode('limit');
    const out: unknown[] = [];
    helper.getNode('out').on('input', (m: unknown) => out.push(m));
    limit.receive(cycle(5000, 2000));
    await waitFor(async () => (await device.registers(47415))[0] === 7, 3000, 'mode 7 in 47415');
    expect(await device.registers(47418)).toEqual([200]);
    await device.probe.writeRegister(1, 47415, 0);
    for (let i = 0; i < 3; i++) limit.receive(cycle(5100 + i, 2000));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await device.registers(47415))[0]).toBe(0);
    expect(out).toHaveLength(1);
    await waitFor(async () => (await device.registers(47415))[0] === 7, 6000, 'written again at the refresh');
  });

  it('keeps the last limit when Node-RED stops (default)', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port));
    helper.getNode('limit').receive(cycle(4000, 3000));
    await waitFor(async () => (await device.registers(40100))[0] === 7, 3000, 'limited');
    await helper.unload();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await device.registers(40100)).toEqual([7]);
  });

  it('releases the limit while stopping when told to', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port, { onStop: 'release' }));
    helper.getNode('limit').receive(cycle(4000, 3000));
    await waitFor(async () => (await device.registers(40100))[0] === 7, 3000, 'limited');
    await helper.unload();
    await waitFor(async () => (await device.registers(40100))[0] === 0, 3000, 'released while stopping');
  });

  it('raises the device communication alarm when the inverter refuses the registers, and clears it once a write goes through', async () => {
    const device = await inverter({ ...INVERTER, size: { holding: 40_105 } });
    await helper.load(nodes, flow(device.peer.port));
    const limit = helper.getNode('limit');
    const out: Array<{ payload: { alarms: Array<{ id: string; detail: string }> } }> = [];
    helper.getNode('out').on('input', (m: (typeof out)[number]) => out.push(m));
    limit.receive(cycle(4000, 3000));
    await waitFor(() => lastStatus(limit)?.fill === 'red' || undefined, 3000, 'red status');
    const alarm = out.at(-1)!.payload.alarms[0];
    expect(alarm.id).toBe('device_communication');
    expect(alarm.detail).toMatch(/^cannot set export ≤ 3\.0 kW \(30 %\) on unit 1: 127\.0\.0\.1:\d+ unit 1 holding register 40109 := 0x012c: Modbus exception 2/);
    limit.receive(cycle(null));
    await waitFor(() => (out.at(-1)!.payload.alarms.length === 0 ? true : undefined), 3000, 'alarm cleared by the release');
  });

  it('Home Assistant: the applied limit and an alarm entity, conformant', async () => {
    const device = await inverter();
    const recorder = await MqttRecorder.connect(env.broker.port, ['homeassistant/device/hems_inverter_limit/config', 'hems/inverter_limit/#']);
    cleanup.push(() => recorder.close());
    await helper.load(nodes, flow(device.peer.port, {}, true));
    const config = await waitFor(() => recorder.payload('homeassistant/device/hems_inverter_limit/config'), 5000, 'discovery');
    expect(checkDiscovery('homeassistant/device/hems_inverter_limit/config', config)).toEqual([]);
    expect(Object.keys(JSON.parse(config).cmps).sort()).toEqual(['alarm', 'limit_pct', 'limit_w']);
    helper.getNode('limit').receive(cycle(4000, 2500));
    // Each state is its own MQTT message: wait for both rather than read one right after the other.
    const applied = () => recorder.payload('hems/inverter_limit/limit_w') === '2500' && recorder.payload('hems/inverter_limit/limit_pct') === '25';
    await waitFor(() => (applied() ? true : undefined), 5000, 'applied limit in HA, in W and %');
    expect(recorder.payload('hems/inverter_limit/alarm')).toBe('OFF');
  });
});
