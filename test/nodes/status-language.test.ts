/**
 * Status texts with values come out in the language Node-RED runs in (settings.js `lang`): a real
 * Node-RED counts 250 pulses, and the statuses are read the way the editor gets them (its comms socket).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/peers';
import { startRuntime, watchStatuses, type RunningNodeRed } from '../helpers/runtime';

const pulse = (id: string, deviceId: string) => ({
  id, type: 'hems-pulse', z: 'tab', wires: [[]], version: 1, name: '', deviceId, medium: 'electricity_kwh', pulsesPerUnit: 1000, debounceMs: 20,
  messageMode: 'increment', maxIncrement: 10000, bus: '', unitId: 1, table: 'discrete', address: 0, pollInterval: 0.1, ha: '', haStates: 'quiet',
});

const FLOW = [
  { id: 'tab', type: 'tab', label: 'Status language' },
  { id: 'pulses', type: 'inject', z: 'tab', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.1, topic: '', payload: '250', payloadType: 'num', wires: [['counter']] },
  pulse('counter', 'house_meter'),
  // A device id that is no id: the status shows the (English) reason inside the language's frame.
  pulse('misnamed', 'house meter'),
];

describe("status texts with values follow Node-RED's language", () => {
  let nodeRed: RunningNodeRed | undefined;
  afterEach(async () => {
    await nodeRed?.stop();
    nodeRed = undefined;
  });

  it.each([
    ['de', '0,25 kWh (250 Impulse)', 'Einstellung prüfen: device id "house meter" may only contain'],
    ['en-US', '0.25 kWh (250 pulses)', 'device id "house meter" may only contain'],
  ])('lang %s: "%s"', async (lang, counted, misnamed) => {
    nodeRed = await startRuntime(FLOW, { lang });
    const statuses = await watchStatuses(nodeRed.port);
    try {
      await waitFor(() => statuses.latest.counter?.text === counted || undefined, 10_000, `"${counted}", not ${JSON.stringify(statuses.latest)}`);
      expect(statuses.latest.misnamed?.text).toMatch(new RegExp(`^${misnamed}`));
    } finally {
      statuses.close();
    }
  }, 40_000);
});
