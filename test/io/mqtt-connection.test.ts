import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter, MqttConnection } from '../../src/io/mqtt-connection';
import { startBroker, waitFor, type Broker } from '../helpers/peers';
import { MqttRecorder } from '../helpers/mqtt-recorder';

describe('matchesFilter', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/b', true],
    ['+/status/em:0', 'shelly/status/em:0', true],
  ])('%s vs %s → %s', (filter, topic, expected) => {
    expect(matchesFilter(filter, topic)).toBe(expected);
  });
});

describe('MqttConnection with a real broker', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(() => broker.stop());

  it('delivers to every subscriber of a filter, and keeps the others when one leaves', async () => {
    let connected = false;
    const connection = new MqttConnection(
      { host: '127.0.0.1', port: broker.port, clientId: 'multi', keepaliveSeconds: 30, will: { topic: 't/status', payload: 'offline' } },
      (state) => (connected = state === 'connected'),
    );
    const a: string[] = [];
    const b: string[] = [];
    const stopA = connection.subscribe('meters/#', (_t, p) => a.push(p));
    connection.subscribe('meters/#', (_t, p) => b.push(p));
    await waitFor(() => connected, 5000, 'connected');
    const sender = await MqttRecorder.connect(broker.port, []);
    await new Promise((r) => setTimeout(r, 200));
    await sender.client.publishAsync('meters/x', '1', { qos: 1 });
    await waitFor(() => a.length === 1 && b.length === 1, 3000, 'both subscribers');
    stopA();
    await sender.client.publishAsync('meters/x', '2', { qos: 1 });
    await waitFor(() => b.length === 2, 3000, 'the remaining subscriber');
    expect(a).toEqual(['1']);
    await sender.close();
    await connection.end([]);
  });
});
