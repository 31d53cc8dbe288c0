import type { HaDeviceSpec } from '../entities';
import { measurementSensor } from '../measurement-entities';
import { ALARM_ENTITY } from './alarm';

/** Who made the meter, as its profile or MQTT format names it. */
export interface MeterMake {
  manufacturer?: string;
  model: string;
}

/** A meter's values as sensors; `name` defaults to make, model and device id. */
function meterBase(deviceId: string, name: string | undefined, make: MeterMake, publishedNames: readonly string[], states: HaDeviceSpec['states']): HaDeviceSpec {
  return {
    deviceId,
    name: name || `${make.manufacturer ?? ''} ${make.model} ${deviceId}`.trim(),
    ...(make.manufacturer ? { manufacturer: make.manufacturer } : {}),
    model: make.model,
    states,
    entities: publishedNames.map(measurementSensor),
  };
}

/** A polled (Modbus) meter: its values, a *Read now* button and the communication alarm. */
export function polledMeterDevice(deviceId: string, name: string | undefined, make: MeterMake, publishedNames: readonly string[], states: HaDeviceSpec['states']): HaDeviceSpec {
  const base = meterBase(deviceId, name, make, publishedNames, states);
  return {
    ...base,
    entities: [...base.entities, { kind: 'button', key: 'read_now', name: 'Read now', icon: 'mdi:refresh', category: 'diagnostic' }, ALARM_ENTITY],
  };
}

/** A meter that publishes over MQTT: its values only (its availability is the device's last will). */
export function mqttMeterDevice(deviceId: string, name: string | undefined, make: MeterMake, publishedNames: readonly string[], states: HaDeviceSpec['states']): HaDeviceSpec {
  return meterBase(deviceId, name, make, publishedNames, states);
}
