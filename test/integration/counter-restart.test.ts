/**
 * Counters survive a Node-RED restart: after the restart, a device that reports a lower lifetime
 * total (a bad read, a swapped meter) does not make the published counter go backwards.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { pymodbusSkipReason, startBroker, startModbusPeer, waitFor } from '../helpers/peers';
import { readFlow, startRuntime, withPorts } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe.skipIf(pymodbusSkipReason())('counters across a Node-RED restart', () => {
  it('never publishes a lower energy total after the restart', async () => {
    const broker = await startBroker();
    cleanup.push(() => broker.stop());
    const first = await startModbusPeer(peerSpecFor(SDM630_CASE));
    const flow = await withPorts(readFlow('demo-meter-to-ha.json'), { 'hems-modbus': first.port, 'hems-ha': broker.port });
    const userDir = mkdtempSync(join(tmpdir(), 'hems-restart-'));
    const recorder = await MqttRecorder.connect(broker.port, ['hems/grid_meter/energy_import_kwh']);
    cleanup.push(() => recorder.close());

    const before = await startRuntime(flow, { userDir });
    await waitFor(() => recorder.payload('hems/grid_meter/energy_import_kwh') === '12345.6', 10_000, 'the first total');
    await before.stop('SIGINT');
    await first.stop();

    // The same device now answers with a much lower total.
    const spec = peerSpecFor(SDM630_CASE);
    const lower = { ...spec, registers: spec.registers.map((r) => (r.address === 72 ? { ...r, value: 10.5 } : r)) };
    const second = await startModbusPeer(lower, first.port);
    cleanup.push(() => second.stop());
    const after = await startRuntime(flow, { userDir, keepState: true });
    cleanup.push(() => after.stop('SIGKILL'));
    await waitFor(() => after.lines.find((l) => l.includes('energy_import_kwh went backwards')), 10_000, 'the warning');
    expect(after.lines.find((l) => l.includes('went backwards'))).toContain('energy_import_kwh went backwards (12345.6 → 10.5); value dropped');
    expect(recorder.all.filter((m) => m.topic === 'hems/grid_meter/energy_import_kwh').map((m) => m.payload)).not.toContain('10.5');
  }, 60_000);
});
