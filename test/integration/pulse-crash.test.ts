/**
 * A pulse count survives `kill -9`: a real Node-RED counts 10 pulses a second into hems-pulse and
 * is killed at a random moment, 20 times over the same user directory. After every restart the
 * total Home Assistant sees (on a real mosquitto; States in HA "all", so HA sees every count)
 * continues from at most one pulse below where it stopped, it never goes backwards, and at most
 * one pulse the node had counted (its output, sent on to the broker) is lost. The moments come from a seed, so a failure replays:
 * HEMS_CRASH_SEED=<seed> npx vitest run test/integration/pulse-crash.test.ts
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { startBroker, waitFor } from '../helpers/peers';
import { startRuntime } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const CRASHES = 20;
const SEED = Number(process.env.HEMS_CRASH_SEED ?? 20_261_205);
const COUNT_TOPIC = 'hems/water/pulse_count';
/** Every count the node sent on its output: what it had received. */
const RECEIVED_TOPIC = 'test/received';

describe('pulse counts through kill -9', () => {
  it(`continue from at most one pulse below the last published count after ${CRASHES} crashes at random moments (seed ${SEED})`, async () => {
    const broker = await startBroker();
    const recorder = await MqttRecorder.connect(broker.port, [COUNT_TOPIC, RECEIVED_TOPIC]);
    cleanup.push(() => broker.stop(), () => recorder.close());
    const flows = [
      { id: 'tab', type: 'tab', label: 'Pulses' },
      { id: 'ha', type: 'hems-ha', host: '127.0.0.1', port: broker.port, discoveryPrefix: 'homeassistant', baseTopic: 'hems' },
      // 10 pulses a second, each as an increment of 1.
      { id: 'tick', z: 'tab', type: 'inject', repeat: '0.1', once: true, onceDelay: 0.1, payload: '1', payloadType: 'num', topic: '', wires: [['pulse']] },
      {
        id: 'pulse', z: 'tab', type: 'hems-pulse', name: 'Water', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 0,
        // Every count goes to HA (not the quiet default's one a minute), so each one can be checked.
        messageMode: 'increment', maxIncrement: 10, ha: 'ha', haStates: 'all', wires: [['received']],
      },
      { id: 'broker', type: 'mqtt-broker', broker: '127.0.0.1', port: broker.port, clientid: '', protocolVersion: '4', keepalive: '60', cleansession: true },
      { id: 'received', z: 'tab', type: 'mqtt out', broker: 'broker', topic: RECEIVED_TOPIC, qos: '0', retain: 'false', wires: [] },
    ];
    const userDir = mkdtempSync(join(tmpdir(), 'hems-pulse-crash-'));
    // Each run waits this long after its first published count before the kill.
    const killAfterMs = fc.sample(fc.integer({ min: 0, max: 1500 }), { seed: SEED, numRuns: CRASHES });
    const counts = (from: number) => recorder.all.slice(from).filter((m) => m.topic === COUNT_TOPIC).map((m) => Number(m.payload));
    const received = (from: number) =>
      recorder.all
        .slice(from)
        .filter((m) => m.topic === RECEIVED_TOPIC)
        .map((m) => (JSON.parse(String(m.payload)) as { values: { pulse_count: number } }).values.pulse_count);

    let lastBeforeKill = 0;
    let lastReceived = 0;
    for (const [run, delayMs] of killAfterMs.entries()) {
      const from = recorder.all.length;
      const nodeRed = await startRuntime(flows, { userDir, keepState: run > 0 });
      cleanup.push(() => nodeRed.stop('SIGKILL'));
      // A count above the last one is a pulse counted in this run.
      await waitFor(() => counts(from).find((c) => c > lastBeforeKill), 10_000, `run ${run}: a new count`);
      await new Promise((r) => setTimeout(r, delayMs));
      await nodeRed.stop('SIGKILL');
      // What was on its way to the broker before the kill arrives; nothing comes after it.
      await new Promise((r) => setTimeout(r, 300));
      const seen = counts(from);
      const where = `run ${run} (killed ${delayMs} ms after its first new count; seed ${SEED}), counts seen: ${seen.join(' ')}`;
      expect(seen[0], where).toBeGreaterThanOrEqual(lastBeforeKill - 1);
      // The journal has every pulse counted but the one being written at the kill.
      const countedAfterStart = received(from);
      expect(countedAfterStart[0], `${where}; counted before the kill: ${lastReceived}, after: ${countedAfterStart.join(' ')}`).toBeGreaterThanOrEqual(lastReceived);
      lastReceived = countedAfterStart.at(-1)!;
      expect(seen.every((c, i) => i === 0 || c >= seen[i - 1]), where).toBe(true);
      lastBeforeKill = seen.at(-1)!;
      // The saved count is never behind what HA was sent.
      const saved = JSON.parse(readFileSync(join(userDir, 'hems-state', 'pulse-water.json'), 'utf8')).count;
      expect(saved, where).toBeGreaterThanOrEqual(lastBeforeKill);
    }
    expect(lastBeforeKill).toBeGreaterThan(CRASHES);
  }, 360_000);
});
