import {
  applyIncrement,
  applyLevel,
  DEFAULT_MAX_INCREMENT,
  isPulseCount,
  NEW_PULSE_STATE,
  PULSE_MEDIA,
  pulseValues,
  validatePulseSettings,
  type MessageMode,
  type PulseMediumId,
  type PulseState,
  type PulseStep,
} from '../src/devices/pulse-counter';
import { makeReading } from '../src/engine/reading';
import { showValue } from '../src/engine/show-value';
import { pulseCounterDevice } from '../src/ha-discovery/devices/pulse-counter';
import { parseStateRate } from '../src/ha-discovery/state-throttle';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { checkUnitId, type BitTable, type ModbusError } from '../src/io/modbus-bus';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';
import { stateStoreOf } from './lib/state-store';
import { gateInput } from '../src/settings/inputs/gate';
import { PULSE_INPUTS } from '../src/settings/inputs/pulse';
import { numberSetting } from '../src/settings/values';

interface PulseConfig {
  name?: string;
  deviceId: string;
  medium: PulseMediumId;
  pulsesPerUnit: string | number;
  debounceMs: string | number;
  messageMode: MessageMode;
  /** The most pulses one increment message may add; more is refused as a fault. */
  maxIncrement?: string | number;
  /** Optional: poll a discrete input or coil on this bus. */
  bus?: string;
  unitId?: string | number;
  table?: BitTable;
  address?: string | number;
  pollInterval?: string | number;
  ha?: string;
  /** How its states reach HA: `quiet` (blank) or `all` (state-throttle.ts). */
  haStates?: string;
}

const BIT_TABLES: readonly BitTable[] = ['discrete', 'coil'];

function validateModbus(RED: NodeAPI, config: PulseConfig) {
  if (!config.bus) return undefined;
  const bus = RED.nodes.getNode(config.bus) as ModbusBusNode | null;
  if (!bus) throw new Error('the selected Modbus bus does not exist: pick or add a hems-modbus bus, or none to count messages only');
  const unitId = checkUnitId(config.unitId, 1, bus.bus);
  const address = numberSetting(config.address, 0, 'input address');
  if (!Number.isInteger(address) || address < 0 || address > 65535) throw new Error(`input address ${config.address} must be a whole number from 0 to 65535`);
  const table = config.table ?? 'discrete';
  if (!BIT_TABLES.includes(table)) throw new Error(`input table "${table}" is not one of ${BIT_TABLES.join(', ')}`);
  const pollIntervalS = numberSetting(config.pollInterval, 0.1, 'poll interval (s)');
  if (pollIntervalS < 0.02) throw new Error(`poll interval ${config.pollInterval} s is too short: use 0.02 s or more`);
  return { bus: bus.bus, unitId, address, table, pollIntervalMs: pollIntervalS * 1000 };
}

