/**
 * 2 000 generated Home Assistant commands through a real broker into the bridge, on the command
 * topics of a relay, an SG Ready heat pump, a meter's button, a number and a text entity, and on
 * topics no entity has: each one reaches its node with a value the entity allows, or is refused
 * with a clear reason (logged and on `<base>/site/error`); none is lost or crashes the bridge.
 * The command rate bound is lifted here: this test is about what arrives, not how fast.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BRIDGE_TIMING, HaBridge } from '../../src/ha-discovery/bridge';
import type { CommandValue } from '../../src/ha-discovery/commands';
import { relayDevice } from '../../src/ha-discovery/devices/relay';
import { sgReadyDevice } from '../../src/ha-discovery/devices/sg-ready';
import type { EntitySpec, HaDeviceSpec } from '../../src/ha-discovery/entities';
import { topics } from '../../src/ha-discovery/topics';
import { MqttConnection } from '../../src/io/mqtt-connection';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { startBroker, waitFor, type Broker } from '../helpers/peers';
import { FUZZ_SEED, RAW_ERROR } from './arbitraries';

const COMMANDS = Number(process.env.HEMS_FUZZ_HA_COMMANDS ?? 2000);
const COMMAND_BATCH = 250;
const ROOTS = { discoveryPrefix: 'homeassistant', baseTopic: 'hems' };
const DEVICES: HaDeviceSpec[] = [
  relayDevice('boiler', 'Boiler'),
  sgReadyDevice('heat_pump', 'Heat pump'),
  {
    deviceId: 'site_limits',
    name: 'Limits',
    entities: [
      { kind: 'number', key: 'export_limit_w', name: 'Export limit', min: 0, max: 100_000, step: 100, unit: 'W' } as EntitySpec,
      { kind: 'text', key: 'note', name: 'Note', max: 40, pattern: '[a-z ]+' } as EntitySpec,
      { kind: 'button', key: 'read_now', name: 'Read now' },
      { kind: 'sensor', key: 'power_w', name: 'Power', unit: 'W' },
    ],
  },
];

/** Commands to every entity (commandable or not) and to names nobody has. */
const targets = [
  ...DEVICES.flatMap((d) => d.entities.map((e) => ({ deviceId: d.deviceId, key: e.key }))),
  { deviceId: 'boiler', key: 'no_such_thing' },
  { deviceId: 'nobody', key: 'relay' },
];
const payloads = fc.oneof(
  fc.constantFrom('ON', 'OFF', 'PRESS', 'auto', 'force', 'lock', '500', '1e21', 'NaN', '-0', ' 5 ', '', 'x'.repeat(5000)),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.json(),
);

describe('HA commands under fuzzing, through a real broker', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(() => broker.stop());

  it(`${COMMANDS} generated commands: each taken with an allowed value or refused clearly (seed ${FUZZ_SEED})`, async () => {
    const refusals: string[] = [];
    const taken: Array<{ deviceId: string; key: string; value: CommandValue }> = [];
    // Connected comes later, from the broker: by then the bridge exists.
    const connection = new MqttConnection(
      { host: '127.0.0.1', port: broker.port, clientId: 'hems_fuzz', keepaliveSeconds: 30, will: { topic: 'hems/status', payload: 'offline' } },
      (state) => state === 'connected' && bridge.onConnected(),
    );
    const bridge = new HaBridge(ROOTS, connection, { warn: (m) => refusals.push(m) }, { ...DEFAULT_BRIDGE_TIMING, maxCommandsPerSecond: Number.POSITIVE_INFINITY });
    for (const device of DEVICES) bridge.registerDevice(`owner_${device.deviceId}`, device, (key, value) => taken.push({ deviceId: device.deviceId, key, value }));
    const sender = await MqttRecorder.connect(broker.port, ['hems/site/error']);
    try {
      await waitFor(() => connection.connected || undefined, 5000, 'the bridge connected');
      await waitFor(() => sender.payload('hems/site/error') === 'none' || undefined, 5000, 'the bridge online');
      const commands = fc.sample(fc.tuple(fc.constantFrom(...targets), payloads), { seed: FUZZ_SEED, numRuns: COMMANDS });
      const answered = () => taken.length + refusals.filter((r) => r.startsWith('ignored command on ')).length;
      // In batches: mosquitto queues at most 1 000 messages for a slow subscriber and drops the rest.
      for (let sent = 0; sent < COMMANDS; sent += COMMAND_BATCH) {
        for (const [target, payload] of commands.slice(sent, sent + COMMAND_BATCH)) void sender.client.publish(topics.command(ROOTS, target.deviceId, target.key), payload, { qos: 1 });
        const expected = Math.min(COMMANDS, sent + COMMAND_BATCH);
        await waitFor(() => answered() >= expected || undefined, 30_000, `an answer to each of the first ${expected} commands`);
      }
      expect(answered()).toBe(COMMANDS);

      for (const refusal of refusals) {
        expect(refusal).not.toMatch(RAW_ERROR);
        expect(refusal.length).toBeLessThan(2000);
      }
      const entityOf = (deviceId: string, key: string) => DEVICES.find((d) => d.deviceId === deviceId)!.entities.find((e) => e.key === key)!;
      for (const { deviceId, key, value } of taken) {
        const entity = entityOf(deviceId, key);
        if (entity.kind === 'switch') expect(typeof value).toBe('boolean');
        if (entity.kind === 'select') expect(entity.options).toContain(value);
        if (entity.kind === 'button') expect(value).toBe('PRESS');
        if (entity.kind === 'number') expect(Number.isFinite(value) && (value as number) >= entity.min && (value as number) <= entity.max).toBe(true);
        if (entity.kind === 'text') expect(String(value)).toMatch(/^[a-z ]{0,40}$/);
        expect(['sensor', 'binary_sensor']).not.toContain(entity.kind);
      }
      // Both kinds of answer happened, and the error sensor stays within HA's 255 characters.
      expect(taken.length).toBeGreaterThan(0);
      expect(refusals.length).toBeGreaterThan(0);
      expect(sender.all.filter((m) => m.topic === 'hems/site/error').every((m) => m.payload.length <= 255)).toBe(true);
    } finally {
      await sender.close();
      await connection.end(bridge.goodbye());
    }
  }, 120_000);
});
