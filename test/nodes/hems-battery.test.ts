/**
 * hems-battery against pymodbus holding registers laid out as a SUN2000 with a LUNA2000: each
 * mode becomes the Huawei storage registers, read back by an independent probe bus; the fall-back
 * to self-consumption (and its registers) when the site readings go stale behind a real optimiser,
 * when the optimiser falls silent, when the battery's read-back goes stale or a write fails; the
 * stop; the output-only control; Home Assistant's mode select.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatteryPlan } from '../../src/engine/battery';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { checkDiscovery } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, lastStatus, runtimeWithBroker } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor, type ModbusPeerSpec } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-modbus', 'hems-ha', 'hems-site', 'hems-optimiser', 'hems-battery'].map((name) => require(join(DIST, `${name}.js`)));
/** The same module instance the nodes use: the test hands the site's optimiser a battery plan as a planner would. */
const { watchSite } = require(join(DIST, 'lib', 'site.js')) as typeof import('../../nodes/lib/site');

const env = runtimeWithBroker();
const { cleanup } = env;

/** SoC 52.3 % (37760, gain 10), charging 1 kW (37765, int32); the storage settings all zero. */
const SUN2000: ModbusPeerSpec = {
  units: [1],
  size: { holding: 47_300 },
  registers: [
    { table: 'holding', address: 37760, type: 'uint16', value: 523 },
    { table: 'holding', address: 37765, type: 'int32', value: 1000 },
  ],
};

async function inverter(spec: ModbusPeerSpec = SUN2000) {
  const peer = await startModbusPeer(spec);
  const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: peer.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
  cleanup.push(() => peer.stop(), () => probe.close());
  /** The storage registers the modes write, by address, as the device holds them. */
  const storage = async () => {
    const one = async (address: number, count = 1) => (await probe.readRegisters(1, 'holding', address, count)).join(',');
    return { 47100: await one(47100), 47086: await one(47086), 47087: await one(47087), 47088: await one(47088), 47077: await one(47077, 2), 47083: await one(47083), 47246: await one(47246), 47247: await one(47247, 2) };
  };
  return { peer, probe, storage };
}

