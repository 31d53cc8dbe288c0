import { describe, expect, it } from 'vitest';
import { ALARMS, updateAlarm } from '../../src/engine/alarms';

describe('updateAlarm', () => {
  it('raises with the definition, updates the detail, and clears', () => {
    const raised = updateAlarm(undefined, 'relay_mismatch', 'boiler', { active: true, detail: 'commanded on, relay reports off' }, 5);
    expect(raised).toEqual({ change: 'raised', active: { ...ALARMS.relay_mismatch, source: 'boiler', detail: 'commanded on, relay reports off', raisedAtMs: 5 } });
    expect(updateAlarm(raised.active, 'relay_mismatch', 'boiler', { active: true, detail: 'commanded on, relay reports off' }, 9)).toEqual({ active: raised.active });
    expect(updateAlarm(raised.active, 'relay_mismatch', 'boiler', { active: true, detail: 'no read-back' }, 9).change).toBe('updated');
    expect(updateAlarm(raised.active, 'relay_mismatch', 'boiler', { active: false, detail: '' }, 9)).toEqual({ active: undefined, change: 'cleared' });
    expect(updateAlarm(undefined, 'relay_mismatch', 'boiler', { active: false, detail: '' }, 9)).toEqual({ active: undefined });
  });

  it('every alarm has a severity, a cause and a suggestion', () => {
    for (const alarm of Object.values(ALARMS)) {
      expect(['critical', 'major', 'minor', 'warning']).toContain(alarm.severity);
      expect(alarm.cause.length).toBeGreaterThan(20);
      expect(alarm.suggestion.length).toBeGreaterThan(20);
    }
  });
});
