/** The inverter limit as register writes, per control in the table, and when it is written. */
import { describe, expect, it } from 'vitest';
import { INVERTER_LIMIT_CONTROLS } from '../../src/devices/controls/inverter-limits';
import { writeDue } from '../../src/devices/controls/limit-schedule';
import { planLimit, readBackProblem } from '../../src/devices/controls/limit-writes';

const C = INVERTER_LIMIT_CONTROLS;

describe('planLimit', () => {
  it.each([
    ['huawei-sun2000-derating-pct', { kind: 'limit', limitW: 3000 }, [{ address: 40125, words: [300] }], 'output ≤ 3.0 kW (30 %)'],
    ['huawei-sun2000-derating-pct', { kind: 'release' }, [{ address: 40125, words: [1000] }], 'no limit'],
    ['huawei-sun2000-derating-w', { kind: 'limit', limitW: 70_000.9 }, [{ address: 40126, words: [0, 10_000] }], 'output ≤ 10.0 kW (100 %)'],
    ['huawei-sun2000-derating-w', { kind: 'limit', limitW: 2500.9 }, [{ address: 40126, words: [0, 2500] }], 'output ≤ 2.5 kW (25 %)'],
    ['huawei-sun2000-derating-w', { kind: 'release' }, [{ address: 40126, words: [0, 10_000] }], 'no limit'],
    ['huawei-sun2000-export-pct', { kind: 'limit', limitW: 0 }, [{ address: 47418, words: [0] }, { address: 47415, words: [7] }], 'export ≤ 0.0 kW (0 %)'],
    ['huawei-sun2000-export-pct', { kind: 'release' }, [{ address: 47415, words: [0] }], 'no limit'],
    ['huawei-emma-export-pct', { kind: 'limit', limitW: 6999 }, [{ address: 40109, words: [699] }, { address: 40100, words: [7] }], 'export ≤ 7.0 kW (69.9 %)'],
    ['huawei-emma-export-pct', { kind: 'release' }, [{ address: 40100, words: [0] }], 'no limit'],
  ] as const)('%s %j', (id, wanted, writes, text) => {
    const plan = planLimit(C[id], wanted, 10_000);
    expect(plan.writes).toEqual(writes);
    expect(plan.text).toBe(text);
  });

  it('a W limit above 65 535 W uses the high word', () => {
    expect(planLimit(C['huawei-sun2000-derating-w'], { kind: 'limit', limitW: 70_000 }, 100_000).writes).toEqual([{ address: 40126, words: [1, 4464] }]);
  });

  it('a negative limit (more export than allowed) writes zero, never a negative register', () => {
    expect(planLimit(C['huawei-sun2000-derating-pct'], { kind: 'limit', limitW: -500 }, 10_000).writes).toEqual([{ address: 40125, words: [0] }]);
  });

  it('the same limit twice has the same key; a different one does not', () => {
    const control = C['huawei-emma-export-pct'];
    expect(planLimit(control, { kind: 'limit', limitW: 3000 }, 10_000).key).toBe(planLimit(control, { kind: 'limit', limitW: 3000.5 }, 10_000).key);
    expect(planLimit(control, { kind: 'limit', limitW: 3000 }, 10_000).key).not.toBe(planLimit(control, { kind: 'limit', limitW: 3100 }, 10_000).key);
  });
});

describe('readBackProblem', () => {
  it('is silent when the device holds what was written, and names both values otherwise', () => {
    expect(readBackProblem({ address: 40109, words: [300] }, [300])).toBeUndefined();
    expect(readBackProblem({ address: 40109, words: [300] }, [1000])).toBe(
      'register 40109 reads back 0x03e8 after 0x012c was written: the device refused or changed the limit; check its remote power control setting',
    );
  });
});

describe('writeDue', () => {
  it.each([
    [{}, 'a', 0, 'change'],
    [{ writtenKey: 'a', writtenAtMs: 0 }, 'a', 59_999, undefined],
    [{ writtenKey: 'a', writtenAtMs: 0 }, 'a', 60_000, 'refresh'],
    [{ writtenKey: 'a', writtenAtMs: 0 }, 'b', 1, 'change'],
    [{ writtenKey: 'a', writtenAtMs: 0, failed: { key: 'b', atMs: 0 } }, 'b', 9_999, undefined],
    [{ writtenKey: 'a', writtenAtMs: 0, failed: { key: 'b', atMs: 0 } }, 'b', 10_000, 'retry'],
    [{ writtenKey: 'a', writtenAtMs: 0, failed: { key: 'b', atMs: 0 } }, 'c', 1, 'change'],
  ] as const)('%j wanting %s at %d → %s', (state, key, nowMs, cause) => {
    expect(writeDue(state, key, nowMs, 60_000, 10_000)).toBe(cause);
  });
});
