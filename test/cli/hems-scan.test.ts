/** `hems scan` on one simulated bus (pymodbus serving several unit ids) finds each device and the profile that reads it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer, waitFor, type ModbusPeer, type ModbusPeerSpec } from '../helpers/peers';
import { SUNSPEC_BATTERY, SUNSPEC_INVERTER, SUNSPEC_METER, sunspecBus } from '../fixtures/sunspec-devices';

const HEMS = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/** An SDM630 as the scan sees it: system type 3 (3P4W) at holding 10 (Eastron's map), a voltage at input 0. */
const SDM630_AT_6: ModbusPeerSpec = {
  units: [6],
  size: { input: 100, holding: 50 },
  registers: [
    { table: 'holding', address: 10, type: 'float32', value: 3 },
    { table: 'input', address: 0, type: 'float32', value: 230.1 },
  ],
};
/** Huawei's model name, ASCII in holding 30000… (huawei-sun2000.json model_name). */
const text = (address: number, value: string): ModbusPeerSpec['registers'] =>
  Array.from({ length: Math.ceil(value.length / 2) }, (_, i) => ({
    table: 'holding' as const,
    address: address + i,
    type: 'uint16' as const,
    value: (value.charCodeAt(2 * i) << 8) | (value.charCodeAt(2 * i + 1) || 0),
  }));
const SUN2000_AT_8: ModbusPeerSpec = { units: [8], size: { holding: 30100 }, registers: text(30000, 'SUN2000-10KTL-M1') };
/** Carlo Gavazzi's model code 1650 at input 11 (carlo-gavazzi-em24.json model_id). */
const EM24_AT_9: ModbusPeerSpec = { units: [9], size: { input: 20 }, registers: [{ table: 'input', address: 11, type: 'uint16', value: 1650 }] };
/** A unit that answers but is nothing we know. */
const UNKNOWN_AT_7: ModbusPeerSpec = { units: [7], size: { holding: 20 }, registers: [] };

const BUS = sunspecBus([SUNSPEC_INVERTER, SUNSPEC_METER, SUNSPEC_BATTERY], [SDM630_AT_6, UNKNOWN_AT_7, SUN2000_AT_8, EM24_AT_9]);
const EXPECTED = [
  'unit 1: SunSpec Fronius Symo 10.0-3-M (inverter 103) → profile sunspec (serial 31234567)',
  'unit 2: SunSpec Fronius Smart Meter TS 65A-3 (meter 203) → profile sunspec (serial 2200123)',
  'unit 3: SunSpec KACO blueplanet hybrid 10.0 TL3 (battery 124, battery 802) → profile sunspec (serial KB10-778)',
  'unit 6: Eastron SDM630 → profile sdm630 (an SDM72 with the same map reads as sdm72)',
  'unit 7: answers, not recognised (try a profile from `hems profiles`, or the generic profile)',
  'unit 8: Huawei SUN2000-10KTL-M1 → profile sun2000 (its grid meter and battery are read at the same unit with sun2000-meter and sun2000-battery)',
  'unit 9: Carlo Gavazzi EM24 Ethernet (EM24_E1) → profile em24-e1',
];

describe.skipIf(pymodbusSkipReason())('hems scan over TCP', () => {
  let peer: ModbusPeer;
  beforeAll(async () => {
    peer = await startModbusPeer(BUS);
  });
  afterAll(() => peer?.stop());

  it('finds the SunSpec inverter, meter and battery and the SDM630, each with its profile; silent units are left out', async () => {
    const { code, stdout, stderr } = await hems('scan', '--tcp', `127.0.0.1:${peer.port}`, '--units', '1-10', '--timeout', '0.3');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`scanning 127.0.0.1:${peer.port}: units 1-10, 0.3 s per silent unit (at most 3 s)`);
    expect(lines.slice(1)).toEqual(EXPECTED);
  });

  it('stops after the unit it is asking on Ctrl-C, and lists what it found so far', async () => {
    const child = spawn(process.execPath, [HEMS, 'scan', '--tcp', `127.0.0.1:${peer.port}`, '--units', '1,100-247', '--timeout', '0.3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // Once it says it is scanning it is at unit 1, then among 148 silent units (0.3 s each): Ctrl-C ends it there.
    await waitFor(() => stdout.startsWith('scanning'), 10_000, 'the scan to start');
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(1)).toEqual(['stopped: units after the last one asked were not scanned', EXPECTED[0]]);
  });

  it('says so when no unit answers', async () => {
    const { code, stdout } = await hems('scan', '--tcp', `127.0.0.1:${peer.port}`, '--units', '20,21', '--timeout', '0.1');
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').at(-1)).toBe('no unit answered');
  });
});

describe.skipIf(serialPeerSkipReason())('hems scan over RTU', () => {
  it('finds the same devices on a serial bus', async () => {
    const peer = await startSerialModbusPeer(BUS);
    try {
      const { code, stdout } = await hems('scan', '--rtu', peer.path, '--units', '1-9', '--timeout', '0.3');
      expect(code).toBe(0);
      expect(stdout.trim().split('\n').slice(1)).toEqual(EXPECTED);
    } finally {
      await peer.stop();
    }
  });
});

describe('hems scan arguments', () => {
  it('explains itself with --help', async () => {
    const { code, stdout } = await hems('scan', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('hems scan: find the devices on a Modbus bus');
    expect(stdout).toContain('--units 1-247');
  });

  it('names a bad unit range', async () => {
    const { code, stderr } = await hems('scan', '--tcp', '127.0.0.1:1', '--units', '5-300');
    expect(code).toBe(2);
    expect(stderr).toContain('--units "5-300": "5-300" is not a unit id or range from 0 to 247');
  });
});
