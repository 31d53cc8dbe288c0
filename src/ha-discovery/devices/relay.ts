import type { HaDeviceSpec } from '../entities';
import { ALARM_ENTITY } from './alarm';

/** A relay output: a switch that goes through our node to the hardware, its read-back, its alarm. */
export function relayDevice(deviceId: string, name: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    model: 'Relay output',
    entities: [
      { kind: 'switch', key: 'relay', name: null },
      { kind: 'binary_sensor', key: 'readback', name: 'Read-back', deviceClass: 'power', category: 'diagnostic' },
      ALARM_ENTITY,
    ],
  };
}
