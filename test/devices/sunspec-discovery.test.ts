/** Discovery against an in-memory register image: edges the pymodbus device does not show. */
import { describe, expect, it } from 'vitest';
import type { RegisterReader } from '../../src/devices/read-device';
import { sunspec } from '../../src/devices/sunspec/sunspec-profile';

function image(base: number, words: number[]): RegisterReader {
  return {
    async readRegisters(_unit, _table, address, count) {
      if (address < base || address + count > base + words.length) throw Object.assign(new Error('exception 2'), { kind: 'exception' });
      return words.slice(address - base, address - base + count);
    },
  };
}

const text = (s: string, registers: number) => Array.from({ length: registers }, (_, i) => ((s.charCodeAt(2 * i) || 0) << 8) | (s.charCodeAt(2 * i + 1) || 0));
const common = [1, 66, ...text('ACME', 16), ...text('Tiny', 16), ...Array(32).fill(0), 0, 0x8000];

describe('SunSpec discovery', () => {
  it('reads no point past the end of a model shorter than its definition', async () => {
    // Model 103 cut after W and W_SF (L = 14): AphA…AphC, A_SF, the voltages, V_SF, W, W_SF.
    const inverter = [103, 14, 0xffff, 100, 200, 300, 0xfffe, 0xffff, 0xffff, 0xffff, 2301, 2302, 2303, 0xffff, 1500, 0];
    const reader = image(40000, [0x5375, 0x6e53, ...common, ...inverter, 0xffff, 0]);
    const found = await sunspec.discover!(reader, 1);
    expect(found.manufacturer).toBe('ACME');
    expect(found.registers.map((r) => r.name)).toEqual(['current_l1_a', 'current_l2_a', 'current_l3_a', 'voltage_l1_v', 'voltage_l2_v', 'voltage_l3_v', 'inverter_power_w', 'pv_power_w']);
    expect(found.registers.find((r) => r.name === 'pv_power_w')).toMatchObject({ address: 40000 + 2 + 68 + 14, sign: 'non_negative' });
  });

  it('says which models it found when none is one it maps', async () => {
    const reader = image(0, [0x5375, 0x6e53, ...common, 120, 2, 0, 0, 0xffff, 0]);
    await expect(sunspec.discover!(reader, 7)).rejects.toThrow('unit 7: ACME Tiny has no inverter/meter/battery model this reader maps (models found: 1, 120;');
  });
});
