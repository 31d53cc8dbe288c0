import { describe, expect, it } from 'vitest';
import { getProfile } from '../../src/devices/profiles';
import { readDevice, type RegisterReader } from '../../src/devices/read-device';

/** A reader over a fixed register image, failing where the test says. */
function imageReader(words: Record<number, number>, failAt?: number): RegisterReader {
  return {
    async readRegisters(_unit, _table, address, count) {
      if (failAt !== undefined && failAt >= address && failAt < address + count) throw new Error('exception 2');
      return Array.from({ length: count }, (_, i) => words[address + i] ?? 0);
    },
  };
}

describe('readDevice', () => {
  it("names a Huawei register that holds the no-value marker in quality, and leaves it out", async () => {
    const result = await readDevice(imageReader({ 37113: 0x7fff, 37114: 0xffff }), getProfile('sun2000-meter'), 1);
    expect(result.values.power_w).toBeUndefined();
    expect(result.quality.power_w).toBe('no value: the device reports none for this register');
  });

  it('keeps the values of the requests that worked when one fails', async () => {
    const result = await readDevice(imageReader({}, 200), getProfile('sdm630'), 1);
    expect(result.values.voltage_l1_v).toBe(0);
    expect(result.values.voltage_l1_l2_v).toBeUndefined();
    expect(result.quality.voltage_l1_l2_v).toBe('exception 2');
    expect(result.error?.message).toBe('exception 2');
  });
});
