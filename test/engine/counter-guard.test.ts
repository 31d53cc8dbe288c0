import { describe, expect, it } from 'vitest';
import { guardCounters } from '../../src/engine/counter-guard';

describe('guardCounters', () => {
  it('passes counters that rise or stay, and any non-counter', () => {
    const result = guardCounters({ energy_import_kwh: 10 }, { energy_import_kwh: 10, power_w: -300 });
    expect(result.values).toEqual({ energy_import_kwh: 10, power_w: -300 });
    expect(result.dropped).toEqual([]);
  });

  it('drops a counter that went backwards and keeps the highest value for next time', () => {
    const first = guardCounters({}, { energy_export_kwh: 50.5 });
    const second = guardCounters(first.highest, { energy_export_kwh: 0, power_w: 1 });
    expect(second.values).toEqual({ power_w: 1 });
    expect(second.dropped).toEqual([{ name: 'energy_export_kwh', previous: 50.5, value: 0 }]);
    expect(guardCounters(second.highest, { energy_export_kwh: 50.6 }).values).toEqual({ energy_export_kwh: 50.6 });
  });

  it('drops negative counter values even on the first read', () => {
    expect(guardCounters({}, { energy_import_kwh: -1 }).dropped).toHaveLength(1);
  });
});
