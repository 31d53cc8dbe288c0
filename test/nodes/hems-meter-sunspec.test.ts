/**
 * hems-meter with profile sunspec: the device's registers are found on its first poll, its readings
 * are right, and Home Assistant gets the maker, model and entities the device turned out to have.
 */
import { describe, expect, it } from 'vitest';
import { SUNSPEC_INVERTER, sunspecBus } from '../fixtures/sunspec-devices';
import { checkDiscovery } from '../ha-conformance/checker';
import { helper, hemsNodes, runtimeWithBroker } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer, waitFor } from '../helpers/peers';

const env = runtimeWithBroker();

describe.skipIf(pymodbusSkipReason())('hems-meter, profile sunspec', () => {
  it('reads a SunSpec inverter and shows it in HA as what it is', async () => {
    const peer = await startModbusPeer(sunspecBus([SUNSPEC_INVERTER]));
    env.cleanup.push(() => peer.stop());
    const recorder = await env.record(['homeassistant/#', 'hems/#']);
    await helper.load(hemsNodes, [
      { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
      { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: peer.port, timeoutMs: 300, retries: 0, interFrameDelayMs: 0 },
      { id: 'meter', type: 'hems-meter', bus: 'bus', ha: 'ha', profile: 'sunspec', unitId: SUNSPEC_INVERTER.unit, deviceId: 'pv_inverter', interval: 0.5, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const received: Array<{ payload: { values: Record<string, number> } }> = [];
    helper.getNode('out').on('input', (m: (typeof received)[number]) => received.push(m));
    const first = await waitFor(() => received[0], 8000, 'a reading');
    expect(first.payload.values).toEqual(SUNSPEC_INVERTER.expected);

    const topic = 'homeassistant/device/hems_pv_inverter/config';
    const config = await waitFor(() => {
      const payload = recorder.payload(topic);
      return payload && JSON.parse(payload).dev?.mf === 'Fronius' ? payload : undefined;
    }, 5000, 'the discovery config with what the device turned out to be');
    expect(checkDiscovery(topic, config)).toEqual([]);
    const parsed = JSON.parse(config);
    expect(parsed.dev).toMatchObject({ mf: 'Fronius', mdl: 'Symo 10.0-3-M' });
    expect(Object.keys(parsed.cmps).filter((k) => parsed.cmps[k].p === 'sensor' && k in SUNSPEC_INVERTER.expected).sort()).toEqual(Object.keys(SUNSPEC_INVERTER.expected).sort());
  });
});