function flow(port: number, battery: Record<string, unknown> = {}, withHa = false) {
  return [
    { id: 'tab', type: 'tab', label: 'battery' },
    { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 300, retries: 0 },
    ...(withHa ? [{ id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' }] : []),
    {
      id: 'under', z: 'tab', type: 'hems-battery', deviceId: 'battery', control: 'huawei-sun2000-luna2000', bus: 'bus', unitId: 1,
      maxChargeW: 5000, maxDischargeW: 4000, gridChargeMaxSocPct: 90, commandTimeoutSeconds: 60, readSeconds: 1, refreshSeconds: 60,
      onStop: 'self_consumption', ha: withHa ? 'ha' : '', wires: [['out']], ...battery,
    },
    { id: 'out', z: 'tab', type: 'helper' },
  ];
}

/** An optimiser cycle message, with only what this node reads. */
const cycle = (battery?: { mode: string; powerW: number; reason: string }) => ({ topic: 'optimiser', payload: { site: {}, ...(battery ? { battery } : {}) } });

interface Output {
  payload: { mode: string; powerW: number; reason: string; written: boolean; socPct?: number; batteryPowerW?: number; alarms: Array<{ id: string; detail: string }> };
}
function outputs() {
  const seen: Output[] = [];
  helper.getNode('out').on('input', (m: Output) => seen.push(m));
  return { seen, last: () => seen.at(-1)?.payload };
}

const SELF_CONSUMPTION = { 47100: '0', 47086: '2', 47087: '0', 47077: '0,4000' };

describe('hems-battery: configuration and input', () => {
  it.each([
    [{ control: 'tesla' }, 'control = "tesla": choose one of huawei-sun2000-luna2000, huawei-emma, output-only'],
    [{ maxChargeW: '' }, 'max charge = "": give the battery\'s largest charge power in W, e.g. 5000'],
    [{ gridChargeMaxSocPct: 120 }, 'grid charge up to = 120: give a state of charge in %, 0 to 100'],
    [{ commandTimeoutSeconds: 2 }, 'plan lost after = 2: use 10 to 3600 s: without an optimiser message this long the battery goes back to self-consumption'],
    [{ bus: '' }, 'no Modbus bus selected: pick or add a hems-modbus bus that reaches the inverter, or choose the output-only control'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(nodes, flow(1, override));
    expect(lastStatus(helper.getNode('under'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('under')).toEqual([`hems-battery "battery": ${text}`]);
  });

  it('refuses what is no cycle message and a battery command it cannot follow, naming the field', async () => {
    await helper.load(nodes, flow(1, { control: 'output-only', bus: '' }));
    const battery = helper.getNode('under');
    const errors: string[] = [];
    battery.on('call:error', (call: { args: unknown[] }) => errors.push(String(call.args[0])));
    battery.receive({ payload: 3000 });
    battery.receive(cycle({ mode: 'boost', powerW: 1, reason: '' }));
    battery.receive(cycle({ mode: 'charge', powerW: -5, reason: '' }));
    battery.receive({ topic: 'mode', payload: 'turbo' });
    await waitFor(() => errors.length === 4 || undefined, 2000, 'four errors');
    expect(errors).toEqual([
      'Error: hems-battery "battery": msg.payload = 3000: expected the optimiser cycle message { payload: { site, battery? } }: wire the hems-optimiser output here',
      'Error: hems-battery "battery": msg.payload.battery.mode = "boost": must be one of self_consumption, hold, charge, discharge',
      'Error: hems-battery "battery": msg.payload.battery.powerW = -5: must be a power in W, 0 or more',
      'Error: hems-battery "battery": msg.payload = "turbo": must be one of auto, self_consumption, hold, charge, discharge',
    ]);
  });

  it('output only: the message is the command; a cycle without a battery plan is self-consumption, with the reason', async () => {
    await helper.load(nodes, flow(1, { control: 'output-only', bus: '' }));
    const out = outputs();
    helper.getNode('under').receive(cycle({ mode: 'discharge', powerW: 1200, reason: 'planned: discharge ≤ 1.2 kW' }));
    await waitFor(() => (out.last()?.mode === 'discharge' ? true : undefined), 2000, 'the discharge cap');
    expect(out.last()).toEqual({ mode: 'discharge', powerW: 1200, reason: 'planned: discharge ≤ 1.2 kW', written: true, alarms: [] });
    helper.getNode('under').receive(cycle());
    await waitFor(() => (out.last()?.mode === 'self_consumption' ? true : undefined), 2000, 'self-consumption');
    expect(out.last()!.reason).toBe('the optimiser follows no plan with a battery (give the hems-planner a battery): self-consumption');
  });
});

describe.skipIf(pymodbusSkipReason())('hems-battery on a SUN2000 + LUNA2000 (pymodbus)', () => {
  it('writes each mode as its registers, and reads back the state of charge and power', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port));
    const battery = helper.getNode('under');
    const out = outputs();
    const send = (mode: string, powerW: number) => battery.receive(cycle({ mode, powerW, reason: `planned: ${mode}` }));
    const holds = async (registers: Record<number, string>, what: string) => {
      await waitFor(async () => {
        const now = await device.storage();
        return Object.entries(registers).every(([address, words]) => now[Number(address) as keyof typeof now] === words) ? true : undefined;
      }, 4000, what);
    };

    send('charge', 3000);
    await holds({ 47087: '1', 47088: '900', 47246: '0', 47083: '5', 47247: '0,3000', 47100: '1' }, 'a forced charge of 3 kW from the grid up to 90 %');
    await waitFor(() => (out.last()?.mode === 'charge' && out.last()?.written && out.last()?.socPct !== undefined ? true : undefined), 3000, 'the charge written, SoC read');
    expect(out.last()).toMatchObject({ mode: 'charge', powerW: 3000, socPct: 52.3, batteryPowerW: 1000, alarms: [] });
    expect(lastStatus(battery)).toEqual({ fill: 'green', shape: 'dot', text: 'charge 3.0 kW: planned: charge' });

    send('hold', 0);
    await holds({ 47100: '0', 47086: '2', 47087: '0', 47077: '0,0' }, 'hold: no forced charge, no discharge');
    send('discharge', 1500);
    await holds({ 47100: '0', 47077: '0,1500' }, 'discharge capped at 1.5 kW');
    send('discharge', 9000);
    await holds({ 47077: '0,4000' }, 'a cap above the battery’s maximum is written at it');
    send('charge', 3000);
    await holds({ 47100: '1' }, 'charging again');
    send('self_consumption', 0);
    await holds(SELF_CONSUMPTION, 'self-consumption with the full discharge power');
  });

  it('behind a real optimiser: the plan’s slot is written; when the site readings go stale the battery goes back to self-consumption', async () => {
    const device = await inverter();
    await helper.load(nodes, [
      ...flow(device.peer.port),
      { id: 'site', type: 'hems-site', name: 'Home', deviceId: 'optimiser', gridDevice: 'grid', strategy: 'pv_surplus', staleAfterSeconds: 3, version: 1 },
      { id: 'optimiser', z: 'tab', type: 'hems-optimiser', site: 'site', cycleSeconds: 1, version: 1, wires: [['under']] },
    ]);
    const out = outputs();
    const nowMs = Date.now();
    const slots: BatteryPlan = { plannedAtMs: nowMs, slots: [{ startMs: nowMs - 60_000, endMs: nowMs + 15 * 60_000, mode: 'charge', powerW: 2500, reason: 'planned: charge 2.5 kW, slot 02:00–02:15 at 0.10 €/kWh, SoC 40 → 46 %' }] };
    const stop = watchSite('site', (link) => link?.session.followPlan('test-planner', {}, slots));
    cleanup.push(async () => stop());
    const grid = () => helper.getNode('optimiser').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: 2800 } } });
    grid();
    await waitFor(async () => ((await device.storage())[47100] === '1' ? true : undefined), 5000, 'the planned charge written');
    expect((await device.storage())[47247]).toBe('0,2500');
    // No more grid readings: after 3 s the optimiser calls the site stale and the battery is told self-consumption.
    await waitFor(() => (out.last()?.mode === 'self_consumption' ? true : undefined), 8000, 'self-consumption on stale readings');
    expect(out.last()!.reason).toMatch(/^site readings stale \(.+\): self-consumption until they are fresh$/);
    await waitFor(async () => ((await device.storage())[47100] === '0' ? true : undefined), 3000, 'the forced charge stopped');
    expect(await device.storage()).toMatchObject(SELF_CONSUMPTION);
    grid();
    await waitFor(async () => ((await device.storage())[47100] === '1' ? true : undefined), 5000, 'charging again with fresh readings');
  });

  it('falls back to self-consumption when the optimiser falls silent, and when the battery is not read back', async () => {
    const device = await inverter();
    await helper.load(nodes, flow(device.peer.port, { commandTimeoutSeconds: 10, readSeconds: 1 }));
    const out = outputs();
    helper.getNode('under').receive(cycle({ mode: 'hold', powerW: 0, reason: 'planned: hold' }));
    await waitFor(async () => ((await device.storage())[47077] === '0,0' ? true : undefined), 3000, 'hold written');

    await device.peer.silence(1);
    await waitFor(() => (out.last()?.mode === 'self_consumption' ? true : undefined), 8000, 'self-consumption without read-back');
    // Whichever notices the silent device first: the read-back, or the hold's refresh write.
    expect(out.last()!.reason).toMatch(/^(no read-back from the battery for more than 3 s: self-consumption instead of hold|writing hold failed \(.*no answer.*\): self-consumption, tried again after 10 s)$/);
    await device.peer.answer(1);
    await waitFor(() => (out.last()?.mode === 'hold' ? true : undefined), 12_000, 'hold again once read back (a failed write is retried after 10 s)');
    await waitFor(async () => ((await device.storage())[47077] === '0,0' ? true : undefined), 3000, 'hold on the device');

    // The optimiser sent its last message at the start: 10 s later the plan counts as lost.
    await waitFor(() => (out.last()?.reason.startsWith('no optimiser message') ? true : undefined), 12_000, 'the plan lost');
    expect(out.last()).toMatchObject({ mode: 'self_consumption', reason: 'no optimiser message for more than 10 s: the plan is lost, self-consumption' });
    await waitFor(async () => ((await device.storage())[47077] === '0,4000' ? true : undefined), 3000, 'self-consumption on the device');
  }, 60_000);

  it('a refused write raises the communication alarm and puts the battery back to self-consumption; stop writes self-consumption', async () => {
    // Registers end before 47246: the forced charge's setting mode is refused with exception 2.
    const device = await inverter({ ...SUN2000, size: { holding: 47_200 } });
    await helper.load(nodes, flow(device.peer.port));
    const battery = helper.getNode('under');
    const out = outputs();
    battery.receive(cycle({ mode: 'charge', powerW: 2000, reason: 'planned: charge' }));
    await waitFor(() => (out.last()?.mode === 'self_consumption' && out.last()?.written ? true : undefined), 5000, 'self-consumption written after the failure');
    expect(out.last()!.reason).toMatch(/^writing charge 2\.0 kW failed \(.*47246.*Modbus exception 2.*\): self-consumption, tried again after 10 s$/);
    const alarmed = out.seen.find((m) => m.payload.alarms[0]?.id === 'device_communication');
    expect(alarmed!.payload.alarms[0].detail).toMatch(/^cannot set charge 2\.0 kW on unit 1: /);
    expect((await device.probe.readRegisters(1, 'holding', 47077, 2)).join()).toBe('0,4000');

    battery.receive(cycle({ mode: 'hold', powerW: 0, reason: 'planned: hold' }));
    await waitFor(async () => ((await device.probe.readRegisters(1, 'holding', 47077, 2)).join() === '0,0' ? true : undefined), 3000, 'hold');
    await helper.unload();
    await waitFor(async () => ((await device.probe.readRegisters(1, 'holding', 47077, 2)).join() === '0,4000' ? true : undefined), 3000, 'self-consumption while stopping');
  }, 30_000);

  it('Home Assistant: mode select, power, the command now and the alarm, conformant; a mode chosen in HA wins over the plan', async () => {
    const device = await inverter();
    const recorder = await MqttRecorder.connect(env.broker.port, ['homeassistant/device/hems_battery/config', 'hems/battery/#']);
    cleanup.push(() => recorder.close());
    await helper.load(nodes, flow(device.peer.port, {}, true));
    const config = await waitFor(() => recorder.payload('homeassistant/device/hems_battery/config'), 5000, 'discovery');
    expect(checkDiscovery('homeassistant/device/hems_battery/config', config)).toEqual([]);
    expect(Object.keys(JSON.parse(config).cmps).sort()).toEqual(['alarm', 'command', 'command_power_w', 'mode', 'power_w', 'reason']);
    helper.getNode('under').receive(cycle({ mode: 'charge', powerW: 3000, reason: 'planned: charge' }));
    await waitFor(() => (recorder.payload('hems/battery/command') === 'charge' ? true : undefined), 5000, 'the command in HA');
    expect(recorder.payload('hems/battery/mode')).toBe('auto');
    await recorder.client.publishAsync('hems/battery/mode/set', 'hold', { qos: 1 });
    await waitFor(() => (recorder.payload('hems/battery/command') === 'hold' ? true : undefined), 5000, 'hold from HA');
    expect(recorder.payload('hems/battery/reason')).toBe('set by hand: hold from Home Assistant');
    await waitFor(async () => ((await device.storage())[47077] === '0,0' ? true : undefined), 3000, 'hold on the device');
  });
});
