/**
 * hems-modbus in Node-RED's test helper, over TCP and RTU: what a user sees on the meter nodes
 * that share a bus when a device is partly readable, silent, or back; configuration errors; saved
 * flows from before RTU; and the editor form matching what the runtime accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src/devices/profiles';
import { SERIAL_CHOICES } from '../../src/io/serial-line';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { TRANSPORT_CASES, type RunningPeer } from '../helpers/modbus-transports';
import { errorsLogged, helper, hemsNodes, lastStatus, runtimeAroundTests } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor } from '../helpers/peers';

const ROOT = join(__dirname, '..', '..');
const INTERVAL_S = 0.5;
const peers: Array<{ stop(): Promise<void> }> = [];
runtimeAroundTests(async () => {
  while (peers.length) await peers.pop()!.stop();
});

interface Reading {
  payload: { device: string; values: Record<string, number>; quality?: Record<string, string> };
}

function busFlow(bus: Record<string, unknown>, meters: Array<{ id: string; unitId: number }>) {
  return [
    { id: 'bus', type: 'hems-modbus', timeoutMs: 300, retries: 0, interFrameDelayMs: 0, ...bus },
    // Node ids differ from device ids: Node-RED takes a property equal to a node id for a reference to it.
    ...meters.flatMap(({ id, unitId }) => [
      { id, type: 'hems-meter', bus: 'bus', profile: 'sdm630', unitId, deviceId: `${id}_device`, interval: INTERVAL_S, wires: [[`${id}_out`]] },
      { id: `${id}_out`, type: 'helper' },
    ]),
  ];
}

function collect(nodeId: string): Reading[] {
  const received: Reading[] = [];
  helper.getNode(nodeId).on('input', (msg: Reading) => received.push(msg));
  return received;
}

describe.each(TRANSPORT_CASES)('hems-modbus over $name', (transportCase) => {
  async function start(spec = peerSpecFor(SDM630_CASE, [1, 2])): Promise<RunningPeer> {
    const running = await transportCase.start(spec);
    peers.push(running.peer);
    return running;
  }

  it.skipIf(transportCase.skipReason)('names the values it could not read in quality, and shows them in yellow', async () => {
    const spec = peerSpecFor(SDM630_CASE);
    // Registers from 100 up answer with Modbus exception 2.
    const running = await start({ ...spec, size: { input: 100 }, registers: spec.registers.filter((r) => r.address < 100) });
    await helper.load(hemsNodes, busFlow(running.nodeConfig, [{ id: 'grid', unitId: 1 }]));
    const out = collect('grid_out');
    await waitFor(() => out.length > 0, 5000, 'a reading');
    const { values, quality } = out[0].payload;
    const unreadable = getProfile('sdm630').registers.filter((r) => r.address >= 100).map((r) => r.name);
    expect(Object.keys(quality ?? {}).sort()).toEqual(unreadable.sort());
    expect(Object.keys(values).some((name) => unreadable.includes(name))).toBe(false);
    expect(Object.values(quality ?? {})[0]).toMatch(/: Modbus exception 2 \(illegal data address/);
    expect(lastStatus(helper.getNode('grid'))).toMatchObject({ fill: 'yellow', shape: 'dot', text: expect.stringContaining(`${unreadable.length} missing`) });
  });

  it.skipIf(transportCase.skipReason)(
    'keeps reading the other meter while one device is silent, and turns the silent one green within two polls of its return',
    async () => {
      const running = await start();
      await running.peer.silence(2);
      await helper.load(hemsNodes, busFlow(running.nodeConfig, [{ id: 'grid', unitId: 1 }, { id: 'heat_pump', unitId: 2 }]));
      const grid = collect('grid_out');
      const heatPump = helper.getNode('heat_pump');
      await waitFor(() => lastStatus(heatPump)?.fill === 'red', 3000, 'red status of the silent meter');
      expect(lastStatus(heatPump)?.text).toMatch(/unit 2 input registers 0\.\.79: no answer within 300 ms; is the unit id right/);
      expect(errorsLogged('heat_pump')).toHaveLength(1);

      const counted = grid.length;
      await new Promise((r) => setTimeout(r, 2000));
      // 2 s at one poll per 0.5 s: the silent meter costs one timeout per poll, not one per request.
      expect(grid.length - counted).toBeGreaterThanOrEqual(3);
      expect(grid.at(-1)?.payload.quality).toBeUndefined();
      expect(lastStatus(helper.getNode('grid'))?.fill).toBe('green');

      await running.peer.answer(2);
      const returnedAt = Date.now();
      await waitFor(() => lastStatus(heatPump)?.fill === 'green', 3000, 'green status after the device returned');
      expect(Date.now() - returnedAt).toBeLessThanOrEqual(2 * INTERVAL_S * 1000);
    },
  );
});

describe('hems-modbus configuration', () => {
  it('shows a wrong serial setting on every meter of the bus, naming the value and the choices', async () => {
    await helper.load(hemsNodes, busFlow({ transport: 'rtu', serialPath: '/dev/ttyUSB0', baudRate: 1234, parity: 'none', dataBits: 8, stopBits: 1 }, [{ id: 'grid', unitId: 1 }]));
    const text = 'hems-modbus "bus": baud rate "1234" is not supported: use one of 2400, 4800, 9600, 19200, 38400, 57600, 115200';
    expect(errorsLogged('bus')).toEqual([text]);
    await waitFor(() => lastStatus(helper.getNode('grid'))?.fill === 'red', 3000, 'red status');
    expect(lastStatus(helper.getNode('grid'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
  });

  it('refuses an unknown transport', async () => {
    await helper.load(hemsNodes, busFlow({ transport: 'udp' }, [{ id: 'grid', unitId: 1 }]));
    expect(errorsLogged('bus')).toEqual(['hems-modbus "bus": transport "udp" is unknown: choose tcp or rtu']);
  });

  it.skipIf(pymodbusSkipReason())('reads over TCP with a bus saved before RTU existed (no transport property)', async () => {
    const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
    peers.push(peer);
    const demo = JSON.parse(readFileSync(join(ROOT, 'flows', 'demo-meter-to-ha.json'), 'utf8')) as Array<Record<string, unknown>>;
    const { id: _id, type: _type, ...savedBus } = demo.find((n) => n.type === 'hems-modbus')!;
    expect(savedBus).not.toHaveProperty('transport');
    await helper.load(hemsNodes, busFlow({ ...savedBus, port: peer.port }, [{ id: 'grid', unitId: 1 }]));
    await waitFor(() => lastStatus(helper.getNode('grid'))?.fill === 'green', 5000, 'green status');
  });
});

describe('hems-modbus editor', () => {
  const html = readFileSync(join(ROOT, 'nodes', 'hems-modbus.html'), 'utf8');
  const locale = JSON.parse(readFileSync(join(ROOT, 'nodes', 'locales', 'en-US', 'hems-modbus.json'), 'utf8'))['hems-modbus'];
  const fields = ['name', 'transport', 'host', 'port', 'serialPath', 'baudRate', 'parity', 'dataBits', 'stopBits', 'timeoutMs', 'retries', 'interFrameDelayMs'];
  const options = (id: string) => [...html.matchAll(new RegExp(`id="node-config-input-${id}"[^>]*>([\\s\\S]*?)</select>`, 'g'))][0][1].match(/value="([^"]+)"/g)!.map((v) => v.slice(7, -1));

  it.each(fields)('has a default, a form field and a label for %s', (field) => {
    expect(html).toMatch(new RegExp(`\\n\\s+${field}: \\{`));
    expect(html).toContain(`id="node-config-input-${field}"`);
    expect(locale.label[field]).toBeTruthy();
  });

  it('offers exactly the serial settings the runtime accepts', () => {
    expect(options('transport')).toEqual(['tcp', 'rtu']);
    expect(options('baudRate').map(Number)).toEqual([...SERIAL_CHOICES.baudRate]);
    expect(options('parity')).toEqual([...SERIAL_CHOICES.parity]);
    expect(options('dataBits').map(Number).sort()).toEqual([...SERIAL_CHOICES.dataBits]);
    expect(options('stopBits').map(Number)).toEqual([...SERIAL_CHOICES.stopBits]);
  });

  it('has help whose first paragraph makes the tooltip, then Details', () => {
    const help = readFileSync(join(ROOT, 'nodes', 'locales', 'en-US', 'hems-modbus.html'), 'utf8');
    expect(help).toMatch(/^[^>]*>\s*<p>A Modbus bus shared by every device on it, over TCP or an RS485 serial line \(RTU\)/);
    expect(help).toContain('<h3>Details</h3>');
  });
});
