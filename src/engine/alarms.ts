/**
 * Alarms as Huawei's EMMA documents them: an id, a name, a severity, a cause and a suggestion.
 * Raised and cleared from conditions; pure, the caller keeps the active set.
 */
export type AlarmSeverity = 'critical' | 'major' | 'minor' | 'warning';

export interface AlarmDefinition {
  id: string;
  name: string;
  severity: AlarmSeverity;
  cause: string;
  suggestion: string;
}

export const ALARMS = {
  device_communication: {
    id: 'device_communication',
    name: 'Device communication error',
    severity: 'major',
    cause: 'The device did not answer, or answered with an error, for longer than its timeout.',
    suggestion: 'Check the device power, the RS485 or network wiring, the address and the unit id.',
  },
  relay_mismatch: {
    id: 'relay_mismatch',
    name: 'Relay read-back mismatch',
    severity: 'major',
    cause: 'The relay reports another state than commanded, or reports nothing, for longer than the feedback timeout.',
    suggestion: 'Check the relay board, its supply and the wiring to it; a relay that does not follow needs replacing.',
  },
  sg_ready_lock_limit: {
    id: 'sg_ready_lock_limit',
    name: 'SG Ready lock limit reached',
    severity: 'minor',
    cause: 'A lock was wanted, but the lock limits (length, locks per day, gap) do not allow one now.',
    suggestion: 'Fewer lock requests (import cap, expensive hours), or higher limits if the heat pump and the utility allow them.',
  },
  stale_site_data: {
    id: 'stale_site_data',
    name: 'Stale site data',
    severity: 'critical',
    cause: 'No fresh grid reading for longer than the timeout; every load is in its safe state.',
    suggestion: 'Check the grid meter, its bus and the wiring into the optimiser.',
  },
} as const satisfies Record<string, AlarmDefinition>;

export type AlarmId = keyof typeof ALARMS;

export interface ActiveAlarm extends AlarmDefinition {
  /** What raised it: a device id or a load id. */
  source: string;
  detail: string;
  raisedAtMs: number;
}

export interface AlarmUpdate {
  active: ActiveAlarm | undefined;
  change?: 'raised' | 'cleared' | 'updated';
}

/** The new state of one alarm given whether its condition holds now. */
export function updateAlarm(
  current: ActiveAlarm | undefined,
  id: AlarmId,
  source: string,
  condition: { active: boolean; detail: string },
  nowMs: number,
): AlarmUpdate {
  if (!condition.active) return current ? { active: undefined, change: 'cleared' } : { active: undefined };
  if (!current) return { active: { ...ALARMS[id], source, detail: condition.detail, raisedAtMs: nowMs }, change: 'raised' };
  if (current.detail !== condition.detail) return { active: { ...current, detail: condition.detail }, change: 'updated' };
  return { active: current };
}
