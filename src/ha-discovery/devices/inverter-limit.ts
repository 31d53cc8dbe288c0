import type { HaDeviceSpec } from '../entities';
import { ALARM_ENTITY } from './alarm';

/** An inverter's power limit: the applied limit in W and %, and the alarm; `model` names the control. */
export function inverterLimitDevice(deviceId: string, name: string, model: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    model,
    entities: [
      { kind: 'sensor', key: 'limit_w', name: 'Applied limit', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0, icon: 'mdi:solar-power-variant', everyChange: true },
      { kind: 'sensor', key: 'limit_pct', name: 'Applied limit (%)', stateClass: 'measurement', unit: '%', precision: 1, category: 'diagnostic', everyChange: true },
      ALARM_ENTITY,
    ],
  };
}
