import { countValues, DERIVED_TOTALS, derivesTotals, NEW_COUNTER_MEMORY, resumedMemory, type CounterMemory } from '../src/devices/mqtt/meter-counters';
import { createMqttMeterSource, type MqttMeterFormat, type SourceUpdate } from '../src/devices/mqtt/mqtt-meter-source';
import type { ShellyProfile } from '../src/devices/mqtt/shelly-pro-3em';
import { TASMOTA_SML_EXAMPLE_PATHS } from '../src/devices/mqtt/tasmota-sml';
import type { PickedValues, ValuePath } from '../src/devices/mqtt/value-paths';
import { makeReading, type Reading } from '../src/engine/reading';
import { mqttMeterDevice, type MeterMake } from '../src/ha-discovery/devices/meter';
import { parseStateRate } from '../src/ha-discovery/state-throttle';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { numberSetting } from '../src/settings/values';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { readingStatus } from './lib/reading-status';
import { stateStoreOf } from './lib/state-store';
import { statusText } from './lib/status-text';

interface MqttMeterConfig {
  name?: string;
  ha: string;
  deviceId: string;
  format: MqttMeterFormat;
  topic: string;
  shellyProfile?: ShellyProfile;
  channelGroup?: string;
  values?: Array<{ measurement?: string; path?: string; scale?: string | number }>;
  minInterval?: string | number;
  /** How its states reach HA: `quiet` (blank) or `all` (state-throttle.ts). */
  haStates?: string;
}

/** What Home Assistant shows as the device's maker and model, per format. */
const DEVICE_MODELS: Record<MqttMeterFormat, MeterMake> = {
  'shelly-pro-3em': { manufacturer: 'Shelly', model: 'Pro 3EM' },
  'tasmota-sml': { manufacturer: 'Tasmota', model: 'SML reader' },
  'smappee-genius': { manufacturer: 'Smappee', model: 'Infinity Genius' },
  json: { model: 'MQTT JSON meter' },
};

