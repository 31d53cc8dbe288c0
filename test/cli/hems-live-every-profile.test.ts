/** `hems live --json` reads every profile over TCP and over RTU (socat pty pair), values as expected; and a generic profile from a file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { expectedValues, peerSpecFor, PROFILE_CASES } from '../fixtures/profile-cases';
import { pymodbusSkipReason, serialPeerSkipReason, startModbusPeer, startSerialModbusPeer } from '../helpers/peers';


describe.skipIf(pymodbusSkipReason())('hems live over TCP, every profile', () => {
  it.each(PROFILE_CASES.map((c) => [c.profileId, c] as const))('%s', async (_id, profileCase) => {
    const peer = await startModbusPeer(peerSpecFor(profileCase));
    try {
      const { code, stdout, stderr } = await hems('live', '--profile', profileCase.profileId, '--tcp', `127.0.0.1:${peer.port}`, '--unit', '1', '--once', '--json');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout).values).toEqual(expectedValues(profileCase));
    } finally {
      await peer.stop();
    }
  });
});

describe.skipIf(serialPeerSkipReason())('hems live over RTU, every profile', () => {
  it.each(PROFILE_CASES.map((c) => [c.profileId, c] as const))('%s', async (_id, profileCase) => {
    const peer = await startSerialModbusPeer(peerSpecFor(profileCase));
    try {
      const { code, stdout } = await hems('live', '--profile', profileCase.profileId, '--rtu', peer.path, '--baud', '9600', '--unit', '1', '--once', '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout).values).toEqual(expectedValues(profileCase));
    } finally {
      await peer.stop();
    }
  });
});

describe.skipIf(pymodbusSkipReason())('Huawei EMMA at its unit id 0 over TCP', () => {
  it('reads it', async () => {
    const emma = PROFILE_CASES.find((c) => c.profileId === 'emma')!;
    const peer = await startModbusPeer(peerSpecFor(emma, [0]));
    try {
      const { code, stdout } = await hems('live', '--profile', 'emma', '--tcp', `127.0.0.1:${peer.port}`, '--unit', '0', '--once', '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout).values).toEqual(expectedValues(emma));
    } finally {
      await peer.stop();
    }
  });
});

describe.skipIf(pymodbusSkipReason())('hems live --profile-file', () => {
  let peer: Awaited<ReturnType<typeof startModbusPeer>>;
  const dir = mkdtempSync(join(tmpdir(), 'hems-generic-'));
  beforeAll(async () => {
    peer = await startModbusPeer({
      units: [1],
      size: { holding: 200 },
      registers: [
        { table: 'holding', address: 100, type: 'int32', value: 12345 },
        { table: 'holding', address: 104, type: 'uint32', value: 987654 },
      ],
    });
  });
  afterAll(() => peer?.stop());

  it('reads a meter described in a JSON file, scale and sign applied', async () => {
    const file = join(dir, 'heat-pump-meter.json');
    writeFileSync(file, JSON.stringify({
      name: 'Heat pump meter',
      registers: [
        { name: 'power_w', table: 'holding', address: 100, type: 'int32', scale: 0.1, sign: 'negate' },
        { name: 'energy_import_kwh', table: 'holding', address: 104, type: 'uint32', scale: 0.01 },
      ],
    }));
    const { code, stdout } = await hems('live', '--profile-file', file, '--tcp', `127.0.0.1:${peer.port}`, '--once', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).values).toEqual({ power_w: -1234.5, energy_import_kwh: 9876.54 });
  });

  it('names what is wrong in the file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ registers: [{ name: 'watt', table: 'input', address: 0, type: 'float32' }] }));
    const { code, stderr } = await hems('live', '--profile-file', file, '--tcp', `127.0.0.1:${peer.port}`, '--once');
    expect(code).toBe(2);
    expect(stderr).toContain(`hems: --profile-file ${file}: register input 0 (watt): "watt" is not a canonical measurement name`);
  });
});
