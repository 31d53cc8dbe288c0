import { describe, expect, it } from 'vitest';
import type { ReadRules, RegisterSpec } from '../../src/devices/profile';
import { planReads } from '../../src/devices/read-plan';

const float = (address: number, table: RegisterSpec['table'] = 'input'): RegisterSpec => ({ name: 'power_w', table, address, type: 'float32' });
const rules = (over: Partial<ReadRules> = {}): ReadRules => ({ maxRegistersPerRead: 125, maxGapRegisters: 10, evenAlignment: false, ...over });
const shape = (plan: ReturnType<typeof planReads>) => plan.map((r) => `${r.table}:${r.address}+${r.count}`);

describe('planReads', () => {
  it('merges contiguous and near registers into one request', () => {
    expect(shape(planReads([float(0), float(2), float(10)], rules()))).toEqual(['input:0+12']);
  });

  it('splits where the gap is larger than the device profile allows', () => {
    expect(shape(planReads([float(0), float(20)], rules({ maxGapRegisters: 10 })))).toEqual(['input:0+2', 'input:20+2']);
  });

  it('never exceeds the largest request the device accepts', () => {
    const regs = Array.from({ length: 50 }, (_, i) => float(i * 2));
    const plan = planReads(regs, rules({ maxRegistersPerRead: 80 }));
    expect(shape(plan)).toEqual(['input:0+80', 'input:80+20']);
  });

  it('aligns to even addresses and counts where the device demands it', () => {
    const odd: RegisterSpec = { name: 'power_w', table: 'input', address: 5, type: 'uint16' };
    expect(shape(planReads([odd], rules({ evenAlignment: true })))).toEqual(['input:4+2']);
  });

  it('keeps tables apart and never reads across rejected addresses', () => {
    const plan = planReads(
      [float(0), float(6), float(0, 'holding')],
      rules({ rejectedRanges: [{ table: 'input', first: 3, last: 3 }] }),
    );
    expect(shape(plan)).toEqual(['holding:0+2', 'input:0+2', 'input:6+2']);
  });

  it('hands each request exactly the registers it covers', () => {
    const plan = planReads([float(0), float(40)], rules({ maxGapRegisters: 5 }));
    expect(plan.map((r) => r.registers.map((x) => x.address))).toEqual([[0], [40]]);
  });
});
