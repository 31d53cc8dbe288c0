import { SG_READY_MODES, SG_READY_STATES } from '../../engine/sg-ready';
import type { HaDeviceSpec } from '../entities';

/** A heat pump on SG Ready: mode select, state, reason, time in each state, lock-limit alarm. */
export function sgReadyDevice(deviceId: string, name: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    model: 'SG Ready heat pump',
    entities: [
      { kind: 'select', key: 'mode', name: 'SG Ready mode', options: SG_READY_MODES, icon: 'mdi:heat-pump' },
      { kind: 'sensor', key: 'state', name: 'SG Ready state', deviceClass: 'enum', options: SG_READY_STATES },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:comment-text-outline', attributes: true },
      ...SG_READY_STATES.map((state) => ({
        kind: 'sensor' as const,
        key: `time_${state}`,
        name: `Time in ${state.replace('_', ' ')}`,
        deviceClass: 'duration',
        stateClass: 'total_increasing' as const,
        unit: 'min',
        precision: 0,
        category: 'diagnostic' as const,
      })),
      { kind: 'binary_sensor', key: 'lock_limit', name: 'Lock limit reached', deviceClass: 'problem', attributes: true, availableWithBridgeOnly: true },
    ],
  };
}
