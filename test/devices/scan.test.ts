import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/devices/profiles';
import type { RegisterReader } from '../../src/devices/read-device';
import { formatScan, parseUnitRange, scanBus } from '../../src/devices/scan';

const fail = (kind: string) => Object.assign(new Error(`a ${kind}`), { kind });

/** Unit 5 answers every read with exception 2, unit 9 stays silent, others are not asked. */
function bus(): RegisterReader & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async readRegisters(unit) {
      asked.push(unit);
      throw unit === 5 ? fail('exception') : fail('timeout');
    },
  };
}

describe('scanBus', () => {
  it('asks a silent unit once, and reports a unit that answers with exceptions as not recognised', async () => {
    const reader = bus();
    const found = await scanBus(reader, { units: [5, 9], profiles: Object.values(PROFILES) });
    expect(reader.asked.filter((u) => u === 9)).toHaveLength(1);
    expect(formatScan(found)).toEqual(['unit 5: answers, not recognised (try a profile from `hems profiles`, or the generic profile)']);
  });

  it('stops before the next unit when aborted', async () => {
    const controller = new AbortController();
    const reader = bus();
    await scanBus(reader, { units: [9, 10, 11], profiles: [], signal: controller.signal, onUnit: () => controller.abort() });
    expect([...new Set(reader.asked)]).toEqual([9]);
  });

  it('gives up on the whole bus when it cannot connect', async () => {
    const reader: RegisterReader = { readRegisters: async () => Promise.reject(fail('connect')) };
    await expect(scanBus(reader, { units: [1, 2], profiles: [] })).rejects.toThrow('a connect');
  });
});

describe('parseUnitRange', () => {
  it.each([
    ['1-3', [1, 2, 3]],
    ['126, 1-2,2', [1, 2, 126]],
    ['0', [0]],
  ])('%s → %j', (text, units) => expect(parseUnitRange(text)).toEqual(units));

  it.each(['3-1', '248', 'a', '1-', ''])('refuses %j, naming it', (text) => {
    expect(() => parseUnitRange(text)).toThrow(`--units "${text}"`);
  });
});

describe('formatScan', () => {
  const sunspec = (unitId: number) => ({ unitId, device: 'SunSpec SMA Sunny Boy 3.0 (inverter 103)', profiles: ['sunspec'], note: 'serial 3012345678' });
  const sdm = (unitId: number) => ({ unitId, device: 'Eastron SDM630', profiles: ['sdm630'] });

  it('lists a device that answers on every unit id once, with the range', () => {
    expect(formatScan([sunspec(1), sunspec(2), sunspec(3), sdm(5), sdm(6)])).toEqual([
      'units 1-3: SunSpec SMA Sunny Boy 3.0 (inverter 103) → profile sunspec (serial 3012345678; one device that answers on every unit id: use any of them)',
      'unit 5: Eastron SDM630 → profile sdm630',
      'unit 6: Eastron SDM630 → profile sdm630',
    ]);
  });
});