function validate(RED: NodeAPI, config: MqttMeterConfig) {
  const ha = RED.nodes.getNode(config.ha) as HaBridgeNode | null;
  if (!ha) throw new Error('no Home Assistant bridge selected: open the node and pick or add a hems-ha bridge (its broker is where the meter publishes)');
  if (!ha.mqtt) throw new Error(`the bridge cannot connect: ${ha.configError ?? 'its configuration is invalid'}`);
  const deviceId = String(config.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  const paths: ValuePath[] = (config.values ?? []).map((v) => ({
    measurement: String(v.measurement ?? '').trim(),
    path: String(v.path ?? '').trim(),
    ...(v.scale === undefined || v.scale === '' ? {} : { scale: numberSetting(v.scale, Number.NaN, `scale of ${String(v.measurement ?? '')}`) }),
  }));
  const source = createMqttMeterSource({ format: config.format, topic: String(config.topic ?? '').trim(), shellyProfile: config.shellyProfile, channelGroup: config.channelGroup, paths });
  const minIntervalS = numberSetting(config.minInterval, 0, 'minimum interval (s)');
  if (minIntervalS < 0) throw new Error(`minimum interval ${config.minInterval} s is negative: use 0 (every update) or more`);
  return { ha, mqtt: ha.mqtt, deviceId, source, minIntervalMs: minIntervalS * 1000, haStates: parseStateRate(config.haStates) };
}

export = function register(RED: NodeAPI): void {
  function HemsMqttMeterNode(this: Node, config: MqttMeterConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-mqtt-meter', config, () => validate(RED, config));
    if (!settings) return;
    const { ha, mqtt, deviceId, source, minIntervalMs, haStates } = settings;
    const deriveTotals = derivesTotals(source.measurements);
    const published = [...new Set([...source.measurements, ...(deriveTotals ? DERIVED_TOTALS : [])])];

    // Counter memory (and totals derived from power) live in the user directory, so a restart forgets nothing.
    const store = stateStoreOf(RED);
    const storeKey = `mqtt-meter-${deviceId}`;
    const stored = store?.load<CounterMemory>(storeKey, NEW_COUNTER_MEMORY);
    if (stored?.problem) this.warn(`${deviceId}: ${stored.problem}; counters start fresh`);
    let memory: CounterMemory = resumedMemory(stored?.state ?? NEW_COUNTER_MEMORY);
    // Written on every change (coalesced); HA is sent totals only once the memory behind them is on the disk.
    const keeper = store?.keeper<CounterMemory>(storeKey, { onError: (problem) => this.warn(`${deviceId}: cannot save counters: ${problem}`) });

    const haDevice = mqttMeterDevice(deviceId, config.name, DEVICE_MODELS[config.format], published, haStates);
    const bridge = showInHa(this, `hems-mqtt-meter "${config.name || this.id}"`, ha.bridge, haDevice);

    /** The reading the latest message makes, waiting for the minimum interval. */
    let pending: Reading | undefined;
    let lastReading: Reading | undefined;
    let emitTimer: NodeJS.Timeout | undefined;
    let lastEmitMs = Number.NEGATIVE_INFINITY;
    let lastProblem: string | undefined;
    this.status({ fill: 'yellow', shape: 'ring', text: statusText(RED, 'hems-mqtt-meter.status.waitingFor', { topic: source.filters[0] }) });

    // Counted on every message, even those the minimum interval holds back, so totals integrated from power miss nothing.
    const count = (picked: PickedValues, atMs: number): Reading => {
      const counted = countValues(memory, picked.values, atMs, deriveTotals);
      memory = counted.memory;
      const quality = { ...picked.quality };
      for (const drop of counted.dropped) {
        this.warn(`${deviceId}: ${drop.name} went backwards (${drop.previous} → ${drop.value}); value dropped`);
        quality[drop.name] = `went backwards (${drop.previous} → ${drop.value}); value dropped`;
      }
      keeper?.set(memory);
      return makeReading(deviceId, atMs, counted.values, quality);
    };

    const emit = () => {
      emitTimer = undefined;
      const reading = pending;
      if (!reading) return;
      pending = undefined;
      lastEmitMs = Date.now();
      lastReading = reading;
      this.status(readingStatus(RED, reading));
      const publish = () => {
        // An offline device or a newer reading has overtaken this one while it was being saved.
        if (!bridge || lastReading !== reading) return;
        bridge.setAvailability(deviceId, true);
        for (const name of published) if (reading.values[name] !== undefined) bridge.publishState(deviceId, name, reading.values[name]);
      };
      if (keeper) keeper.whenSaved(publish);
      else publish();
      this.send({ topic: deviceId, payload: reading });
    };

    // Messages arriving together (a Shelly's em:0 and emdata:0) become one reading.
    const scheduleEmit = () => {
      if (emitTimer) return;
      emitTimer = setTimeout(emit, Math.max(0, lastEmitMs + minIntervalMs - Date.now()));
    };

    const onUpdate = (update: SourceUpdate) => {
      if (update.problem) {
        // Warn when a problem starts or changes, not on every repeat of it.
        if (update.problem !== lastProblem) this.warn(`${deviceId}: ${update.problem}`);
        lastProblem = update.problem;
        this.status({ fill: 'yellow', shape: 'ring', text: statusText(RED, 'hems-mqtt-meter.status.problem', { problem: update.problem }) });
      }
      if (update.online === false) {
        clearTimeout(emitTimer);
        emitTimer = undefined;
        // An offline device has no current values: nothing goes out until it sends again.
        pending = undefined;
        lastReading = undefined;
        bridge?.setAvailability(deviceId, false);
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-mqtt-meter.status.offline', { device: deviceId }) });
      } else if (update.online === true) {
        bridge?.setAvailability(deviceId, true);
      }
      if (update.reading) {
        lastProblem = undefined;
        pending = count(update.reading, Date.now());
        scheduleEmit();
      }
    };

    const unsubscribers = source.filters.map((filter) =>
      mqtt.subscribe(filter, (topic, payload) => {
        try {
          onUpdate(source.take(topic, payload));
        } catch (err) {
          // The parsers report bad payloads as problems; reaching here is a bug, never a crash.
          this.error(`${deviceId}: unexpected failure on ${topic}: ${(err as Error).stack ?? err}`);
        }
      }),
    );

    this.on('input', (_msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (!lastReading) return done(new Error(`${deviceId}: no reading yet: nothing received on ${source.filters.join(', ')}`));
      send({ topic: deviceId, payload: lastReading });
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      clearTimeout(emitTimer);
      for (const unsubscribe of unsubscribers) unsubscribe();
      void (keeper?.close() ?? Promise.resolve()).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-mqtt-meter', HemsMqttMeterNode);

  // The editor offers the Tasmota example names from the runtime, so the package has one list.
  RED.httpAdmin.get('/hems/tasmota-sml-paths', RED.auth.needsPermission('hems-mqtt-meter.read'), (_req, res) => {
    res.json(TASMOTA_SML_EXAMPLE_PATHS);
  });
};
