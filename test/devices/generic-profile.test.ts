import { describe, expect, it } from 'vitest';
import { buildGenericProfile } from '../../src/devices/generic-profile';
import { planProfile } from '../../src/devices/read-device';

describe('buildGenericProfile', () => {
  it('builds a profile from rows as the editor saves them (numbers as text)', () => {
    const built = buildGenericProfile({
      name: 'Heat pump meter',
      maxRegistersPerRead: '60',
      maxGapRegisters: '4',
      registers: [
        { name: 'power_w', table: 'holding', address: '100', type: 'int32', scale: '0.1', sign: 'negate' },
        { name: 'energy_import_kwh', table: 'holding', address: '104', type: 'uint32', scale: 0.01 },
      ],
    });
    if (!('profile' in built)) throw new Error(built.errors.join('; '));
    expect(built.profile.registers).toEqual([
      { name: 'power_w', table: 'holding', address: 100, type: 'int32', scale: 0.1, sign: 'negate' },
      { name: 'energy_import_kwh', table: 'holding', address: 104, type: 'uint32', scale: 0.01 },
    ]);
    expect(planProfile(built.profile).map((r) => [r.address, r.count])).toEqual([[100, 6]]);
  });

  it.each([
    [[], 'the generic profile has no registers: add at least one (address, type, canonical name)'],
    [[{ name: 'watts', table: 'input', address: 0, type: 'float32' }], 'register input 0 (watts): "watts" is not a canonical measurement name'],
    [[{ name: 'power_w', table: 'input', address: 0, type: 'float32' }, { name: 'power_l1_w', table: 'input', address: 1, type: 'uint16' }], 'register input 1 (power_l1_w) overlaps power_w at input 1'],
    [[{ name: 'power_w', table: 'input', address: 'x', type: 'float32' }], 'register input NaN (power_w): address must be a whole number from 0 to 65535'],
    [[{ name: 'power_w', table: 'input', address: 0, type: 'float32', scale: 0 }], 'register input 0 (power_w): scale 0 must be a number other than 0'],
    [[{ name: 'power_w', table: 'input', address: 0, type: 'float64' }], 'register input 0 (power_w): type "float64" is not one of uint16, int16, uint32, int32, float32, uint64'],
  ] as const)('%j is refused with what to fix', (registers, message) => {
    const built = buildGenericProfile({ registers: registers as never });
    expect('errors' in built && built.errors.join('; ')).toContain(message);
  });
});
