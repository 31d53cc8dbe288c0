import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/devices/profiles';
import { expectedValues, peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { errorsLogged, helper, hemsNodes, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { freePort, pymodbusSkipReason, startModbusPeer, waitFor, type ModbusPeer } from '../helpers/peers';

const peers: ModbusPeer[] = [];
runtimeAroundTests(async () => {
  while (peers.length) await peers.pop()!.stop();
});

function meterFlow(port: number, meter: Record<string, unknown> = {}) {
  return [
    { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port, timeoutMs: 300, retries: 0, interFrameDelayMs: 0 },
    { id: 'meter', type: 'hems-meter', bus: 'bus', profile: 'sdm630', unitId: 1, deviceId: 'grid', interval: 0.3, wires: [['out']], ...meter },
    { id: 'out', type: 'helper' },
  ];
}

describe('hems-meter: configuration errors', () => {
  it.each([
    [{ bus: '' }, 'no Modbus bus selected: open the node and pick or add a hems-modbus bus'],
    [{ profile: 'nope' }, `unknown device profile "nope": choose one of ${Object.keys(PROFILES).join(', ')}`],
    [{ unitId: 300 }, 'unit id 300 is not a Modbus address on this bus: use a whole number from 0 to 247'],
    [{ interval: 0.05 }, 'poll interval 0.05 s is too short: use 0.2 s or more'],
    [{ ctRatio: 0 }, 'CT ratio 0 must be a number above 0 (primary ÷ secondary, e.g. 100/5 = 20)'],
    [{ role: 'battery' }, 'role "battery" is not one of grid, consumption, production'],
    [{ profile: 'generic', genericProfile: { registers: [{ name: 'power', table: 'input', address: 0, type: 'float32' }] } }, 'generic profile: register input 0 (power): "power" is not a canonical measurement name (see docs: power_w, voltage_l1_v, energy_import_kwh …)'],
    [{ deviceId: 'site' }, 'device id "site" is reserved for the site device: choose another'],
    [{ deviceId: 'grid meter' }, 'device id "grid meter" may only contain letters, digits, "_" and "-" (Home Assistant ignores other topics); for example "grid_meter"'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(hemsNodes, meterFlow(1, override));
    const meter = helper.getNode('meter');
    expect(lastStatus(meter)).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('meter')).toEqual([`hems-meter "meter": ${text}`]);
  });
});

describe.skipIf(pymodbusSkipReason())('hems-meter against pymodbus', () => {
  it('emits readings with the canonical names and values, and shows them green', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port));
    const msg = await new Promise<{ topic: string; payload: { device: string; timestamp: string; values: Record<string, number> } }>((resolve) =>
      helper.getNode('out').on('input', resolve),
    );
    expect(msg.topic).toBe('grid');
    expect(msg.payload.device).toBe('grid');
    expect(Date.now() - Date.parse(msg.payload.timestamp)).toBeLessThan(5000);
    expect(msg.payload.values).toEqual(expectedValues(SDM630_CASE));
    expect(lastStatus(helper.getNode('meter'))).toMatchObject({ fill: 'green', shape: 'dot', text: expect.stringMatching(/^-210 W · \d\d:\d\d:\d\d$/) });
  });

  it('shows an unreachable device in red, and recovers by itself when it comes', async () => {
    const port = await freePort();
    const flow = meterFlow(port).map((n) => (n.id === 'meter' ? { ...n, wires: [['out'], ['alarms']] } : n));
    await helper.load(hemsNodes, [...flow, { id: 'alarms', type: 'helper' }]);
    const alarms: Array<{ payload: { change: string; alarm: { id: string; severity?: string; detail?: string } } }> = [];
    helper.getNode('alarms').on('input', (m: (typeof alarms)[number]) => alarms.push(m));
    const meter = helper.getNode('meter');
    await waitFor(() => lastStatus(meter)?.fill === 'red', 3000, 'red status');
    expect(lastStatus(meter)?.text).toMatch(`cannot connect to 127.0.0.1:${port}`);
    expect(errorsLogged('meter')[0]).toMatch(`grid: cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
    peers.push(await startModbusPeer(peerSpecFor(SDM630_CASE), port));
    await waitFor(() => lastStatus(meter)?.fill === 'green', 5000, 'green status after the device came');
    await waitFor(() => alarms.length === 2, 2000, 'the alarm raised and cleared');
    expect(alarms.map((m) => [m.payload.change, m.payload.alarm.id])).toEqual([['raised', 'device_communication'], ['cleared', 'device_communication']]);
    expect(alarms[0].payload.alarm.severity).toBe('major');
    expect(alarms[0].payload.alarm.detail).toContain(`cannot connect to 127.0.0.1:${port}`);
  });

  it('shows a Modbus exception on part of the registers in yellow with what to check, and recovers when the device answers again', async () => {
    const spec = peerSpecFor(SDM630_CASE);
    const broken = await startModbusPeer({ ...spec, size: { input: 100 }, registers: spec.registers.filter((r) => r.address < 100) });
    await helper.load(hemsNodes, meterFlow(broken.port));
    const meter = helper.getNode('meter');
    // Registers 0..79 answer, 200.. and 346.. raise exception 2: part of the values is missing.
    await waitFor(() => lastStatus(meter)?.fill === 'yellow' && lastStatus(meter)?.shape === 'dot', 3000, 'yellow dot: partly read');
    expect(lastStatus(meter)?.text).toMatch(/^-210 W · 16 missing · /);
    expect(errorsLogged('meter')[0]).toMatch('Modbus exception 2 (illegal data address');
    await broken.stop();
    peers.push(await startModbusPeer(spec, broken.port));
    await waitFor(() => lastStatus(meter)?.fill === 'green', 5000, 'green status after the device was fixed');
  });

  it('shows a wrong unit id in red, and recovers when a device answers at that id', async () => {
    const first = await startModbusPeer(peerSpecFor(SDM630_CASE, [1]));
    await helper.load(hemsNodes, meterFlow(first.port, { unitId: 7 }));
    const meter = helper.getNode('meter');
    await waitFor(() => lastStatus(meter)?.fill === 'red', 3000, 'red status');
    expect(lastStatus(meter)?.text).toBe(`127.0.0.1:${first.port} unit 7 input registers 0..79: no answer within 300 ms; is the unit id right and the device on?`);
    await first.stop();
    peers.push(await startModbusPeer(peerSpecFor(SDM630_CASE, [1, 7]), first.port));
    await waitFor(() => lastStatus(meter)?.fill === 'green', 5000, 'green status once unit 7 answers');
  });

  it('shows a Modbus exception on every request in red', async () => {
    const peer = await startModbusPeer({ units: [1], size: { input: 10 }, registers: [] });
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port));
    const meter = helper.getNode('meter');
    await waitFor(() => lastStatus(meter)?.fill === 'red', 3000, 'red status');
    expect(lastStatus(meter)).toEqual({
      fill: 'red',
      shape: 'ring',
      text: `127.0.0.1:${peer.port} unit 1 input registers 0..79: Modbus exception 2 (illegal data address: the device does not have these registers; check the profile and unit id)`,
    });
  });

  it('applies the CT ratio and the value selection', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port, { ctRatio: 2, publish: 'power_w, current_l1_a, voltage_l1_v' }));
    const msg = await new Promise<{ payload: { values: Record<string, number> } }>((resolve) => helper.getNode('out').on('input', resolve));
    expect(msg.payload.values).toEqual({ power_w: -420.5, current_l1_a: 10.5, voltage_l1_v: 230.1 });
  });

  it('flags likely wiring errors once, on the status and with the reading', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port, { role: 'consumption' }));
    const msg = await new Promise<{ installation: Array<{ message: string }> }>((resolve) => helper.getNode('out').on('input', resolve));
    expect(msg.installation.map((f) => f.message)).toEqual(['L1 power is -1151 W on a consumption meter: the CT on L1 is reversed (or this channel measures generation)']);
    const meter = helper.getNode('meter');
    await waitFor(() => lastStatus(meter)?.text?.includes('check wiring (1)'), 3000, 'a wiring warning on the status');
    const warnings = helper.log().args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0]).filter((e: { level: number; id: string }) => e.level === 30 && e.id === 'meter');
    expect(warnings.map((w: { msg: unknown }) => w.msg)).toEqual(['grid: installation check:\nL1 power is -1151 W on a consumption meter: the CT on L1 is reversed (or this channel measures generation)']);
  });

  it('reads a meter through a generic profile filled in the editor', async () => {
    const peer = await startModbusPeer({ units: [1], size: { holding: 60 }, registers: [{ table: 'holding', address: 40, type: 'int16', value: -1500 }, { table: 'holding', address: 41, type: 'uint16', value: 2301 }] });
    peers.push(peer);
    const genericProfile = {
      name: 'Heat pump meter', maxRegistersPerRead: '10', maxGapRegisters: '0',
      registers: [
        { name: 'power_w', table: 'holding', address: '40', type: 'int16', scale: '', sign: 'negate' },
        { name: 'voltage_l1_v', table: 'holding', address: '41', type: 'uint16', scale: '0.1', sign: '' },
      ],
    };
    await helper.load(hemsNodes, meterFlow(peer.port, { profile: 'generic', genericProfile }));
    const msg = await new Promise<{ payload: { values: Record<string, number> } }>((resolve) => helper.getNode('out').on('input', resolve));
    expect(msg.payload.values).toEqual({ power_w: 1500, voltage_l1_v: 230.1 });
  });

  it('reads on demand when a message arrives', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port, { interval: 3600 }));
    const out = helper.getNode('out');
    const received: unknown[] = [];
    out.on('input', (m: unknown) => received.push(m));
    await waitFor(() => received.length === 1, 3000, 'first poll');
    helper.getNode('meter').receive({ payload: 'now' });
    await waitFor(() => received.length === 2, 3000, 'reading on demand');
  });

  it('answers a burst of read requests from the one poll already running, never a poll per message', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    await helper.load(hemsNodes, meterFlow(peer.port, { interval: 3600 }));
    const received: Array<{ payload: { timestamp: string } }> = [];
    helper.getNode('out').on('input', (m: (typeof received)[number]) => received.push(m));
    await waitFor(() => received.length === 1, 3000, 'first poll');
    const meter = helper.getNode('meter');
    for (let i = 0; i < 500; i++) meter.receive({ payload: i });
    await waitFor(() => received.length === 501, 10_000, 'an answer to every message');
    // A poll of the SDM630 takes several requests of a millisecond or more each: each poll has its own time.
    const polls = new Set(received.slice(1).map((m) => m.payload.timestamp));
    expect(polls.size).toBeLessThanOrEqual(2);
  });
});
