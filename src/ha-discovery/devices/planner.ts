import { PROMISE_STATES } from '../../engine/planner-session';
import type { EntitySpec, HaDeviceSpec } from '../entities';

/**
 * The planner: its plan (state: what it costs; attributes: the slot series, plan-attributes.ts),
 * cheap-hour and negative-price flags, and per planned load its next start and promise.
 */
export function plannerDevice(deviceId: string, name: string, loads: Array<{ id: string; name: string }>): HaDeviceSpec {
  const perLoad = loads.flatMap(({ id, name: loadName }): EntitySpec[] => [
    { kind: 'sensor', key: `${id}_next_start`, name: `${loadName} next start`, deviceClass: 'timestamp', icon: 'mdi:calendar-clock', attributes: true },
    { kind: 'sensor', key: `${id}_promise`, name: `${loadName} promise`, deviceClass: 'enum', options: PROMISE_STATES, icon: 'mdi:handshake-outline', attributes: true },
  ]);
  return {
    deviceId,
    name,
    manufacturer: 'node-red-contrib-hems',
    model: 'Planner',
    entities: [
      // A plan changes when it is replanned, not as a measurement drifts: every new plan goes out at once.
      { kind: 'sensor', key: 'plan', name: 'Plan', deviceClass: 'monetary', unit: 'EUR', precision: 2, icon: 'mdi:chart-timeline', attributes: true, everyChange: true },
      { kind: 'binary_sensor', key: 'cheap_hour', name: 'Cheap hour', icon: 'mdi:cash-clock', attributes: true },
      { kind: 'binary_sensor', key: 'negative_price', name: 'Negative price', icon: 'mdi:cash-minus' },
      ...perLoad,
    ],
  };
}
