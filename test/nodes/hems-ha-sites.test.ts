/**
 * Several sites (hems-ha bridges with their own base topics) on one broker and one Home Assistant,
 * and the same behind per-site credentials and the ACL of docs/deployment.md.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDiscovery } from '../ha-conformance/checker';
import { MOSQUITTO_PASSWD, startAclBroker } from '../helpers/acl-broker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { helper } from '../helpers/node-red-helper';
import { MOSQUITTO, startBroker, waitFor, type Broker } from '../helpers/peers';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const nodes = ['hems-ha', 'hems-pulse'].map((name) => require(join(DIST, `${name}.js`)));

/** One bridge per base topic, each with a water meter of the same device id. */
function sitesFlow(port: number, bases: string[]) {
  return bases.flatMap((base) => [
    { id: `ha_${base}`, type: 'hems-ha', host: '127.0.0.1', port, discoveryPrefix: 'homeassistant', baseTopic: base },
    { id: `water_${base}`, type: 'hems-pulse', name: 'Water', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 0, messageMode: 'increment', ha: `ha_${base}`, haStates: 'all', wires: [] },
  ]);
}

const CONFIGS: Record<string, string[]> = {
  hems: ['homeassistant/device/hems_site/config', 'homeassistant/device/hems_water/config'],
  house: ['homeassistant/device/hems-house/site/config', 'homeassistant/device/hems-house/water/config'],
  garage: ['homeassistant/device/hems-garage/site/config', 'homeassistant/device/hems-garage/water/config'],
};

interface DeviceConfig {
  dev: { ids: string[]; via_device?: string; name: string };
  avty: Array<{ t: string }>;
  cmps: Record<string, { uniq_id?: string; stat_t?: string }>;
}

/** Every config conforms; returns the parsed configs. */
async function conformingConfigs(recorder: MqttRecorder, topics: string[]): Promise<DeviceConfig[]> {
  return Promise.all(
    topics.map(async (topic) => {
      const payload = await waitFor(() => recorder.payload(topic) || undefined, 5000, topic);
      expect(checkDiscovery(topic, payload), topic).toEqual([]);
      return JSON.parse(payload) as DeviceConfig;
    }),
  );
}

beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
});
afterAll(async () => {
  await new Promise<void>((done) => helper.stopServer(done));
});

describe('several sites on one broker and one Home Assistant', () => {
  let broker: Broker;
  let recorder: MqttRecorder | undefined;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterEach(async () => {
    await helper.unload();
    await recorder?.close();
  });
  afterAll(async () => broker.stop());

  it('keeps a site device each, shares no id, and leaves the other sites alone across restarts', async () => {
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#', 'house/#', 'garage/#']);
    const bases = ['hems', 'house', 'garage'];
    await helper.load(nodes, sitesFlow(broker.port, bases));
    const configs = await conformingConfigs(recorder, Object.values(CONFIGS).flat());

    const uniqueIds = configs.flatMap((c) => Object.values(c.cmps).map((e) => e.uniq_id));
    expect(uniqueIds).toHaveLength(bases.length * 4); // per site: last refused command, re-publish, the water total and count
    expect(new Set(uniqueIds).size).toBe(uniqueIds.length);
    const deviceIds = configs.map((c) => c.dev.ids[0]);
    expect(deviceIds).toEqual(['hems_site', 'hems_water', 'hems-house-site', 'hems-house-water', 'hems-garage-site', 'hems-garage-water']);
    // Each meter hangs off its own site, and is available with its own bridge.
    expect(configs.map((c) => c.dev.via_device)).toEqual([undefined, 'hems_site', undefined, 'hems-house-site', undefined, 'hems-garage-site']);
    expect(configs.map((c) => c.avty[0].t)).toEqual(['hems/status', 'hems/status', 'house/status', 'house/status', 'garage/status', 'garage/status']);
    expect(configs.filter((_c, i) => i % 2 === 0).map((c) => c.dev.name)).toEqual(['HEMS', 'HEMS house', 'HEMS garage']);

    helper.getNode('water_house').receive({ payload: 2 });
    await waitFor(() => recorder!.payload('house/water/pulse_total') === '2', 5000, 'the house total');
    expect(recorder.payload('garage/water/pulse_total')).toBe('0');

    // A restart: each bridge finds the others' retained configs and must not take them for its own stale ones.
    await helper.unload();
    const restartedAt = recorder.all.length;
    await helper.load(nodes, sitesFlow(broker.port, bases));
    await waitFor(() => ['hems', 'house', 'garage'].every((b) => recorder!.all.slice(restartedAt).some((m) => m.topic === `${b}/status` && m.payload === 'online')), 5000, 'all bridges back');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(recorder.all.slice(restartedAt).filter((m) => m.topic.endsWith('/config') && m.payload === '')).toEqual([]);
  });

  it('a site saved with another base topic than hems moves to its scoped ids: the unscoped configs go', async () => {
    const before = (id: string) => JSON.stringify({ dev: { ids: [`hems_${id}`] }, o: { name: 'node-red-contrib-hems' }, avty: [{ t: 'house/status' }], cmps: {} });
    const setup = await MqttRecorder.connect(broker.port, []);
    await setup.client.publishAsync('homeassistant/device/hems_site/config', before('site'), { retain: true, qos: 1 });
    await setup.client.publishAsync('homeassistant/device/hems_water/config', before('water'), { retain: true, qos: 1 });
    await setup.close();
    recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#']);
    await helper.load(nodes, sitesFlow(broker.port, ['house']));
    await waitFor(() => recorder!.payload('homeassistant/device/hems_water/config') === '' && recorder!.payload('homeassistant/device/hems_site/config') === '', 5000, 'the unscoped configs removed');
    await conformingConfigs(recorder, CONFIGS.house);
  });
});

