import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { helper, hemsNodes } from '../helpers/node-red-helper';
import { MOSQUITTO, waitFor } from '../helpers/peers';
import { startTlsBroker } from '../helpers/tls-broker';

const mosquittoMissing = MOSQUITTO ? undefined : 'mosquitto is not installed (Debian package mosquitto)';
if (mosquittoMissing && process.env.HEMS_REQUIRE_PEERS === '1') throw new Error(`HEMS_REQUIRE_PEERS=1 but ${mosquittoMissing}`);
if (mosquittoMissing) console.warn(`skipping TLS tests: ${mosquittoMissing}`);

describe.skipIf(mosquittoMissing)('hems-ha over TLS (mosquitto requiring a client certificate)', () => {
  let broker: Awaited<ReturnType<typeof startTlsBroker>>;
  let recorder: MqttRecorder | undefined;
  beforeAll(async () => {
    await new Promise<void>((done) => helper.startServer(done));
    broker = await startTlsBroker();
  });
  afterEach(async () => {
    await helper.unload();
    await recorder?.close();
  });
  afterAll(async () => {
    await broker?.stop();
    await new Promise<void>((done) => helper.stopServer(done));
  });

  const flow = () => [{ id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, tls: true, discoveryPrefix: 'homeassistant', baseTopic: 'hems' }];

  it('connects with the CA and client certificate from its credentials', async () => {
    const { pki } = broker;
    recorder = await MqttRecorder.connect(broker.port, ['hems/#', 'homeassistant/#'], { protocol: 'mqtts', ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    await helper.load(hemsNodes, flow(), { ha: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    await waitFor(() => recorder!.payload('hems/status') === 'online', 5000, 'online over TLS');
    await waitFor(() => recorder!.payload('homeassistant/device/hems_site/config'), 5000, 'site device over TLS');
  });

  it('refuses a broker whose certificate its CA did not sign, and says why', async () => {
    const { pki } = broker;
    await helper.load(hemsNodes, flow(), { ha: { ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey } });
    const warnings = () => helper.log().args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0]).filter((e: { level: number; id: string }) => e.level === 30 && e.id === 'ha');
    const warning = await waitFor(() => warnings()[0], 5000, 'a warning');
    expect(String(warning.msg)).toMatch(new RegExp(`MQTT broker 127.0.0.1:${broker.port}: .*(self.signed|unable to verify|certificate)`, 'i'));
  });
});
