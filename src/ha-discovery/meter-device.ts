import { DISPLAY_PRECISION, MEASUREMENTS } from '../engine/measurements';
import { ORIGIN, SOFTWARE_VERSION } from './origin';
import { SENSOR_CLASSES } from './sensor-classes';
import { assertTopicId, topics, type TopicRoots } from './topics';

export interface MeterDeviceInfo {
  /** Stable id from the node's configuration; unique_ids derive from it, so renames keep them. */
  deviceId: string;
  name: string;
  manufacturer: string;
  model: string;
  /** Canonical measurement names this device provides. */
  measurements: readonly string[];
}

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

function sensorComponent(roots: TopicRoots, deviceId: string, name: string): Record<string, unknown> {
  const measurement = MEASUREMENTS[name];
  if (!measurement) throw new Error(`"${name}" is not a canonical measurement name`);
  const cls = SENSOR_CLASSES[measurement.quantity];
  return {
    p: 'sensor',
    uniq_id: `hems_${deviceId}_${name}`,
    name: measurement.label,
    stat_t: topics.state(roots, deviceId, name),
    ...(cls.device_class ? { dev_cla: cls.device_class } : {}),
    stat_cla: cls.state_class,
    ...(measurement.unit ? { unit_of_meas: measurement.unit } : {}),
    sug_dsp_prc: DISPLAY_PRECISION[measurement.quantity],
    ...(cls.enabledByDefault ? {} : { en: false }),
  };
}

/** One HA device with a sensor per measurement, in HA's device-based discovery format. */
export function buildMeterDevice(roots: TopicRoots, info: MeterDeviceInfo): DiscoveryMessage {
  assertTopicId('device id', info.deviceId);
  return {
    topic: topics.deviceConfig(roots, info.deviceId),
    payload: {
      dev: {
        ids: [`hems_${info.deviceId}`],
        name: info.name,
        mf: info.manufacturer,
        mdl: info.model,
        sw: SOFTWARE_VERSION,
      },
      o: ORIGIN,
      // Unavailable when either the bridge (Node-RED) or the device itself is gone.
      avty: [
        { t: topics.bridgeStatus(roots) },
        { t: topics.deviceAvailability(roots, info.deviceId) },
      ],
      avty_mode: 'all',
      qos: 1,
      cmps: Object.fromEntries(info.measurements.map((name) => [name, sensorComponent(roots, info.deviceId, name)])),
    },
  };
}
