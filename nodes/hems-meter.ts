import { DEFAULT_DEVICE_OPTIONS, validateDeviceOptions, type DeviceOptions, type Phase } from '../src/devices/device-options';
import type { MeterRole } from '../src/devices/installation-check';
import { MeterPoller, type PollResult } from '../src/devices/meter-poller';
import { updateAlarm, type ActiveAlarm } from '../src/engine/alarms';
import { polledMeterDevice } from '../src/ha-discovery/devices/meter';
import { checkUnitId } from '../src/io/modbus-bus';
import { buildGenericProfile, type GenericProfileInput } from '../src/devices/generic-profile';
import { getProfile, PROFILES } from '../src/devices/profiles';
import { MEASUREMENTS } from '../src/engine/measurements';
import { parseStateRate } from '../src/ha-discovery/state-throttle';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { numberSetting } from '../src/settings/values';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { readingStatus } from './lib/reading-status';
import { stateStoreOf } from './lib/state-store';
import { statusText } from './lib/status-text';

interface MeterConfig {
  name?: string;
  bus: string;
  profile: string;
  unitId: string | number;
  deviceId: string;
  interval: string | number;
  ha?: string;
  role?: MeterRole;
  ctRatio?: string | number;
  inverted?: boolean;
  phaseL1?: Phase;
  phaseL2?: Phase;
  phaseL3?: Phase;
  /** Comma-separated canonical names; empty = all. */
  publish?: string;
  /** The registers of a meter no shipped profile covers (profile "generic"). */
  genericProfile?: GenericProfileInput;
  /** How its states reach HA: `quiet` (blank) or `all` (state-throttle.ts). */
  haStates?: string;
}

const GENERIC = 'generic';

function profileFor(config: MeterConfig) {
  if (String(config.profile) !== GENERIC) return getProfile(String(config.profile));
  const built = buildGenericProfile(config.genericProfile ?? { registers: [] });
  if ('errors' in built) throw new Error(`generic profile: ${built.errors.join('; ')}`);
  return built.profile;
}

const ROLES: readonly MeterRole[] = ['grid', 'consumption', 'production'];

