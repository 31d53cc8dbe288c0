/**
 * What the example flows (flows/*.json, shipped by the build as examples/) run against in the tests:
 * what a user can run (the README's demo household) or, where an example needs a device, an independent
 * stand-in (pymodbus for a relay board and a SUN2000, a fake Home Assistant with the entities the
 * examples read). Shared by the test-helper run (Node-RED 4.1) and the Node-RED 5 process run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FakeHomeAssistant } from '../peers/fake-home-assistant';
import { freePort, pymodbusSkipReason, startModbusPeer, type ModbusPeer } from './peers';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');

export const EXAMPLES_DIR = join(ROOT, 'examples');
/** Every example the build shipped: a flow added to flows/ is tested without being named here. */
export const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json')).sort();
export type FlowNode = Record<string, any> & { id: string; type: string };
export const readExample = (name: string): FlowNode[] => JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));

export interface ExamplePeers {
  /** The demo household's Modbus TCP port (its MQTT devices are on the broker given at start). */
  householdPort: number;
  /** A relay board's coils and a SUN2000's holding registers on unit 1 (absent without pymodbus). */
  relayAndInverter?: ModbusPeer;
  ha: FakeHomeAssistant;
  /** A port nobody listens on. */
  nobody: number;
  /** The example as a user runs it beside the demo: brokers, buses and HA pointed at these peers. */
  wired(name: string): FlowNode[];
  /** The token a user pastes into every hems-ha-server (credentials are not exported with a flow). */
  credentialsOf(flow: FlowNode[]): Record<string, { token: string }>;
  stop(): Promise<void>;
}

/** The peers, with the demo household's MQTT devices and the examples' brokers on `brokerPort`. */
export async function startExamplePeers(brokerPort: number): Promise<ExamplePeers> {
  // The README's demo household, as `npm start -- --fast` runs it.
  const { startDemoHousehold } = require(join(ROOT, 'dist', 'src', 'simulator', 'demo-household.js'));
  const householdPort = await freePort();
  const household = await startDemoHousehold({
    host: '127.0.0.1', modbusPort: householdPort, mqtt: { host: '127.0.0.1', port: brokerPort }, speed: 60, startHour: 12, batterySocPct: 90, updateMs: 500,
  });
  // A relay board's coils and a SUN2000's holding registers up to its export limitation block, on unit 1.
  const relayAndInverter = pymodbusSkipReason() ? undefined : await startModbusPeer({ units: [1], size: { coil: 8, holding: 47_420 }, registers: [] });
  const ha = await FakeHomeAssistant.start({ timeZone: 'Europe/Berlin' });
  const nobody = await freePort();
  ha.setState('sensor.grid_power', '0.85', { unit_of_measurement: 'kW' });
  ha.setState('sensor.grid_energy_import', '4321.5', { unit_of_measurement: 'kWh' });
  ha.setState('switch.water_heater', 'off');
  ha.setState('sensor.nordpool_kwh_de_eur', '10.5', {
    unit_of_measurement: 'c/kWh',
    raw_today: [
      { start: '2026-01-15T00:00:00+01:00', end: '2026-01-15T01:00:00+01:00', value: 10.5 },
      { start: '2026-01-15T01:00:00+01:00', end: '2026-01-15T02:00:00+01:00', value: 9.5 },
    ],
    raw_tomorrow: [],
  });
  ha.solarForecasts = { roof: { wh_hours: { '2026-06-01T08:00:00+02:00': 1200, '2026-06-01T09:00:00+02:00': 2000 } } };
  return {
    householdPort,
    relayAndInverter,
    ha,
    nobody,
    wired(name) {
      const modbusPort = name.startsWith('demo-') ? householdPort : relayAndInverter?.port;
      return readExample(name).map((node) => {
        if (node.type === 'hems-ha') return { ...node, host: '127.0.0.1', port: brokerPort };
        if (node.type === 'mqtt-broker') return { ...node, broker: '127.0.0.1', port: brokerPort };
        if (node.type === 'hems-modbus') return { ...node, host: '127.0.0.1', port: modbusPort };
        if (node.type === 'hems-ha-server') return { ...node, url: ha.url };
        return node;
      });
    },
    credentialsOf: (flow) => Object.fromEntries(flow.filter((n) => n.type === 'hems-ha-server').map((n) => [n.id, { token: ha.token }])),
    async stop() {
      await household.close();
      await relayAndInverter?.stop();
      await ha.stop();
    },
  };
}
