import type { Quantity } from '../engine/measurements';

export interface SensorClass {
  device_class?: string;
  state_class: 'measurement' | 'total_increasing';
  /** Hidden until the user enables it: useful for installers, noise for everyone else. */
  enabledByDefault: boolean;
}

/**
 * HA sensor metadata per quantity. Units come from the measurement table and match HA's
 * DEVICE_CLASS_UNITS (shared/reference/ha-mqtt-discovery.md §8): note lower-case `var`.
 */
export const SENSOR_CLASSES: Record<Quantity, SensorClass> = {
  power: { device_class: 'power', state_class: 'measurement', enabledByDefault: true },
  reactive_power: { device_class: 'reactive_power', state_class: 'measurement', enabledByDefault: false },
  apparent_power: { device_class: 'apparent_power', state_class: 'measurement', enabledByDefault: false },
  power_factor: { device_class: 'power_factor', state_class: 'measurement', enabledByDefault: false },
  voltage: { device_class: 'voltage', state_class: 'measurement', enabledByDefault: true },
  current: { device_class: 'current', state_class: 'measurement', enabledByDefault: true },
  frequency: { device_class: 'frequency', state_class: 'measurement', enabledByDefault: true },
  energy: { device_class: 'energy', state_class: 'total_increasing', enabledByDefault: true },
  // HA's reactive_energy class is recent; without a class any HA version accepts kvarh.
  reactive_energy: { state_class: 'total_increasing', enabledByDefault: false },
  percent: { state_class: 'measurement', enabledByDefault: false },
  battery: { device_class: 'battery', state_class: 'measurement', enabledByDefault: true },
  count: { state_class: 'total_increasing', enabledByDefault: true },
};
