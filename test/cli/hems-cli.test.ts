import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { expectedValues, peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { freePort, pymodbusSkipReason, startModbusPeer, type ModbusPeer } from '../helpers/peers';


describe('hems profiles', () => {
  it('lists every profile with its source', async () => {
    const { code, stdout } = await hems('profiles', '--json');
    expect(code).toBe(0);
    const profiles = JSON.parse(stdout);
    expect(profiles.map((p: { id: string }) => p.id)).toContain('sdm630');
    expect(profiles.find((p: { id: string }) => p.id === 'sdm630').source).toMatch('eastron-sdm630.json');
  });
});

describe('hems live: usage errors', () => {
  it.each([
    [['live', '--tcp', '127.0.0.1:502'], '--profile is required: see `hems profiles` for the list'],
    [['live', '--profile', 'sdm999', '--tcp', '127.0.0.1:502'], 'unknown device profile "sdm999": choose one of sdm630'],
    [['live', '--profile', 'sdm630', '--tcp', 'localhost'], '--tcp "localhost" is not HOST:PORT, for example --tcp 192.168.1.50:502'],
    [['live', '--profile', 'sdm630', '--tcp', '127.0.0.1:502', '--unit', '248'], '--unit 248 must be a number from 0 to 247'],
    [['live', '--profile', 'sdm630', '--rtu', '/dev/ttyUSB0', '--unit', '0'], '--unit 0 must be a number from 1 to 247'],
    [['fly'], 'unknown command "fly"'],
  ])('%j', async (args, message) => {
    const { code, stderr } = await hems(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(`hems: ${message}`);
  });
});

describe.skipIf(pymodbusSkipReason())('hems live against pymodbus', () => {
  let peer: ModbusPeer;
  beforeAll(async () => {
    peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
  });
  afterAll(() => peer?.stop());

  it('--json prints { device, timestamp, values } with canonical names', async () => {
    const { code, stdout } = await hems('live', '--profile', 'sdm630', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '1', '--once', '--json');
    expect(code).toBe(0);
    const reading = JSON.parse(stdout);
    expect(Object.keys(reading)).toEqual(['device', 'timestamp', 'values']);
    expect(reading.device).toBe('sdm630_1');
    expect(reading.values).toEqual(expectedValues(SDM630_CASE));
  });

  it('prints a per-phase table for people', async () => {
    const { code, stdout } = await hems('live', '--profile', 'sdm630', '--tcp', `127.0.0.1:${peer.port}`, '--once');
    expect(code).toBe(0);
    const row = (label: string) => stdout.split('\n').find((l) => l.startsWith(label))?.split(/\s{2,}/);
    expect(row('P (W)')).toEqual(['P (W)', '-1151', '780', '160', '-210']);
    expect(row('V L-N (V)')).toEqual(['V L-N (V)', '230.1', '229.4', '231.7']);
    expect(row('PF')).toEqual(['PF', '0.95', '0.97', '0.93', '0.10']);
    expect(row('Hz')?.at(-1)).toBe('49.98');
  });

  it('says why when the device does not answer, and exits 1', async () => {
    const port = await freePort();
    const { code, stdout } = await hems('live', '--profile', 'sdm630', '--tcp', `127.0.0.1:${port}`, '--once');
    expect(code).toBe(1);
    expect(stdout).toContain(`cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
  });
});
