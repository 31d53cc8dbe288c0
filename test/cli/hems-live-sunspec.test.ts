/** `hems live --profile sunspec` reads SunSpec devices laid out from the SunSpec model definitions by an independent pymodbus peer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { freePort, pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer, type ModbusPeer } from '../helpers/peers';
import { SUNSPEC_CASES, SUNSPEC_METER, sunspecBus } from '../fixtures/sunspec-devices';

describe.skipIf(pymodbusSkipReason())('hems live --profile sunspec over TCP', () => {
  let peer: ModbusPeer;
  beforeAll(async () => {
    peer = await startModbusPeer(sunspecBus(SUNSPEC_CASES, [{ units: [9], size: { holding: 10 }, registers: [] }]));
  });
  afterAll(() => peer?.stop());

  it.each(SUNSPEC_CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const { code, stdout, stderr } = await hems('live', '--profile', 'sunspec', '--tcp', `127.0.0.1:${peer.port}`, '--unit', String(c.unit), '--once', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const reading = JSON.parse(stdout);
    expect(reading.values).toEqual(c.expected);
    expect(reading.quality).toBeUndefined();
  });

  it('reads one kind of a device with sunspec-meter, and says when the device has none', async () => {
    const meter = await hems('live', '--profile', 'sunspec-meter', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '2', '--once', '--json');
    expect(JSON.parse(meter.stdout).values).toEqual(SUNSPEC_METER.expected);
    const none = await hems('live', '--profile', 'sunspec-meter', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '1', '--once');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('Fronius Symo 10.0-3-M has no meter model this reader maps (models found: 1, 103');
  });

  it('says what it found, for people', async () => {
    const { code, stdout } = await hems('live', '--profile', 'sunspec', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '3', '--once');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      'KACO blueplanet hybrid 10.0 TL3: any SunSpec inverter, meter or battery (Fronius, SMA, SolarEdge, Kostal, KACO…): ' +
        'the registers are found on the device; found at 40000: models 1, 124, 802, read 124, 802, serial KB10-778',
    );
    expect(stdout).toContain('battery_soc_pct');
  });

  it('says where it looked when a unit is no SunSpec device', async () => {
    const { code, stdout } = await hems('live', '--profile', 'sunspec', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '9', '--once');
    expect(code).toBe(1);
    expect(stdout).toMatch(/unit 9 is no SunSpec device \(looked for "SunS" at 40000: .*; 50000: .*; 0: no "SunS" marker\)/);
  });
});

describe('hems live --profile sunspec without a device', () => {
  it('says it cannot connect, not that the device is no SunSpec device', async () => {
    const { code, stdout } = await hems('live', '--profile', 'sunspec', '--tcp', `127.0.0.1:${await freePort()}`, '--once');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^sunspec_1 at \S+: cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});

describe.skipIf(serialPeerSkipReason())('hems live --profile sunspec over RTU', () => {
  let peer: Awaited<ReturnType<typeof startSerialModbusPeer>>;
  beforeAll(async () => {
    peer = await startSerialModbusPeer(sunspecBus());
  });
  afterAll(() => peer?.stop());

  it.each(SUNSPEC_CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const { code, stdout } = await hems('live', '--profile', 'sunspec', '--rtu', peer.path, '--unit', String(c.unit), '--once', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).values).toEqual(c.expected);
  });
});
