import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AUTH_REFUSED, haBaseUrl, HaWebsocketClient, type HaLinkState, type HassEntity } from '../../src/io/ha-websocket';
import { freePort, waitFor } from '../helpers/peers';
import { FakeHomeAssistant } from '../peers/fake-home-assistant';

let ha: FakeHomeAssistant;
const clients: HaWebsocketClient[] = [];

beforeEach(async () => {
  ha = await FakeHomeAssistant.start();
  ha.setState('sensor.grid_power', '1.5', { unit_of_measurement: 'kW' });
  ha.setState('switch.boiler', 'off');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await ha.stop();
});

function client(overrides: Partial<ConstructorParameters<typeof HaWebsocketClient>[0]> = {}) {
  const c = new HaWebsocketClient({ url: ha.url, token: ha.token, ...overrides });
  clients.push(c);
  const states: HaLinkState[] = [];
  c.onLinkState((s) => states.push(s));
  c.start();
  return { c, states };
}

function entityRecorder(c: HaWebsocketClient, entityId: string) {
  const seen: Array<HassEntity | undefined> = [];
  c.subscribeEntity(entityId, (e) => seen.push(e));
  return seen;
}

describe('haBaseUrl', () => {
  it.each([
    ['http://homeassistant.local:8123/', 'http://homeassistant.local:8123'],
    ['https://ha.example.org', 'https://ha.example.org'],
    [' http://10.0.0.2:8123 ', 'http://10.0.0.2:8123'],
  ])('%s → %s', (input, expected) => expect(haBaseUrl(input)).toBe(expected));

  it.each([
    ['homeassistant.local:8123', 'must start with http:// or https://'],
    ['ws://10.0.0.2:8123', 'must start with http:// or https://'],
    ['not a url', '"not a url" is not a URL: use the address you open HA at, like http://homeassistant.local:8123'],
  ])('refuses %s with the fix', (input, message) => expect(() => haBaseUrl(input)).toThrow(message));
});