/** Checks the configuration up front, so a user sees what to fix instead of a failing poll. */
function validate(RED: NodeAPI, config: MeterConfig) {
  const bus = RED.nodes.getNode(config.bus) as ModbusBusNode | null;
  if (!bus) throw new Error('no Modbus bus selected: open the node and pick or add a hems-modbus bus');
  const profile = profileFor(config);
  const unitId = checkUnitId(config.unitId, profile.defaultUnitId, bus.bus);
  const intervalS = numberSetting(config.interval, 2, 'poll interval (s)');
  if (intervalS < 0.2) throw new Error(`poll interval ${config.interval} s is too short: use 0.2 s or more`);
  const deviceId = String(config.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
  const role = config.role ?? 'grid';
  if (!ROLES.includes(role)) throw new Error(`role "${role}" is not one of ${ROLES.join(', ')}`);
  const options: DeviceOptions = {
    ctRatio: numberSetting(config.ctRatio, DEFAULT_DEVICE_OPTIONS.ctRatio, 'CT ratio'),
    inverted: config.inverted === true,
    phaseMap: { l1: config.phaseL1 ?? 'l1', l2: config.phaseL2 ?? 'l2', l3: config.phaseL3 ?? 'l3' },
    publish: String(config.publish ?? '').split(',').map((n) => n.trim()).filter(Boolean),
  };
  const optionErrors = validateDeviceOptions(options);
  if (optionErrors.length > 0) throw new Error(optionErrors.join('; '));
  const haStates = parseStateRate(config.haStates);
  return { bus, profile, unitId, intervalMs: intervalS * 1000, deviceId, ha, haStates, setup: { options, role } };
}

export = function register(RED: NodeAPI): void {
  function HemsMeterNode(this: Node, config: MeterConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-meter', config, () => validate(RED, config));
    if (!settings) return;
    const { bus, profile, unitId, intervalMs, deviceId, ha, haStates, setup } = settings;
    // Counter memory lives in the user directory, so a restart does not forget the highest totals.
    const store = stateStoreOf(RED);
    const storeKey = `meter-${deviceId}`;
    const stored = store?.load<Record<string, number>>(storeKey, {});
    if (stored?.problem) this.warn(`${deviceId}: ${stored.problem}; counters start fresh`);
    const poller = new MeterPoller(bus.bus, profile, unitId, deviceId, Date.now, setup, stored?.state);
    // Written after every poll that raised one (coalesced); HA is sent counters only once the memory behind them is on the disk.
    const keeper = store?.keeper<Record<string, number>>(storeKey, { onError: (problem) => this.warn(`${deviceId}: cannot save counters: ${problem}`) });
    // A SunSpec device's entities are known once its registers are found: registered again then.
    const haDevice = () => polledMeterDevice(deviceId, config.name, poller.deviceProfile ?? profile, poller.publishedNames, haStates);
    let bridge = ha?.bridge;
    if (ha?.configError) this.warn(`not shown in Home Assistant: ${ha.configError}`);
    const registerWithHa = () => {
      bridge = showInHa(this, `hems-meter "${config.name || this.id}"`, bridge, haDevice(), () => void pollOnce().then(emit));
    };
    registerWithHa();

    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let lastProblem: string | undefined;
    let lastFindings = '';
    let alarm: ActiveAlarm | undefined;
    this.status({ fill: 'yellow', shape: 'ring', text: statusText(RED, 'hems-meter.status.connecting', { bus: bus.bus.label }) });

    const report = (result: PollResult) => {
      if (result.discovered) {
        this.log(`${deviceId}: ${result.discovered.manufacturer} ${result.discovered.model}: ${result.discovered.description}`);
        registerWithHa();
      }
      if (result.online) this.status(readingStatus(RED, result.reading, result.findings.length));
      else this.status({ fill: 'red', shape: 'ring', text: result.problem ? statusText(RED, 'hems-meter.status.noAnswer', { problem: result.problem }) : statusText(RED, 'hems-meter.status.noValues') });
      if (result.problem !== lastProblem) {
        // Log a problem once when it starts or changes, not on every poll.
        if (result.problem) this.error(`${deviceId}: ${result.problem}`);
        else this.log(`${deviceId}: answering again`);
        lastProblem = result.problem;
      }
      const findings = result.findings.map((f) => f.message).join('\n');
      if (findings !== lastFindings && findings) this.warn(`${deviceId}: installation check:\n${findings}`);
      lastFindings = findings;
      for (const drop of result.dropped) {
        this.warn(`${deviceId}: ${drop.name} went backwards (${drop.previous} → ${drop.value}); value dropped`);
      }
      keeper?.set(poller.highestCounters);
      // The device answering nothing at all is the communication alarm; a partial read is not.
      const update = updateAlarm(alarm, 'device_communication', deviceId, { active: !result.online, detail: result.problem ?? 'no values' }, Date.now());
      alarm = update.active;
      if (update.change === 'raised' || update.change === 'cleared') {
        this.send([null, { topic: deviceId, payload: { change: update.change, alarm: update.active ?? { id: 'device_communication', source: deviceId } } }]);
      }
      if (bridge) {
        bridge.publishAlarms(deviceId, alarm ? [alarm] : []);
        bridge.setAvailability(deviceId, result.online);
        const publishValues = () => {
          for (const [name, value] of Object.entries(result.reading.values)) bridge?.publishState(deviceId, name, value);
        };
        if (keeper) keeper.whenSaved(publishValues);
        else publishValues();
      }
    };

    const readOnce = async (): Promise<PollResult | undefined> => {
      try {
        const result = await poller.poll();
        if (!stopped) report(result);
        return result;
      } catch (err) {
        // readDevice reports device faults in the result; reaching here is a bug, never a crash.
        this.error(`${deviceId}: unexpected failure: ${(err as Error).stack ?? err}`);
        return undefined;
      }
    };
    /** A read asked for while one is running (a message, HA's button, the timer) gets that one's result: polls never overlap or pile up. */
    let polling: Promise<PollResult | undefined> | undefined;
    const pollOnce = (): Promise<PollResult | undefined> => {
      polling ??= readOnce().finally(() => {
        polling = undefined;
      });
      return polling;
    };

    const readingMessage = (result: PollResult) => ({
      topic: deviceId,
      payload: result.reading,
      ...(result.findings.length > 0 ? { installation: result.findings } : {}),
    });
    const emit = (result: PollResult | undefined) => {
      if (result?.online && !stopped) this.send(readingMessage(result));
    };

    const loop = async () => {
      const started = Date.now();
      emit(await pollOnce());
      if (!stopped) timer = setTimeout(() => void loop(), Math.max(0, intervalMs - (Date.now() - started)));
    };
    timer = setTimeout(() => void loop(), 0);

    this.on('input', (_msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      pollOnce().then((result) => {
        if (result?.online) send(readingMessage(result));
        done();
      }, done);
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearTimeout(timer);
      void (keeper?.close() ?? Promise.resolve()).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-meter', HemsMeterNode);

  // The editor lists profiles and measurement names from the runtime: one source of truth.
  RED.httpAdmin.get('/hems/profiles', RED.auth.needsPermission('hems-meter.read'), (_req, res) => {
    res.json([
      ...Object.values(PROFILES).map((p) => ({
        id: p.id,
        label: `${p.manufacturer} ${p.model}`,
        description: p.description,
        defaultUnitId: p.defaultUnitId,
      })),
      { id: GENERIC, label: 'Generic (fill in the registers)', description: 'any Modbus meter: address, type, scale and canonical name per value', defaultUnitId: 1 },
    ]);
  });
  RED.httpAdmin.get('/hems/measurements', RED.auth.needsPermission('hems-meter.read'), (_req, res) => {
    res.json(Object.entries(MEASUREMENTS).map(([name, m]) => ({ name, label: m.label, unit: m.unit })));
  });
};
