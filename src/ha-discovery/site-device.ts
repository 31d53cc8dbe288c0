import type { HaDeviceSpec } from './entities';
import { DEFAULT_BASE_TOPIC, SITE_DEVICE_ID } from './topics';

export const SITE_ERROR_KEY = 'error';

/** The installation as one HA device: what concerns no single device lives here. Named by its base topic when there may be several. */
export function siteDevice(baseTopic: string): HaDeviceSpec {
  return {
    deviceId: SITE_DEVICE_ID,
    name: baseTopic === DEFAULT_BASE_TOPIC ? 'HEMS' : `HEMS ${baseTopic}`,
    manufacturer: 'node-red-contrib-hems',
    model: 'Home energy manager',
    entities: [
      // The last command HA sent that we refused, with the topic and payload as attributes.
      { kind: 'sensor', key: SITE_ERROR_KEY, name: 'Last refused command', icon: 'mdi:alert-circle-outline', category: 'diagnostic', attributes: true },
      { kind: 'button', key: 'republish', name: 'Re-publish to Home Assistant', icon: 'mdi:refresh', category: 'config' },
    ],
  };
}