describe('HaWebsocketClient against the fake Home Assistant', () => {
  it('authenticates with the token, announces supported_features with id 1, and uses increasing ids', async () => {
    const { c } = client();
    const seen = entityRecorder(c, 'sensor.grid_power');
    await waitFor(() => seen.length > 0, 5000, 'first entity state');
    expect(c.linkState).toEqual({ state: 'connected', detail: 'connected to Home Assistant 2025.7.1' });
    expect(seen[0]).toMatchObject({ state: '1.5', attributes: { unit_of_measurement: 'kW' } });
    const types = ha.received[0].map((m) => m.type);
    expect(types.slice(0, 2)).toEqual(['auth', 'supported_features']);
    expect(ha.received[0][1]).toMatchObject({ id: 1, features: { coalesce_messages: 1 } });
    expect(types).toContain('subscribe_entities');
    await waitFor(() => c.timeZone, 5000, 'time zone from get_config');
    expect(c.timeZone).toBe('Europe/Berlin');
    expect(ha.protocolErrors).toEqual([]);
  });

  it('says what to do when Home Assistant refuses the token, and does not retry', async () => {
    const { c, states } = client({ token: 'wrong' });
    await waitFor(() => c.linkState.state === 'refused' || undefined, 5000, 'refused');
    expect(c.linkState.detail).toBe(AUTH_REFUSED);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ha.authAttempts).toBe(1);
    expect(states.map((s) => s.state)).toEqual(['refused']);
  });

  it('names the URL and the reason when nothing answers, and keeps trying', async () => {
    const port = await freePort();
    const { c } = client({ url: `http://127.0.0.1:${port}` });
    await waitFor(() => c.linkState.state === 'disconnected' || undefined, 5000, 'disconnected');
    expect(c.linkState.detail).toBe(`cannot connect to ws://127.0.0.1:${port}/api/websocket: connect ECONNREFUSED 127.0.0.1:${port}; retrying in 1 s`);
  });

  it('passes every change, and an entity HA does not have as undefined', async () => {
    const { c } = client();
    const power = entityRecorder(c, 'sensor.grid_power');
    const missing = entityRecorder(c, 'sensor.nope');
    const boiler = entityRecorder(c, 'switch.boiler');
    await waitFor(() => power.length === 1 && missing.length === 1 || undefined, 5000, 'first states');
    ha.setState('sensor.grid_power', '-0.7');
    await waitFor(() => power.length === 2 || undefined, 5000, 'changed state');
    expect(power[1]).toMatchObject({ state: '-0.7', attributes: { unit_of_measurement: 'kW' } });
    expect(missing).toEqual([undefined]);
    expect(boiler).toHaveLength(1);
    ha.removeEntity('sensor.grid_power');
    await waitFor(() => power.length === 3 || undefined, 5000, 'removal');
    expect(power[2]).toBeUndefined();
  });

  it('tells a late subscriber the current state', async () => {
    const { c } = client();
    entityRecorder(c, 'sensor.grid_power');
    await waitFor(() => c.connected || undefined, 5000, 'connected');
    await new Promise((r) => setTimeout(r, 100));
    const late = entityRecorder(c, 'switch.boiler');
    await waitFor(() => late.length === 1 || undefined, 5000, 'late subscriber');
    expect(late[0]?.state).toBe('off');
    ha.setState('sensor.grid_power', '9');
    ha.setState('switch.boiler', 'on');
    await waitFor(() => late.length === 2 || undefined, 5000, 'late subscriber change');
    expect(late.map((e) => e?.state)).toEqual(['off', 'on']);
  });

  it('falls back to get_states + state_changed on Home Assistant before 2022.4', async () => {
    await ha.stop();
    ha = await FakeHomeAssistant.start({ haVersion: '2022.3.8' });
    ha.setState('sensor.grid_power', '2');
    const { c } = client();
    const power = entityRecorder(c, 'sensor.grid_power');
    await waitFor(() => power.length === 1 || undefined, 5000, 'first state');
    ha.setState('sensor.grid_power', '3');
    await waitFor(() => power.length === 2 || undefined, 5000, 'changed state');
    expect(power.map((e) => e?.state)).toEqual(['2', '3']);
    const types = ha.received[0].map((m) => m.type);
    expect(types).not.toContain('supported_features');
    expect(ha.subscriptionKinds()).toEqual(['state_changed']);
    expect(ha.protocolErrors).toEqual([]);
  });

  it('reconnects after Home Assistant drops the connection and resumes the subscription', async () => {
    const { c, states } = client();
    const power = entityRecorder(c, 'sensor.grid_power');
    await waitFor(() => power.length === 1 || undefined, 5000, 'first state');
    ha.dropConnections();
    await waitFor(() => states.some((s) => s.state === 'disconnected') || undefined, 5000, 'disconnected');
    await waitFor(() => ha.connectionCount === 1 && ha.subscriptionKinds().includes('entities') || undefined, 8000, 'resubscribed');
    await waitFor(() => c.linkState.state === 'connected' || undefined, 5000, 'connected again');
    ha.setState('sensor.grid_power', '4.2');
    await waitFor(() => power.some((e) => e?.state === '4.2') || undefined, 5000, 'change after reconnect');
    expect(ha.received).toHaveLength(2);
    expect(ha.received[1].slice(0, 2).map((m) => m.type)).toEqual(['auth', 'supported_features']);
    expect(ha.protocolErrors).toEqual([]);
  });

  it('pings, and reconnects when Home Assistant stops answering', async () => {
    const { c } = client({ keepAliveMs: 150 });
    const power = entityRecorder(c, 'sensor.grid_power');
    await waitFor(() => ha.received[0]?.some((m) => m.type === 'ping') || undefined, 5000, 'a ping');
    ha.ignorePings = true;
    await waitFor(() => ha.received.length === 2 || undefined, 5000, 'second connection');
    ha.ignorePings = false;
    await waitFor(() => c.linkState.state === 'connected' && power.length === 2 || undefined, 5000, 'entities again');
    expect(ha.protocolErrors).toEqual([]);
  });

  it('calls a service and returns its result; an unknown service is an error with HA\'s reason', async () => {
    const { c } = client();
    await waitFor(() => c.connected || undefined, 5000, 'connected');
    const result = await c.callService('switch', 'turn_on', { entity_id: 'switch.boiler' });
    expect(result).toMatchObject({ context: { id: expect.any(String) } });
    expect(ha.calls).toEqual([{ domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.boiler' } }]);
    expect(ha.states.get('switch.boiler')?.state).toBe('on');
    await expect(c.callService('climate', 'turn_on', { entity_id: 'climate.x' })).rejects.toThrow(
      'Home Assistant did not run climate.turn_on for climate.x: not_found: Service climate.turn_on not found.',
    );
    expect(ha.protocolErrors).toEqual([]);
  });

  it('refuses a service call while disconnected, with the reason', async () => {
    const port = await freePort();
    const { c } = client({ url: `http://127.0.0.1:${port}` });
    await expect(c.callService('switch', 'turn_off', { entity_id: 'switch.boiler' })).rejects.toThrow(
      'cannot call switch.turn_off for switch.boiler: not connected to Home Assistant',
    );
  });

  it('opens its sockets through the injected factory', async () => {
    const urls: string[] = [];
    const { c } = client({
      socketFactory: (url) => {
        urls.push(url);
        return new WebSocket(url);
      },
    });
    await waitFor(() => c.connected || undefined, 5000, 'connected');
    expect(urls).toEqual([`ws://127.0.0.1:${ha.port}/api/websocket`]);
  });

  it('closes cleanly while still connecting', async () => {
    const port = await freePort();
    const { c, states } = client({ url: `http://127.0.0.1:${port}` });
    await c.close();
    await new Promise((r) => setTimeout(r, 1500));
    expect(states).toEqual([]);
  });
});