function validate(RED: NodeAPI, config: PulseConfig) {
  const deviceId = String(config.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  const counting = {
    medium: config.medium ?? 'water_m3',
    pulsesPerUnit: numberSetting(config.pulsesPerUnit, Number.NaN, 'pulses per unit'),
    debounceMs: numberSetting(config.debounceMs, 20, 'debounce (ms)'),
    messageMode: config.messageMode ?? 'level',
    maxIncrement: numberSetting(config.maxIncrement, DEFAULT_MAX_INCREMENT, 'largest increment'),
  };
  validatePulseSettings(counting);
  const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
  return { deviceId, ...counting, modbus: validateModbus(RED, config), ha, haStates: parseStateRate(config.haStates) };
}

/** Home Assistant entities: the total as the medium's meter, the raw count and the input for installers. */
export = function register(RED: NodeAPI): void {
  function HemsPulseNode(this: Node, config: PulseConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-pulse', config, () => validate(RED, config));
    if (!settings) return;
    const { deviceId, medium, pulsesPerUnit, debounceMs, messageMode, maxIncrement, modbus, ha, haStates } = settings;
    const unit = PULSE_MEDIA[medium].unit;

    // The count lives in the user directory: every change goes to its journal at once (a kill -9 loses
    // at most the pulse being written) and to an atomic snapshot at most 4 times a second (power cuts).
    const store = stateStoreOf(RED);
    const storeKey = `pulse-${deviceId}`;
    const stored = store?.load<{ count?: unknown }>(storeKey, { count: 0 });
    if (stored?.problem) this.warn(`${deviceId}: ${stored.problem}; counting starts from 0`);
    const storedCount = stored?.state.count ?? 0;
    if (!isPulseCount(storedCount)) this.warn(`${deviceId}: the kept count ${showValue(storedCount)} is not a pulse count; counting starts from 0`);
    const journal = store?.journal(storeKey, (problem) => this.warn(`${deviceId}: cannot journal the pulse count: ${problem}`));
    const snapshotCount = isPulseCount(storedCount) ? storedCount : 0;
    let state: PulseState = { ...NEW_PULSE_STATE, count: Math.max(snapshotCount, journal?.replayed ?? 0) };
    const keeper = store?.keeper<{ count: number }>(storeKey, { onError: (problem) => this.warn(`${deviceId}: cannot save the pulse count: ${problem}`) });
    // Pulses only the journal held go into the snapshot before HA hears of them.
    if (state.count > snapshotCount) keeper?.set({ count: state.count });
    let keptCount = state.count;

    const hasLevel = modbus !== undefined || messageMode === 'level';
    let bridge = ha?.bridge;
    if (ha?.configError) this.warn(`not shown in Home Assistant: ${ha.configError}`);
    const haDevice = pulseCounterDevice(deviceId, config.name, PULSE_MEDIA[medium], hasLevel, haStates);
    bridge = showInHa(this, `hems-pulse "${config.name || this.id}"`, bridge, haDevice);

    const readingMessage = (atMs: number) => {
      const values = pulseValues(state, pulsesPerUnit);
      const reading = makeReading(deviceId, atMs, values);
      return { topic: deviceId, payload: state.input === undefined ? reading : { ...reading, input: state.input } };
    };

    /** The highest count HA has been sent: HA only ever sees counts already on the disk, so none goes backwards after a crash. */
    let publishedCount = -1;
    const publishCount = (count: number) => {
      if (!bridge || count <= publishedCount) return;
      publishedCount = count;
      const values = pulseValues({ count }, pulsesPerUnit);
      bridge.publishState(deviceId, 'pulse_total', values.pulse_total);
      bridge.publishState(deviceId, 'pulse_count', values.pulse_count);
    };

    const show = () => {
      const values = pulseValues(state, pulsesPerUnit);
      const key = state.input === undefined ? 'hems-pulse.status.counted' : state.input ? 'hems-pulse.status.countedInputOn' : 'hems-pulse.status.countedInputOff';
      this.status({ fill: 'green', shape: 'dot', text: statusText(RED, key, { total: values.pulse_total, unit, count: values.pulse_count }) });
      if (bridge) {
        bridge.setAvailability(deviceId, true);
        if (state.input !== undefined) bridge.publishState(deviceId, 'input', state.input);
      }
      const count = state.count;
      if (!keeper) return publishCount(count);
      if (count !== keptCount) {
        journal?.append(count);
        keeper.set({ count });
      }
      keptCount = count;
      keeper.whenSaved(() => {
        publishCount(count);
        journal?.covered(count);
      });
    };

    const take = (step: PulseStep, atMs: number, send: (msg: NodeMessage) => void) => {
      state = step.state;
      if (!step.changed) return;
      show();
      send(readingMessage(atMs));
    };

    this.status(
      modbus
        ? { fill: 'yellow', shape: 'ring', text: statusText(RED, 'hems-pulse.status.connecting', { bus: modbus.bus.label }) }
        : { fill: 'grey', shape: 'ring', text: 'hems-pulse.status.waitingForPulses' },
    );
    if (bridge) {
      // HA shows the stored total at once rather than "unknown" until the first pulse.
      bridge.setAvailability(deviceId, true);
      const count = state.count;
      if (keeper) keeper.whenSaved(() => publishCount(count));
      else publishCount(count);
    }

    const inputContext = { messageMode, maxIncrement, levelFromModbus: modbus !== undefined };
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    /** The kind of the current bus problem: its text changes with every retry countdown, its kind does not. */
    let lastProblem: string | undefined;
    const poll = async () => {
      if (!modbus) return;
      const started = Date.now();
      try {
        const [level] = await modbus.bus.readBits(modbus.unitId, modbus.table, modbus.address, 1);
        if (stopped) return;
        const recovered = lastProblem !== undefined;
        lastProblem = undefined;
        take(applyLevel(state, level, Date.now(), debounceMs), Date.now(), (msg) => this.send(msg));
        if (recovered) {
          this.log(`${deviceId}: input answering again`);
          show();
        }
      } catch (err) {
        if (stopped) return;
        const problem = (err as Error).message;
        const kind = (err as Partial<ModbusError>).kind ?? problem;
        // Log a problem once when it starts or changes kind, not on every poll.
        if (kind !== lastProblem) this.error(`${deviceId}: ${problem}`);
        lastProblem = kind;
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-pulse.status.noAnswer', { problem }) });
        bridge?.setAvailability(deviceId, false);
      }
      if (!stopped) timer = setTimeout(() => void poll(), Math.max(0, modbus.pollIntervalMs - (Date.now() - started)));
    };
    if (modbus) timer = setTimeout(() => void poll(), 0);

    this.on('input', (msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const input = gateInput(PULSE_INPUTS, msg, inputContext);
      if (!input.ok) return done(new Error(`${deviceId}: ${input.error}`));
      const pulse = input.value.value;
      take('increment' in pulse ? applyIncrement(state, pulse.increment) : applyLevel(state, pulse.level, Date.now(), debounceMs), Date.now(), send);
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearTimeout(timer);
      void Promise.all([keeper?.close(), journal?.close()]).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-pulse', HemsPulseNode);
};
