/** `hems profiles` lists the sources issue 17 added (SunSpec, Smappee, Carlo Gavazzi EMS AV2), each with its node and its source of facts. */
import { describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';

describe('hems profiles: every source', () => {
  it('lists Modbus profiles and the other sources with the node that reads them and a source', async () => {
    const { code, stdout } = await hems('profiles', '--json');
    expect(code).toBe(0);
    const all = JSON.parse(stdout) as Array<{ id: string; node: string; source: string }>;
    const byId = new Map(all.map((s) => [s.id, s]));
    expect(byId.size).toBe(all.length);
    for (const [id, node] of [
      ['sunspec', 'hems-meter'],
      ['sunspec-inverter', 'hems-meter'],
      ['sunspec-meter', 'hems-meter'],
      ['sunspec-battery', 'hems-meter'],
      ['smappee-genius', 'hems-mqtt-meter'],
      ['smappee-plug', 'hems-relay'],
      ['smappee-connect', 'hems-meter'],
      ['ems-av2', 'hems-mqtt-meter'],
    ]) {
      expect(byId.get(id)?.node, id).toBe(node);
    }
    expect(byId.get('sunspec')?.source).toContain('sunspec/models');
    expect(byId.get('smappee-genius')?.source).toContain('pysmappee');
    expect(byId.get('ems-av2')?.source).toMatch(/^No Modbus map and no MQTT payload description of the EMS AV2 is public/);
  });

  it('prints them for people, in two sections', async () => {
    const { stdout } = await hems('profiles');
    expect(stdout).toMatch(/^Modbus profiles \(hems-meter, hems live --profile ID\):\n/);
    expect(stdout).toContain('\nOther sources:\n');
    expect(stdout).toContain('smappee-genius   Smappee Infinity Genius (hems-mqtt-meter)');
  });
});
