import { DISPLAY_PRECISION, MEASUREMENTS, type Quantity } from '../engine/measurements';
import type { SensorSpec } from './entities';

interface SensorClass {
  deviceClass?: string;
  stateClass: 'measurement' | 'total_increasing';
  enabledByDefault: boolean;
}

/**
 * HA sensor metadata per quantity. Units come from the measurement table and match HA's
 * DEVICE_CLASS_UNITS (shared/reference/ha-mqtt-discovery.md §8): note lower-case `var`.
 */
const SENSOR_CLASSES: Record<Quantity, SensorClass> = {
  power: { deviceClass: 'power', stateClass: 'measurement', enabledByDefault: true },
  reactive_power: { deviceClass: 'reactive_power', stateClass: 'measurement', enabledByDefault: false },
  apparent_power: { deviceClass: 'apparent_power', stateClass: 'measurement', enabledByDefault: false },
  power_factor: { deviceClass: 'power_factor', stateClass: 'measurement', enabledByDefault: false },
  voltage: { deviceClass: 'voltage', stateClass: 'measurement', enabledByDefault: true },
  current: { deviceClass: 'current', stateClass: 'measurement', enabledByDefault: true },
  frequency: { deviceClass: 'frequency', stateClass: 'measurement', enabledByDefault: true },
  energy: { deviceClass: 'energy', stateClass: 'total_increasing', enabledByDefault: true },
  // HA's reactive_energy class is recent; without a class any HA version accepts kvarh.
  reactive_energy: { stateClass: 'total_increasing', enabledByDefault: false },
  percent: { stateClass: 'measurement', enabledByDefault: false },
  battery: { deviceClass: 'battery', stateClass: 'measurement', enabledByDefault: true },
  count: { stateClass: 'total_increasing', enabledByDefault: true },
};

/** The HA sensor for one canonical measurement; its key is the measurement name. */
export function measurementSensor(name: string): SensorSpec {
  const measurement = MEASUREMENTS[name];
  if (!measurement) throw new Error(`"${name}" is not a canonical measurement name`);
  const cls = SENSOR_CLASSES[measurement.quantity];
  return {
    kind: 'sensor',
    key: name,
    name: measurement.label,
    ...(cls.deviceClass ? { deviceClass: cls.deviceClass } : {}),
    stateClass: cls.stateClass,
    ...(measurement.unit ? { unit: measurement.unit } : {}),
    precision: DISPLAY_PRECISION[measurement.quantity],
    ...(cls.enabledByDefault ? {} : { enabledByDefault: false }),
  };
}
