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

  it('keeps its sends bounded: a retained topic keeps its newest payload until there is room, other messages are shed and counted', async () => {
    let connected = false;
    const warnings: string[] = [];
    const connection = new MqttConnection(
      { host: '127.0.0.1', port: broker.port, clientId: 'bounded', keepaliveSeconds: 30, will: { topic: 't/status', payload: 'offline' }, maxInFlight: 2 },
      (state) => (connected = state === 'connected'),
      (warning) => warnings.push(warning),
    );
    await waitFor(() => connected, 5000, 'connected');
    const recorder = await MqttRecorder.connect(broker.port, ['flood/#']);
    for (let i = 1; i <= 100; i++) connection.publish(`flood/state${i % 4}`, String(i), { retain: true, qos: 1 });
    for (let i = 1; i <= 10; i++) connection.publish('flood/event', String(i), { retain: false, qos: 0 });
    await waitFor(() => ['97', '98', '99', '100'].every((v, i) => recorder.payload(`flood/state${(i + 1) % 4}`) === v) || undefined, 5000, 'the newest payload per topic');
    // Two went out at once; of the rest each topic sent only its newest.
    expect(recorder.all.filter((m) => m.topic.startsWith('flood/state')).length).toBeLessThanOrEqual(6);
    expect(recorder.all.filter((m) => m.topic === 'flood/event')).toEqual([]);
    expect(connection.shedCount).toBe(10);
    expect(warnings).toEqual([`MQTT: 1 message(s) not sent, 2 still wait for broker 127.0.0.1:${broker.port} (1 since start)`]);
    await recorder.close();
    await connection.end([]);
  });
});
