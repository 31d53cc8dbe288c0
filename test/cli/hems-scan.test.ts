/** `hems scan` on one simulated bus (pymodbus serving several unit ids) finds each device and the profile that reads it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer, type ModbusPeer, type ModbusPeerSpec } from '../helpers/peers';
import { SUNSPEC_BATTERY, SUNSPEC_INVERTER, SUNSPEC_METER, sunspecBus } from '../fixtures/sunspec-devices';

/** An SDM630 as the scan sees it: system type 3 (3P4W) at holding 10 (Eastron's map), a voltage at input 0. */
const SDM630_AT_6: ModbusPeerSpec = {
  units: [6],
  size: { input: 100, holding: 50 },
  registers: [
    { table: 'holding', address: 10, type: 'float32', value: 3 },
    { table: 'input', address: 0, type: 'float32', value: 230.1 },
  ],
};
/** A unit that answers but is nothing we know. */
const UNKNOWN_AT_7: ModbusPeerSpec = { units: [7], size: { holding: 20 }, registers: [] };

const BUS = sunspecBus([SUNSPEC_INVERTER, SUNSPEC_METER, SUNSPEC_BATTERY], [SDM630_AT_6, UNKNOWN_AT_7]);
const EXPECTED = [
  'unit 1: SunSpec Fronius Symo 10.0-3-M (inverter 103) → profile sunspec (serial 31234567)',
  'unit 2: SunSpec Fronius Smart Meter TS 65A-3 (meter 203) → profile sunspec (serial 2200123)',
  'unit 3: SunSpec KACO blueplanet hybrid 10.0 TL3 (battery 124, battery 802) → profile sunspec (serial KB10-778)',
  'unit 6: Eastron SDM630 → profile sdm630 (an SDM72 with the same map reads as sdm72)',
  'unit 7: answers, not recognised (try a profile from `hems profiles`, or the generic profile)',
];

describe.skipIf(pymodbusSkipReason())('hems scan over TCP', () => {
  let peer: ModbusPeer;
  beforeAll(async () => {
    peer = await startModbusPeer(BUS);
  });
  afterAll(() => peer?.stop());

  it('finds the SunSpec inverter, meter and battery and the SDM630, each with its profile; silent units are left out', async () => {
    const { code, stdout, stderr } = await hems('scan', '--tcp', `127.0.0.1:${peer.port}`, '--units', '1-8', '--timeout', '0.3');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`scanning 127.0.0.1:${peer.port}: units 1-8, 0.3 s per silent unit (at most 3 s)`);
    expect(lines.slice(1)).toEqual(EXPECTED);
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
      const { code, stdout } = await hems('scan', '--rtu', peer.path, '--units', '1-7', '--timeout', '0.3');
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
