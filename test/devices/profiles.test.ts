import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../src/devices/validate-profile';
import { getProfile, PROFILES } from '../../src/devices/profiles';
import { planReads } from '../../src/devices/read-plan';

/** The contract every profile keeps; a new profile is checked by adding it to PROFILES. */
describe.each(Object.values(PROFILES))('profile $id', (profile) => {
  it('says where its facts come from', () => {
    expect(profile.source.length).toBeGreaterThan(20);
  });

  it('keeps the profile rules (canonical names once each, no overlaps, reads within limits)', () => {
    expect(validateProfile(profile)).toEqual([]);
  });

  it('is read within the device limits', () => {
    for (const request of planReads(profile.registers, profile.readRules)) {
      expect(request.count).toBeLessThanOrEqual(profile.readRules.maxRegistersPerRead);
      if (profile.readRules.evenAlignment) expect([request.address % 2, request.count % 2]).toEqual([0, 0]);
    }
  });
});

describe('request counts per poll', () => {
  // Pinned so that a profile or planner change that costs bus time shows up here.
  it.each([
    ['sdm630', 3],
    ['sdm120', 2],
    ['sdm72', 2],
    ['sdm72v2', 3],
    ['em24-e1', 8],
    ['em340', 8],
    ['emma', 5],
    ['sun2000', 2],
    ['sun2000-meter', 1],
    ['sun2000-battery', 2],
  ])('%s needs %d requests', (id, count) => {
    const profile = getProfile(id);
    expect(planReads(profile.registers, profile.readRules)).toHaveLength(count);
  });
});

/** Where public sources conflict (test/fixtures/README.md lists the conflicts), each profile's choice, pinned. */
describe('choices where sources conflict', () => {
  const register = (id: string, name: string) => getProfile(id).registers.find((r) => r.name === name);
  const readAddresses = (id: string) => {
    const profile = getProfile(id);
    return planReads(profile.registers, profile.readRules).flatMap((r) => Array.from({ length: r.count }, (_, i) => r.address + i));
  };

  it('EM24: the model code at 11 is never read on its own, only as the high word of voltage L3-L1', () => {
    expect(register('em24-e1', 'voltage_l3_l1_v')).toMatchObject({ address: 10, type: 'int32' });
    expect(getProfile('em24-e1').wordOrder).toBe('little');
    expect(getProfile('em24-e1').registers.filter((r) => r.address === 11)).toEqual([]);
  });

  it('EM340: the unverified 54, 56, 58 and 80 are neither published nor read', () => {
    expect(register('em340', 'reactive_energy_import_kvarh')).toBeUndefined();
    expect(register('em340', 'reactive_energy_export_kvarh')).toBeUndefined();
    expect(readAddresses('em340').filter((a) => [54, 55, 56, 57, 58, 59, 80, 81].includes(a))).toEqual([]);
  });

  it('EMMA: verified lifetime counters, int32 power factor, no daily counter, no unverified power or totals', () => {
    expect(register('emma', 'energy_import_kwh')).toMatchObject({ address: 30338, type: 'uint64', scale: 0.01 });
    expect(register('emma', 'energy_export_kwh')).toMatchObject({ address: 30332, type: 'uint64', scale: 0.01 });
    expect(register('emma', 'battery_discharge_energy_kwh')).toMatchObject({ address: 30314, type: 'uint64' });
    expect(register('emma', 'power_factor')).toMatchObject({ address: 31661, type: 'int32', scale: 0.001, sign: 'abs' });
    expect(register('emma', 'power_w')).toMatchObject({ address: 31657 });
    expect(register('emma', 'power_w')?.sign).toBeUndefined();
    const published = getProfile('emma').registers.map((r) => r.address);
    expect(published.filter((a) => [30312, 30358, 31679, 31687].includes(a))).toEqual([]);
  });

  it('SUN2000 meter: export-positive powers are negated, direction-signed currents and export energy are magnitudes', () => {
    for (const name of ['power_w', 'power_l1_w', 'power_l2_w', 'power_l3_w']) expect(register('sun2000-meter', name)?.sign).toBe('negate');
    for (const name of ['current_l1_a', 'current_l2_a', 'current_l3_a', 'energy_export_kwh']) expect(register('sun2000-meter', name)?.sign).toBe('abs');
  });

  it('Huawei SoC gains differ: 10 on the SUN2000, 100 on the EMMA', () => {
    expect(register('sun2000-battery', 'battery_soc_pct')).toMatchObject({ address: 37760, scale: 0.1 });
    expect(register('emma', 'battery_soc_pct')).toMatchObject({ address: 30368, scale: 0.01 });
  });

  it('Huawei: no read spans an address no public map defines', () => {
    expect(readAddresses('emma').filter((a) => [30352, 30353, 30366, 30367, 31659, 31660].includes(a))).toEqual([]);
    expect(readAddresses('sun2000-battery').filter((a) => a >= 37767 && a <= 37779)).toEqual([]);
  });

  it('SDM72 (first version): only the totals its Eastron documents list, nothing read in between', () => {
    expect(getProfile('sdm72').registers.map((r) => r.address)).toEqual([52, 72, 74]);
    expect(readAddresses('sdm72')).toEqual([52, 53, 72, 73, 74, 75]);
  });
});

describe('getProfile', () => {
  it('names the known profiles when asked for an unknown one', () => {
    expect(() => getProfile('sdm999')).toThrow(
      'unknown device profile "sdm999": choose one of sdm630, sdm120, sdm72, sdm72v2, em24-e1, em340, emma, sun2000, sun2000-meter, sun2000-battery',
    );
  });
});
