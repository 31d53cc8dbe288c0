import { STRATEGY_NAMES } from '../../engine/optimiser';
import type { HaDeviceSpec } from '../entities';
import { ALARM_ENTITY } from './alarm';

/** Limits in Home Assistant: the maximum means no limit, since an HA number cannot be empty. */
export const HA_LIMIT_MAX_W = 100_000;

/** A site's optimiser: surplus, projected grid power, reason, export limit, import cap, strategy, stale-data alarm. */
export function optimiserDevice(deviceId: string, name: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    manufacturer: 'node-red-contrib-hems',
    model: 'Load-priority optimiser',
    entities: [
      { kind: 'sensor', key: 'surplus_w', name: 'Surplus', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'projected_grid_power_w', name: 'Projected grid power', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:text-box-outline' },
      { kind: 'number', key: 'export_limit_w', name: 'Export limit', min: 0, max: HA_LIMIT_MAX_W, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' },
      { kind: 'number', key: 'import_cap_w', name: 'Import cap', min: 0, max: HA_LIMIT_MAX_W, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' },
      { kind: 'select', key: 'strategy', name: 'Strategy', options: STRATEGY_NAMES, icon: 'mdi:strategy', category: 'config' },
      ALARM_ENTITY,
    ],
  };
}
