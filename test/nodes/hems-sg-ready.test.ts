import { describe, expect, it } from 'vitest';
import { checkDiscovery, checkState } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { errorsLogged, helper, hemsNodes, lastStatus, runtimeWithBroker } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';

const env = runtimeWithBroker();
let recorder: MqttRecorder | undefined;

/** 0.01 min = 0.6 s of dwell, so a test sees changes without waiting ten minutes. */
function flow(sg: Record<string, unknown> = {}, withHa = false) {
  return [
    ...(withHa ? [{ id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: env.broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' }] : []),
    {
      id: 'sg', type: 'hems-sg-ready', deviceId: 'heat_pump', ha: withHa ? 'ha' : '', minDwellMinutes: 0.01, maxLockMinutes: 120, maxLocksPerDay: 3,
      minGapMinutes: 0, controlTimeoutSeconds: 300, contact1Relay: 'a', contact1Terminal: 'NO', contact2Relay: 'b', contact2Terminal: 'NO',
      wires: [['a'], ['b'], ['state']], ...sg,
    },
    { id: 'a', type: 'helper' }, { id: 'b', type: 'helper' }, { id: 'state', type: 'helper' },
  ];
}

function collect(id: string) {
  const got: Array<{ payload: Record<string, unknown> }> = [];
  helper.getNode(id).on('input', (m: { payload: Record<string, unknown> }) => got.push(m));
  return got;
}

describe('hems-sg-ready', () => {
  it.each([
    [{ contact2Relay: 'a' }, 'contact 1 and contact 2 are both on relay a: give each contact its own relay'],
    [{ deviceId: 'site' }, 'device id "site" is reserved for the site device: choose another'],
    [{ minDwellMinutes: 0 }, 'minDwellSeconds 0 must be a number above 0'],
  ])('%j → red status and an error naming the fix', async (override, text) => {
    await helper.load(hemsNodes, flow(override));
    expect(lastStatus(helper.getNode('sg'))).toEqual({ fill: 'red', shape: 'ring', text: text.slice(0, 120) });
    expect(errorsLogged('sg')).toEqual([`hems-sg-ready "sg": ${text}`]);
  });

  it('puts the relays in normal at start, then follows the optimiser after the dwell', async () => {
    await helper.load(hemsNodes, flow());
    const [a, b, state] = [collect('a'), collect('b'), collect('state')];
    await waitFor(() => a.length > 0 && b.length > 0, 2000, 'start commands');
    expect([a[0].payload.on, b[0].payload.on]).toEqual([false, false]);
    await new Promise((r) => setTimeout(r, 700));
    helper.getNode('sg').receive({ payload: { sgReadyState: 'recommend', reason: 'surplus 3.1 kW ≥ 3.0 kW' } });
    await waitFor(() => state.find((m) => m.payload.state === 'recommend'), 2000, 'recommend');
    expect(a.at(-1)!.payload).toEqual({ on: false, reason: 'recommend (3): surplus 3.1 kW ≥ 3.0 kW' });
    expect(b.at(-1)!.payload).toEqual({ on: true, reason: 'recommend (3): surplus 3.1 kW ≥ 3.0 kW' });
    expect(state.at(-1)!.payload).toMatchObject({ state: 'recommend', number: 3, contacts: [false, true], mode: 'auto' });
  });

  it('refuses an input it cannot use, naming what it takes', async () => {
    await helper.load(hemsNodes, flow());
    helper.getNode('sg').receive({ payload: 'boost' });
    await waitFor(() => errorsLogged('sg').length > 0, 2000, 'an error');
    expect(errorsLogged('sg')[0]).toContain('heat_pump: msg.payload = "boost": not an SG Ready state: send lock, normal, recommend or force_on');
  });

  it('shows mode, state, reason and times in HA, and a mode chosen in HA drives the relays', async () => {
    recorder = await env.record(['homeassistant/device/hems_heat_pump/config', 'hems/heat_pump/#']);
    await helper.load(hemsNodes, flow({}, true));
    const [a] = [collect('a')];
    const config = await waitFor(() => recorder!.payload('homeassistant/device/hems_heat_pump/config'), 5000, 'discovery');
    expect(checkDiscovery('homeassistant/device/hems_heat_pump/config', config)).toEqual([]);
    await waitFor(() => recorder!.payload('hems/heat_pump/state') === 'normal', 5000, 'state');
    await new Promise((r) => setTimeout(r, 700));
    await recorder.client.publishAsync('hems/heat_pump/mode/set', 'force', { qos: 1 });
    // States are separate messages published in order mode, state, reason …, lock_limit: wait for the last.
    await waitFor(() => recorder!.payload('hems/heat_pump/state') === 'force_on' && recorder!.payload('hems/heat_pump/reason') === 'force on (4): manual force', 5000, 'forced on');
    await waitFor(() => recorder!.payload('hems/heat_pump/lock_limit'), 5000, 'the last state of the update');
    expect(a.at(-1)!.payload.on).toBe(true);
    expect(recorder.payload('hems/heat_pump/mode')).toBe('force');
    const cmps = JSON.parse(config).cmps as Record<string, Record<string, unknown>>;
    for (const [key, component] of Object.entries(cmps)) {
      const value = recorder.payload(`hems/heat_pump/${key}`);
      expect(value, key).toBeDefined();
      expect(checkState(component, value!), key).toBeUndefined();
    }
  });
});
