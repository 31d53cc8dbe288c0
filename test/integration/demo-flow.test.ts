/**
 * The demo flow in a real Node-RED process, reading an independent Modbus peer (pymodbus) and
 * publishing to a real broker (mosquitto, else aedes): what Home Assistant would receive.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getProfile } from '../../src/devices/profiles';
import { peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { checkDiscovery, checkState } from '../ha-conformance/checker';
import { MqttRecorder } from '../helpers/mqtt-recorder';
import { pymodbusSkipReason, startBroker, startModbusPeer, waitFor } from '../helpers/peers';
import { readFlow, startRuntime, withPorts, type RunningNodeRed } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function startDemoAgainstPeers() {
  const broker = await startBroker();
  cleanup.push(() => broker.stop());
  const peer = await startModbusPeer(peerSpecFor(SDM630_CASE));
  cleanup.push(() => peer.stop());
  const recorder = await MqttRecorder.connect(broker.port, ['homeassistant/#', 'hems/#']);
  cleanup.push(() => recorder.close());
  const flow = await withPorts(readFlow('demo-meter-to-ha.json'), { 'hems-modbus': peer.port, 'hems-ha': broker.port });
  const started = Date.now();
  const nodeRed: RunningNodeRed = await startRuntime(flow);
  cleanup.push(() => nodeRed.stop('SIGKILL'));
  return { recorder, nodeRed, started };
}

describe.skipIf(pymodbusSkipReason())('demo flow in a running Node-RED', () => {
  it('publishes HA discovery for every meter value, then the states, all online', async () => {
    const { recorder, started } = await startDemoAgainstPeers();
    const configTopic = 'homeassistant/device/hems_grid_meter/config';
    const config = await waitFor(() => recorder.latest.get(configTopic), 30_000, 'the discovery config');
    expect(Date.now() - started).toBeLessThan(30_000);
    const payload = JSON.parse(config.payload);
    const names = getProfile('sdm630').registers.map((r) => r.name);
    expect(Object.keys(payload.cmps).sort()).toEqual([...names, 'read_now', 'alarm'].sort());
    expect(payload.dev).toMatchObject({ ids: ['hems_grid_meter'], name: 'Grid meter', mf: 'Eastron', mdl: 'SDM630' });
    expect(payload.cmps.energy_import_kwh).toMatchObject({
      p: 'sensor', dev_cla: 'energy', stat_cla: 'total_increasing', unit_of_meas: 'kWh',
      uniq_id: 'hems_grid_meter_energy_import_kwh', stat_t: 'hems/grid_meter/energy_import_kwh',
    });
    await waitFor(() => recorder.payload('hems/grid_meter/energy_export_l3_kwh'), 30_000, 'the last state');
    expect(recorder.payload('hems/grid_meter/power_w')).toBe('-210.25');
    expect(recorder.payload('hems/grid_meter/voltage_l1_v')).toBe('230.1');
    expect(recorder.payload('hems/grid_meter/current_l1_a')).toBe('5.25');
    expect(recorder.payload('hems/grid_meter/frequency_hz')).toBe('49.98');
    expect(recorder.payload('hems/grid_meter/energy_import_kwh')).toBe('12345.6');
    expect(recorder.payload('hems/grid_meter/power_factor_l1')).toBe('0.95');
    expect(recorder.payload('hems/status')).toBe('online');
    expect(recorder.payload('hems/grid_meter/availability')).toBe('online');

    // A client that connects now (HA after its own restart) gets everything from retained messages.
    const late = await MqttRecorder.connect((recorder.client.options.port as number), ['homeassistant/#', 'hems/#']);
    cleanup.push(() => late.close());
    await waitFor(() => late.payload('hems/grid_meter/power_w'), 3000, 'retained state');
    expect(late.latest.get(configTopic)?.retain).toBe(true);
    expect(JSON.parse(late.payload(configTopic)!)).toEqual(payload);
  });

  it('every retained config passes the conformance checker, and every entity has a valid state', async () => {
    const { recorder } = await startDemoAgainstPeers();
    await waitFor(() => recorder.payload('hems/grid_meter/energy_export_l3_kwh'), 30_000, 'the meter states');
    const retained = await MqttRecorder.connect(recorder.client.options.port as number, ['homeassistant/#', 'hems/#']);
    cleanup.push(() => retained.close());
    await waitFor(() => retained.payload('homeassistant/device/hems_site/config') && retained.payload('hems/grid_meter/power_w'), 3000, 'retained messages');
    const configs = [...retained.latest.values()].filter((m) => m.topic.startsWith('homeassistant/') && m.topic.endsWith('/config'));
    expect(configs.map((c) => c.topic).sort()).toEqual(['homeassistant/device/hems_grid_meter/config', 'homeassistant/device/hems_site/config']);
    const problems: string[] = [];
    for (const config of configs) {
      for (const v of checkDiscovery(config.topic, config.payload)) problems.push(`${v.rule} ${v.where}: ${v.message}`);
      const parsed = JSON.parse(config.payload);
      for (const topic of parsed.avty.map((a: { t: string }) => a.t)) {
        if (retained.payload(topic) !== 'online') problems.push(`${topic} is ${retained.payload(topic)}, not online`);
      }
      for (const [id, component] of Object.entries(parsed.cmps as Record<string, Record<string, unknown>>)) {
        const stateTopic = component.stat_t as string | undefined;
        if (!stateTopic) continue;
        const state = retained.payload(stateTopic);
        if (state === undefined) problems.push(`${id}: no state on ${stateTopic}`);
        else if (checkState(component, state)) problems.push(`${id}: ${checkState(component, state)}`);
        if (component.json_attr_t && retained.payload(component.json_attr_t as string) === undefined) problems.push(`${id}: no attributes`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('says offline when Node-RED stops cleanly, and through the last will when it dies', async () => {
    const { recorder, nodeRed } = await startDemoAgainstPeers();
    await waitFor(() => recorder.payload('hems/status') === 'online', 30_000, 'online');
    await nodeRed.stop('SIGINT');
    await waitFor(() => recorder.payload('hems/status') === 'offline', 5000, 'offline after a clean stop');

    const again = await startRuntime(
      await withPorts(readFlow('demo-meter-to-ha.json'), {
        'hems-modbus': 1, // no device needed for this part
        'hems-ha': recorder.client.options.port as number,
      }),
    );
    await waitFor(() => recorder.payload('hems/status') === 'online', 10_000, 'online again');
    await again.stop('SIGKILL');
    // The broker sends the will once it notices the dead connection (at once for a closed socket).
    await waitFor(() => recorder.payload('hems/status') === 'offline', 10_000, 'offline through the last will');
  });
});
