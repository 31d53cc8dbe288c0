import type { LoadConfig, LoadMode, LoadOverride } from '../../engine/allocator';
import type { HaDeviceSpec } from '../entities';

/** Home Assistant's override select: a label → the override it sets (null: none). */
export const LOAD_OVERRIDES: Record<string, ((nowMs: number) => LoadOverride) | null> = {
  auto: null,
  on: () => ({ on: true }),
  off: () => ({ on: false }),
  'on for 1 h': (nowMs) => ({ on: true, expiresAtMs: nowMs + 3_600_000 }),
  'off for 1 h': (nowMs) => ({ on: false, expiresAtMs: nowMs + 3_600_000 }),
};

const MODES_WITHOUT_MINIMUM: LoadMode[] = ['off', 'surplus', 'on'];
const ALL_MODES: LoadMode[] = ['off', 'surplus', 'min_surplus', 'on'];

/** A smart load: mode, override, priority, running, power, energy, runtime and starts today, reason. */
export function loadDevice(load: LoadConfig): HaDeviceSpec {
  const modes = load.kind === 'on_off' || load.kind === 'sg_ready' ? MODES_WITHOUT_MINIMUM : ALL_MODES;
  return {
    deviceId: load.id,
    name: load.name || load.id,
    manufacturer: 'node-red-contrib-hems',
    model: `Smart load (${load.kind})`,
    entities: [
      { kind: 'select', key: 'mode', name: 'Mode', options: modes, icon: 'mdi:tune-variant' },
      { kind: 'select', key: 'override', name: 'Override', options: Object.keys(LOAD_OVERRIDES), icon: 'mdi:hand-back-right' },
      { kind: 'number', key: 'priority', name: 'Priority', min: 0, max: 999, step: 1, mode: 'box', icon: 'mdi:sort-numeric-ascending', category: 'config' },
      { kind: 'binary_sensor', key: 'running', name: 'Running', deviceClass: 'running' },
      { kind: 'sensor', key: 'power_w', name: 'Power', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'energy_today_kwh', name: 'Energy today', deviceClass: 'energy', stateClass: 'total_increasing', unit: 'kWh', precision: 2 },
      { kind: 'sensor', key: 'runtime_today_min', name: 'Runtime today', deviceClass: 'duration', stateClass: 'total_increasing', unit: 'min', precision: 0 },
      { kind: 'sensor', key: 'starts_today', name: 'Starts today', stateClass: 'total_increasing', icon: 'mdi:counter', precision: 0, everyChange: true },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:text-box-outline' },
    ],
  };
}
