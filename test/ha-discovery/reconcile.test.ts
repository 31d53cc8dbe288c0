import { describe, expect, it } from 'vitest';
import { ORIGIN } from '../../src/ha-discovery/origin';
import { staleConfigTopics } from '../../src/ha-discovery/reconcile';

const roots = { discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
const config = (origin: string, bridge: string) => JSON.stringify({ o: { name: origin }, avty: [{ t: bridge }, { t: 'x/availability' }], cmps: {} });

describe('staleConfigTopics', () => {
  it('finds our configs that no node owns, and nothing else', () => {
    const retained = new Map([
      ['homeassistant/device/hems_kept/config', config(ORIGIN.name, 'hems/status')],
      ['homeassistant/device/hems_gone/config', config(ORIGIN.name, 'hems/status')],
      ['homeassistant/device/hems_other_site/config', config(ORIGIN.name, 'hems2/status')],
      ['homeassistant/device/zigbee_lamp/config', config('Zigbee2MQTT', 'zigbee2mqtt/bridge/state')],
      ['homeassistant/device/hems_removed/config', ''],
      ['homeassistant/device/hems_garbage/config', '{not json'],
    ]);
    expect(staleConfigTopics(roots, retained, new Set(['homeassistant/device/hems_kept/config']))).toEqual([
      'homeassistant/device/hems_gone/config',
    ]);
  });
});
