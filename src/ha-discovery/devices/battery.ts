import { BATTERY_MODES } from '../../engine/battery';
import type { HaDeviceSpec } from '../entities';
import { ALARM_ENTITY } from './alarm';

/** `auto` follows the plan; a mode chosen here wins over it until `auto` again. */
export const BATTERY_MODE_OPTIONS = ['auto', ...BATTERY_MODES] as const;

/**
 * A battery the plan drives: the mode select and the power for a mode chosen by hand, what it is
 * told now (mode, power, reason) for automations of a battery Home Assistant controls, and the alarm.
 */
export function batteryDevice(deviceId: string, name: string, model: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    model,
    entities: [
      { kind: 'select', key: 'mode', name: 'Mode', options: BATTERY_MODE_OPTIONS, icon: 'mdi:home-battery' },
      { kind: 'number', key: 'power_w', name: 'Power by hand', min: 0, max: 100_000, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' },
      { kind: 'sensor', key: 'command', name: 'Battery command', deviceClass: 'enum', options: BATTERY_MODES, everyChange: true },
      { kind: 'sensor', key: 'command_power_w', name: 'Command power', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0, everyChange: true },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:comment-text-outline', everyChange: true },
      ALARM_ENTITY,
    ],
  };
}
