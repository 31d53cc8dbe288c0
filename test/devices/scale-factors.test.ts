/** Registers scaled by a scale-factor register (SunSpec sunssf): read in the same plan, 10^sf applied, failures named. */
import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../../src/devices/profile';
import { planProfile, readDevice, type RegisterReader } from '../../src/devices/read-device';

const profile: DeviceProfile = {
  id: 'sf',
  manufacturer: 'test',
  model: 'scale factors',
  description: 'two values sharing a scale factor far away, one with its own',
  source: 'made up for the test',
  defaultUnitId: 1,
  wordOrder: 'big',
  noValue: { int16: -0x8000 },
  readRules: { maxRegistersPerRead: 10, maxGapRegisters: 2, evenAlignment: false },
  registers: [
    { name: 'voltage_l1_v', table: 'holding', address: 100, type: 'uint16', scaleFactorAddress: 120 },
    { name: 'voltage_l2_v', table: 'holding', address: 101, type: 'uint16', scaleFactorAddress: 120 },
    { name: 'power_w', table: 'holding', address: 102, type: 'int16', scaleFactorAddress: 103 },
    { name: 'energy_import_kwh', table: 'holding', address: 104, type: 'uint32', scale: 0.001, noValue: 0, scaleFactorAddress: 103 },
  ],
};

function reader(words: Record<number, number>, failing: number[] = []): RegisterReader & { asked: Array<[number, number]> } {
  const asked: Array<[number, number]> = [];
  return {
    asked,
    async readRegisters(_unit, _table, address, count) {
      asked.push([address, count]);
      if (failing.some((a) => a >= address && a < address + count)) throw new Error('exception 2');
      return Array.from({ length: count }, (_, i) => words[address + i] ?? 0);
    },
  };
}

describe('scale-factor registers', () => {
  it('are planned once each, next to the values where they fit', () => {
    const plan = planProfile(profile);
    expect(plan.map((r) => [r.address, r.count])).toEqual([[100, 6], [120, 1]]);
  });

  it('scale their values by 10^sf, negative and positive', async () => {
    const r = reader({ 100: 2301, 101: 2299, 102: -150, 103: 1, 104: 0, 105: 54321, 120: 0xffff });
    const result = await readDevice(r, profile, 1);
    expect(result.values).toEqual({ voltage_l1_v: 230.1, voltage_l2_v: 229.9, power_w: -1500, energy_import_kwh: 543.21 });
    expect(result.quality).toEqual({});
  });

  it('name the scale-factor read that failed for the values it scales, and keep the others', async () => {
    const result = await readDevice(reader({ 100: 2301, 102: 5, 103: 0 }, [120]), profile, 1);
    expect(result.values).toEqual({ power_w: 5 });
    expect(result.quality).toEqual({
      voltage_l1_v: 'scale factor register 120: exception 2',
      voltage_l2_v: 'scale factor register 120: exception 2',
      energy_import_kwh: 'no value: the device reports none for this register',
    });
  });

  it('treat 0x8000 as not implemented', async () => {
    const result = await readDevice(reader({ 100: 2301, 101: 2301, 102: 5, 103: 0x8000, 105: 7, 120: 0 }), profile, 1);
    expect(result.values).toEqual({ voltage_l1_v: 2301, voltage_l2_v: 2301 });
    expect(result.quality.power_w).toBe('no value: the device reports none for this register');
  });
});