const mosquittoMissing = MOSQUITTO && MOSQUITTO_PASSWD ? undefined : 'mosquitto and mosquitto_passwd are not installed (Debian package mosquitto)';

describe.skipIf(mosquittoMissing)('many sites on one broker: per-site credentials and the ACL of docs/deployment.md', () => {
  const ACL = readFileSync(join(__dirname, '..', '..', 'docs', 'mosquitto', 'sites.acl'), 'utf8');
  // The documented per-site Home Assistant block, copied for the garage as the file says.
  const haBlock = ACL.slice(ACL.indexOf('user ha_house'));
  const acl = `${ACL}\n${haBlock.replaceAll('house', 'garage')}`;
  const users = { house: 'house-secret', garage: 'garage-secret', ha_house: 'ha-house-secret', ha_garage: 'ha-garage-secret' };
  let broker: { port: number; stop(): Promise<void> };
  const clients: MqttRecorder[] = [];
  const connect = async (user: keyof typeof users, filters: string[]) => {
    const client = await MqttRecorder.connect(broker.port, filters, { username: user, password: users[user] });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    broker = await startAclBroker(users, acl);
    await helper.load(nodes, sitesFlow(broker.port, ['house', 'garage']), {
      ha_house: { user: 'house', password: users.house },
      ha_garage: { user: 'garage', password: users.garage },
    });
  });
  afterAll(async () => {
    await helper.unload();
    await Promise.all(clients.map((c) => c.close()));
    await broker.stop();
  });

  it('each site passes the conformance checker in its own Home Assistant, which sees no other site', async () => {
    for (const site of ['house', 'garage'] as const) {
      const ha = await connect(`ha_${site}`, ['homeassistant/#', `${site}/#`, 'garage/#', 'house/#']);
      const configs = await conformingConfigs(ha, CONFIGS[site]);
      expect(configs.map((c) => c.dev.ids[0])).toEqual([`hems-${site}-site`, `hems-${site}-water`]);
      await waitFor(() => ha.payload(`${site}/water/pulse_total`), 5000, `${site}'s water total`);
      const other = site === 'house' ? 'garage' : 'house';
      expect(ha.all.filter((m) => m.topic.includes(other))).toEqual([]);
    }
  });

  it("refuses the garage's credentials a command to the house, and its discovery config; the house's own HA commands it", async () => {
    const houseHa = await connect('ha_house', ['homeassistant/#', 'house/#']);
    const houseSite = CONFIGS.house[0];
    const original = await waitFor(() => houseHa.payload(houseSite), 5000, 'the house site config');
    const garage = await connect('garage', []);
    const before = houseHa.all.length;
    await garage.client.publishAsync('house/site/republish/set', 'PRESS', { qos: 1 });
    await garage.client.publishAsync(houseSite, '{"dev":{"ids":["taken"]}}', { qos: 1, retain: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(houseHa.all.slice(before)).toEqual([]);

    // The same command from the house's Home Assistant does re-publish, so the refusal above was the ACL's.
    await houseHa.client.publishAsync('house/site/republish/set', 'PRESS', { qos: 1 });
    await waitFor(() => houseHa.all.slice(before).find((m) => m.topic === houseSite), 5000, 'the re-published house config');
    const fresh = await connect('ha_house', [houseSite]);
    expect(await waitFor(() => fresh.payload(houseSite), 5000, 'the retained house config')).toBe(original);
  });
});
