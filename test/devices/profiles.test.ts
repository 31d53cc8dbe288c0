import { describe, expect, it } from 'vitest';
import { MEASUREMENTS } from '../../src/engine/measurements';
import { REGISTER_WORDS } from '../../src/devices/profile';
import { getProfile, PROFILES } from '../../src/devices/profiles';
import { planReads } from '../../src/devices/read-plan';

/** The contract every profile keeps; a new profile is checked by adding it to PROFILES. */
describe.each(Object.values(PROFILES))('profile $id', (profile) => {
  it('says where its facts come from', () => {
    expect(profile.source.length).toBeGreaterThan(20);
  });

  it('uses canonical measurement names, each once', () => {
    const names = profile.registers.map((r) => r.name);
    expect(names.filter((n) => !(n in MEASUREMENTS))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has no two registers sharing an address', () => {
    const words = profile.registers.flatMap((r) => Array.from({ length: REGISTER_WORDS[r.type] }, (_, i) => `${r.table}:${r.address + i}`));
    expect(new Set(words).size).toBe(words.length);
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
  it.each([['sdm630', 3]])('%s needs %d requests', (id, count) => {
    const profile = getProfile(id);
    expect(planReads(profile.registers, profile.readRules)).toHaveLength(count);
  });
});

describe('getProfile', () => {
  it('names the known profiles when asked for an unknown one', () => {
    expect(() => getProfile('sdm999')).toThrow('unknown device profile "sdm999": choose one of sdm630');
  });
});
