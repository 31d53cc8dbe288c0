/** hems-ha-server, hems-ha-meter, hems-ha-price and hems-ha-pv-forecast in Node-RED's test helper, against the fake Home Assistant. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUTH_REFUSED } from '../../src/io/ha-websocket';
import { errorsLogged, helper, lastStatus, statusesOf } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';
import { FakeHomeAssistant } from '../peers/fake-home-assistant';

const require = createRequire(import.meta.url);
const haNodes = ['hems-ha-server', 'hems-ha-meter', 'hems-ha-price', 'hems-ha-pv-forecast'].map((name) => require(join(__dirname, '..', '..', 'dist', 'nodes', `${name}.js`)));

let ha: FakeHomeAssistant;

beforeAll(async () => {
  await new Promise<void>((done) => helper.startServer(done));
});
beforeEach(async () => {
  ha = await FakeHomeAssistant.start({ timeZone: 'Europe/Berlin' });
  ha.setState('sensor.grid_power', '-1.5', { unit_of_measurement: 'kW' });
  ha.setState('sensor.grid_import', '4200', { unit_of_measurement: 'Wh' });
  ha.setState('sensor.grid_voltage', '231.2', { unit_of_measurement: 'V' });
  ha.setState('switch.boiler', 'off');
});
afterEach(async () => {
  await helper.unload();
  await ha.stop();
});
afterAll(async () => {
  await new Promise<void>((done) => helper.stopServer(done));
});

interface Received {
  topic: string;
  payload: Record<string, unknown>;
}

function flow(extra: Array<Record<string, unknown>>, url = ha.url) {
  return [{ id: 'server', type: 'hems-ha-server', url }, { id: 'out', type: 'helper' }, ...extra];
}

const meter = (overrides: Record<string, unknown> = {}) => ({
  id: 'meter',
  type: 'hems-ha-meter',
  server: 'server',
  deviceId: 'grid',
  entities: [
    { entity: 'sensor.grid_power', measurement: 'power_w', invert: true },
    { entity: 'sensor.grid_import', measurement: 'energy_import_kwh', invert: false },
    { entity: 'sensor.grid_voltage', measurement: 'voltage_l1_v', invert: false },
  ],
  throttle: 0,
  wires: [['out']],
  ...overrides,
});

async function load(nodes: Array<Record<string, unknown>>, token = ha.token, url?: string) {
  await helper.load(haNodes, flow(nodes, url), { server: { token } });
  const received: Received[] = [];
  helper.getNode('out').on('input', (msg: Received) => received.push(msg));
  return received;
}

describe('hems-ha-meter', () => {
  it('emits one reading with canonical names, units and signs, then one per change', async () => {
    const received = await load([meter()]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'first reading');
    expect(received[0].topic).toBe('grid');
    expect(received[0].payload).toEqual({
      device: 'grid',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      values: { power_w: 1500, energy_import_kwh: 4.2, voltage_l1_v: 231.2 },
    });
    expect(lastStatus(helper.getNode('meter'))).toEqual({ fill: 'green', shape: 'dot', text: '3 values' });
    ha.setState('sensor.grid_power', '0.25');
    await waitFor(() => received.length === 2 || undefined, 5000, 'second reading');
    expect(received[1].payload.values).toEqual({ power_w: -250, energy_import_kwh: 4.2, voltage_l1_v: 231.2 });
  });

  it('leaves an unavailable entity out and names it in quality', async () => {
    const received = await load([meter()]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'first reading');
    ha.setState('sensor.grid_voltage', 'unavailable');
    await waitFor(() => received.length === 2 || undefined, 5000, 'reading without voltage');
    expect(received[1].payload.values).toEqual({ power_w: 1500, energy_import_kwh: 4.2 });
    expect(received[1].payload.quality).toEqual({ voltage_l1_v: 'sensor.grid_voltage is "unavailable"' });
    expect(lastStatus(helper.getNode('meter'))).toEqual({ fill: 'yellow', shape: 'ring', text: '2/3 values; sensor.grid_voltage is "unavailable"' });
  });

  it('emits on an input message', async () => {
    const received = await load([meter()]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'first reading');
    helper.getNode('meter').receive({ payload: 'now' });
    await waitFor(() => received.length === 2 || undefined, 5000, 'reading on input');
    expect(received[1].payload.values).toEqual(received[0].payload.values);
  });

  it('throttles to one reading per interval, with the latest values', async () => {
    const received = await load([meter({ throttle: 1 })]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'first reading');
    ha.setState('sensor.grid_power', '1');
    ha.setState('sensor.grid_power', '2');
    await new Promise((r) => setTimeout(r, 400));
    expect(received).toHaveLength(1);
    await waitFor(() => received.length === 2 || undefined, 3000, 'throttled reading');
    expect(received[1].payload.values).toMatchObject({ power_w: -2000 });
  });

  it('shows a refused token in red, in the words that say what to do', async () => {
    const received = await load([meter()], 'expired-token');
    await waitFor(() => lastStatus(helper.getNode('meter'))?.fill === 'red' || undefined, 5000, 'red status');
    expect(lastStatus(helper.getNode('meter'))).toEqual({ fill: 'red', shape: 'ring', text: AUTH_REFUSED });
    expect(received).toEqual([]);
  });

  it('shows the URL and reason when Home Assistant cannot be reached', async () => {
    await load([meter()], ha.token, 'http://127.0.0.1:1');
    await waitFor(() => lastStatus(helper.getNode('meter'))?.fill === 'red' || undefined, 5000, 'red status');
    expect(lastStatus(helper.getNode('meter'))?.text).toMatch(/^cannot connect to ws:\/\/127\.0\.0\.1:1\/api\/websocket: connect ECONNREFUSED 127\.0\.0\.1:1; retrying in \d s$/);
  });

  it('resumes after Home Assistant drops the connection', async () => {
    const received = await load([meter()]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'first reading');
    ha.dropConnections();
    // HA sends every entity again after the reconnect: that is one fresh reading.
    await waitFor(() => received.length === 2 || undefined, 8000, 'reading after reconnect');
    expect(statusesOf(helper.getNode('meter'))).toContainEqual({
      fill: 'red',
      shape: 'ring',
      text: 'the connection to Home Assistant was lost; reconnecting',
    });
    ha.setState('sensor.grid_power', '3');
    await waitFor(() => received.length === 3 || undefined, 5000, 'change after reconnect');
    expect(received[2].payload.values).toMatchObject({ power_w: -3000 });
    expect(ha.protocolErrors).toEqual([]);
  });

  it.each([
    [{ deviceId: 'grid meter' }, 'device id "grid meter" may only contain letters, digits, "_" and "-"'],
    [{ entities: [] }, 'no entities mapped'],
    [{ entities: [{ entity: 'sensor.x', measurement: 'watts' }] }, '"watts" (for sensor.x) is not a canonical measurement'],
    [{ server: 'nope' }, 'no Home Assistant server selected'],
  ])('%j is refused with the reason', async (override, message) => {
    await load([meter(override)]);
    expect(errorsLogged('meter')[0]).toContain(message);
    expect(lastStatus(helper.getNode('meter'))).toMatchObject({ fill: 'red', shape: 'ring' });
  });
});

describe('hems-ha-price', () => {
  const priceNode = { id: 'price', type: 'hems-ha-price', server: 'server', entity: 'sensor.nordpool', unit: '', wires: [['out']] };

  it('emits the forecast in EUR/kWh, and again only when it changes', async () => {
    ha.setState('sensor.nordpool', '10.5', {
      unit_of_measurement: 'c/kWh',
      raw_today: [
        { start: '2026-01-15T00:00:00+01:00', end: '2026-01-15T01:00:00+01:00', value: 10.5 },
        { start: '2026-01-15T01:00:00+01:00', end: '2026-01-15T02:00:00+01:00', value: 9.5 },
      ],
      raw_tomorrow: [],
    });
    const received = await load([priceNode]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'forecast');
    expect(received[0]).toMatchObject({
      topic: 'prices',
      payload: {
        unit: 'EUR/kWh',
        slots: [
          { start: '2026-01-14T23:00:00.000Z', end: '2026-01-15T00:00:00.000Z', importEurPerKwh: 0.105 },
          { start: '2026-01-15T00:00:00.000Z', end: '2026-01-15T01:00:00.000Z', importEurPerKwh: 0.095 },
        ],
        source: { integration: 'nordpool', entity: 'sensor.nordpool' },
      },
    });
    ha.setState('sensor.nordpool', '9.5');
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1);
    // On HA's clock (Berlin, UTC+1), once HA has told its zone: the list ends 02:00 local.
    expect(lastStatus(helper.getNode('price'))).toEqual({ fill: 'green', shape: 'dot', text: '2 slots until Thu 02:00' });
    helper.getNode('price').receive({});
    await waitFor(() => received.length === 2 || undefined, 5000, 'forecast on input');
    expect(received[1].payload).toEqual(received[0].payload);
  });

  it('shows a sensor without a forecast in red, with what it needs', async () => {
    ha.setState('sensor.nordpool', '1', { friendly_name: 'Not a price' });
    await load([priceNode]);
    await waitFor(() => lastStatus(helper.getNode('price'))?.fill === 'red' || undefined, 5000, 'red status');
    expect(lastStatus(helper.getNode('price'))?.text).toContain('no price forecast in the attributes (friendly_name)');
  });
});

describe('hems-ha-server', () => {
  it('calls services for the nodes that switch things, and passes HA\'s refusal on', async () => {
    await load([]);
    const server = helper.getNode('server');
    await waitFor(() => server.linkState.state === 'connected' || undefined, 5000, 'connected');
    await server.callService('switch', 'turn_on', { entity_id: 'switch.boiler' });
    await server.callService('input_boolean', 'turn_off', { entity_id: 'input_boolean.boost' });
    expect(ha.calls).toEqual([
      { domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.boiler' } },
      { domain: 'input_boolean', service: 'turn_off', target: { entity_id: 'input_boolean.boost' } },
    ]);
    await expect(server.callService('switch', 'explode', { entity_id: 'switch.boiler' })).rejects.toThrow(
      'Home Assistant did not run switch.explode for switch.boiler: not_found: Service switch.explode not found.',
    );
  });

  it('tells an entity subscriber every change', async () => {
    await load([]);
    const server = helper.getNode('server');
    const states: Array<string | undefined> = [];
    server.subscribeEntity('switch.boiler', (entity: { state: string } | undefined) => states.push(entity?.state));
    await waitFor(() => states.length === 1 || undefined, 5000, 'first state');
    await server.callService('switch', 'turn_on', { entity_id: 'switch.boiler' });
    await waitFor(() => states.length === 2 || undefined, 5000, 'switched');
    expect(states).toEqual(['off', 'on']);
  });

  it('refuses to start without a token, and says where to get one', async () => {
    await load([meter()], '');
    expect(errorsLogged('server')[0]).toContain('no access token: create a long-lived access token in your HA profile');
    expect(lastStatus(helper.getNode('meter'))).toMatchObject({ fill: 'red', text: expect.stringContaining('no access token') });
  });
});

describe('hems-ha-pv-forecast', () => {
  const forecastNode = (overrides: Record<string, unknown> = {}) => ({ id: 'forecast', type: 'hems-ha-pv-forecast', server: 'server', entries: '', refreshMinutes: 15, wires: [['out']], ...overrides });
  const roofs = {
    east: { wh_hours: { '2026-06-01T08:00:00+02:00': 1200, '2026-06-01T09:00:00+02:00': 2000 } },
    west: { wh_hours: { '2026-06-01T08:00:00+02:00': 400 } },
  };

  it('emits the Energy dashboard forecast in 15-minute slots, summed over the roofs, and again on input', async () => {
    ha.solarForecasts = roofs;
    const received = await load([forecastNode()]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'forecast');
    expect(received[0].topic).toBe('pv_forecast');
    expect(received[0].payload.entries).toEqual(['east', 'west']);
    expect((received[0].payload.slots as unknown[]).slice(0, 5)).toEqual([
      { start: '2026-06-01T06:00:00.000Z', end: '2026-06-01T06:15:00.000Z', pvW: 1600 },
      { start: '2026-06-01T06:15:00.000Z', end: '2026-06-01T06:30:00.000Z', pvW: 1600 },
      { start: '2026-06-01T06:30:00.000Z', end: '2026-06-01T06:45:00.000Z', pvW: 1600 },
      { start: '2026-06-01T06:45:00.000Z', end: '2026-06-01T07:00:00.000Z', pvW: 1600 },
      { start: '2026-06-01T07:00:00.000Z', end: '2026-06-01T07:15:00.000Z', pvW: 2000 },
    ]);
    expect(lastStatus(helper.getNode('forecast'))).toEqual({ fill: 'green', shape: 'dot', text: '8 slots until Mon 10:00 (east, west)' });
    helper.getNode('forecast').receive({});
    await waitFor(() => received.length === 2 || undefined, 5000, 'forecast on input');
    expect(received[1].payload).toEqual(received[0].payload);
  });

  it('takes only the entries asked for, and asks again after a reconnect', async () => {
    ha.solarForecasts = roofs;
    const received = await load([forecastNode({ entries: 'west' })]);
    await waitFor(() => received.length === 1 || undefined, 5000, 'forecast');
    expect(received[0].payload).toMatchObject({ entries: ['west'], slots: [{ pvW: 400 }, { pvW: 400 }, { pvW: 400 }, { pvW: 400 }] });
    ha.solarForecasts = { ...roofs, west: { wh_hours: { '2026-06-01T08:00:00+02:00': 800 } } };
    ha.dropConnections();
    await waitFor(() => received.length === 2 || undefined, 10_000, 'forecast after the reconnect');
    expect(received[1].payload).toMatchObject({ entries: ['west'], slots: [{ pvW: 800 }, { pvW: 800 }, { pvW: 800 }, { pvW: 800 }] });
  });

  it('shows in red what HA lacks and what to do, and refuses a made-up entry id or refresh time', async () => {
    ha.solarForecasts = {};
    await load([forecastNode(), forecastNode({ id: 'bad', entries: 'east roof' }), forecastNode({ id: 'often', refreshMinutes: 0 })]);
    await waitFor(() => lastStatus(helper.getNode('forecast'))?.fill === 'red' || undefined, 5000, 'red status');
    expect(lastStatus(helper.getNode('forecast'))?.text).toMatch(/^Home Assistant has no solar forecast: add Forecast.Solar or Solcast/);
    expect(errorsLogged('forecast')).toEqual(['hems-ha-pv-forecast: Home Assistant has no solar forecast: add Forecast.Solar or Solcast and pick it under the solar panels of the Energy dashboard']);
    expect(errorsLogged('bad').join('\n')).toContain('config entry "east roof" is not an entry id');
    expect(errorsLogged('often').join('\n')).toContain('refresh = 0: give 1 to 1440 minutes');
  });
});
