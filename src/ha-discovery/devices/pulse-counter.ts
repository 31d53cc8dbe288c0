import type { EntitySpec, HaDeviceSpec } from '../entities';

/** What is counted: the total's name, unit, HA device class and decimals. */
export interface CountedMedium {
  label: string;
  unit: string;
  deviceClass: string;
  precision: number;
}

/** A pulse input: the total (water, gas or energy, `total_increasing`), the raw count and, where levels are seen, the input. */
export function pulseCounterDevice(deviceId: string, name: string | undefined, medium: CountedMedium, hasLevel: boolean, states: HaDeviceSpec['states']): HaDeviceSpec {
  const entities: EntitySpec[] = [
    { kind: 'sensor', key: 'pulse_total', name: medium.label, deviceClass: medium.deviceClass, stateClass: 'total_increasing', unit: medium.unit, precision: medium.precision },
    { kind: 'sensor', key: 'pulse_count', name: 'Pulse count', stateClass: 'total_increasing', precision: 0, category: 'diagnostic', icon: 'mdi:counter' },
    ...(hasLevel ? [{ kind: 'binary_sensor' as const, key: 'input', name: 'Input', category: 'diagnostic' as const }] : []),
  ];
  return { deviceId, name: name || `${medium.label} pulse counter ${deviceId}`, model: 'Pulse input', states, entities };
}
