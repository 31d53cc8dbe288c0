import { updateAlarm, type ActiveAlarm, type AlarmId } from '../src/engine/alarms';
import { decideRelay, startState, type RelayEvent, type RelayMemory, type RelaySettings, type SafeState } from '../src/engine/relay';
import { relayDevice } from '../src/ha-discovery/devices/relay';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { checkUnitId } from '../src/io/modbus-bus';
import type { HaServerApi } from '../src/io/ha-websocket';
import { haRelayDriver, modbusRelayDriver, shellyRelayDriver, smappeeRelayDriver, tasmotaRelayDriver, type RelayDriver } from '../src/io/relay-drivers';
import type { CommandHandler } from '../src/ha-discovery/bridge';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';
import { stateStoreOf } from './lib/state-store';
import { gateInput } from '../src/settings/inputs/gate';
import { RELAY_INPUTS } from '../src/settings/inputs/relay';
import { numberSetting } from '../src/settings/values';

type DriverKind = 'modbus' | 'shelly' | 'tasmota' | 'smappee' | 'ha';

interface RelayConfig {
  name?: string;
  deviceId: string;
  driver: DriverKind;
  ha?: string;
  bus?: string;
  unitId?: string | number;
  board?: 'coil' | 'holding';
  channel?: string | number;
  mqttTopic?: string;
  server?: string;
  entityId?: string;
  safeState: SafeState;
  commandTimeoutSeconds: string | number;
  feedbackTimeoutSeconds: string | number;
  pollSeconds: string | number;
  startState: 'safe' | 'last';
}

const TICK_MS = 1000;
/** A write that failed (device or link not there yet) is tried again this often until it goes through. */
const WRITE_RETRY_MS = 2000;
/** A stop must not hang on a dead device; the safe-state write gets this long. */
const CLOSE_WRITE_MS = 3000;

type DriverFactory = (RED: NodeAPI, config: RelayConfig, node: Node, ha: HaBridgeNode | null) => RelayDriver;

/** One way to build each kind of output; each says what is missing in the configuration. */
const DRIVERS: Record<DriverKind, DriverFactory> = {
  modbus: (RED, config) => {
    const bus = RED.nodes.getNode(config.bus ?? '') as ModbusBusNode | null;
    if (!bus) throw new Error('no Modbus bus selected: pick or add a hems-modbus bus');
    const unitId = checkUnitId(config.unitId, 1, bus.bus);
    const channel = numberSetting(config.channel, 1, 'relay channel');
    if (!Number.isInteger(channel) || channel < 1 || channel > 32) throw new Error(`relay ${config.channel} is not a channel: use the number printed on the board, 1 to 32`);
    return modbusRelayDriver(bus.bus, unitId, config.board ?? 'coil', channel);
  },
  shelly: (_RED, config, node, ha) => {
    if (!ha?.mqtt) throw new Error('Shelly relays need a hems-ha bridge for their MQTT broker: pick one');
    if (!config.mqttTopic) throw new Error('no Shelly topic prefix: use the device id shown in the Shelly app, e.g. shellypro1-a8032ab12345');
    return shellyRelayDriver(ha.mqtt, config.mqttTopic.trim(), numberSetting(config.channel, 0, 'switch id'), `hems-${node.id}`, (m) => node.warn(m));
  },
  tasmota: (_RED, config, node, ha) => {
    if (!ha?.mqtt) throw new Error('Tasmota relays need a hems-ha bridge for their MQTT broker: pick one');
    if (!config.mqttTopic) throw new Error('no Tasmota topic: use the device topic from its MQTT settings, e.g. boiler');
    return tasmotaRelayDriver(ha.mqtt, config.mqttTopic.trim(), numberSetting(config.channel, 1, 'relay number'), (m) => node.warn(m));
  },
  smappee: (_RED, config, node, ha) => {
    if (!ha?.mqtt) throw new Error('Smappee plugs need a hems-ha bridge on the broker the Genius publishes to: pick one');
    if (!/^servicelocation\/[^/+#\s]+$/.test(String(config.mqttTopic ?? '').trim())) {
      throw new Error(`Smappee topic "${config.mqttTopic ?? ''}" is not servicelocation/<uuid>: copy the uuid from the Genius' MQTT topics`);
    }
    const nodeId = numberSetting(config.channel, Number.NaN, 'plug node id');
    if (!Number.isInteger(nodeId) || nodeId < 0) throw new Error(`plug ${config.channel} is not a node id: use the nodeId from the Genius' homeControlConfig`);
    return smappeeRelayDriver(ha.mqtt, String(config.mqttTopic).trim(), nodeId, (m) => node.warn(m));
  },
  ha: (RED, config) => {
    const server = RED.nodes.getNode(config.server ?? '') as (Node & HaServerApi & { configError?: string }) | null;
    if (!server || server.configError) throw new Error(server?.configError ?? 'no Home Assistant server selected: pick or add a hems-ha-server');
    return haRelayDriver(server, String(config.entityId ?? '').trim());
  },
};

export = function register(RED: NodeAPI): void {
  function HemsRelayNode(this: Node, config: RelayConfig) {
    RED.nodes.createNode(this, config);
    const deviceId = String(config.deviceId ?? '').trim();
    const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    const checked = checkConfig(RED, this, 'hems-relay', config, () => {
      assertDeviceId(deviceId);
      const factory = DRIVERS[config.driver];
      if (!factory) throw new Error(`output kind "${config.driver}" is not one of ${Object.keys(DRIVERS).join(', ')}`);
      const settings: RelaySettings = {
        safeState: config.safeState ?? 'off',
        commandTimeoutSeconds: numberSetting(config.commandTimeoutSeconds, 0, 'command timeout (s)'),
        feedbackTimeoutSeconds: numberSetting(config.feedbackTimeoutSeconds, 10, 'feedback timeout (s)'),
      };
      const pollMs = Math.max(0.5, numberSetting(config.pollSeconds, 5, 'read back every (s)')) * 1000;
      return { settings, pollMs, driver: factory(RED, config, this, ha) };
    });
    if (!checked) return;
    const { settings, pollMs, driver } = checked;

    const store = stateStoreOf(RED);
    const storeKey = `relay-${deviceId}`;
    // Written without blocking: a synchronous flush per relay would hold up every relay switched after it (shedding 40 loads).
    const keeper = store?.keeper<{ commanded?: boolean }>(storeKey, { onError: (message) => this.warn(`${deviceId}: cannot save the relay state: ${message}`) });
    let memory: RelayMemory = {};
    const alarms = new Map<AlarmId, ActiveAlarm>();
    let lastShown = '';
    /** Why the relay is in the state it is: set by commands, safe states and reconnects, not by ticks. */
    let reason = 'no command yet';
    let stopped = false;

    const onHaCommand: CommandHandler = (_key, value) => handle({ type: 'command', on: value === true, source: 'Home Assistant' });
    const bridge = showInHa(this, `hems-relay "${config.name || this.id}"`, ha?.bridge, relayDevice(deviceId, config.name || `Relay ${deviceId}`), onHaCommand, true);

    const raise = (id: AlarmId, detail: string | undefined) => {
      const update = updateAlarm(alarms.get(id), id, deviceId, { active: detail !== undefined, detail: detail ?? '' }, Date.now());
      if (update.active) alarms.set(id, update.active);
      else alarms.delete(id);
      if (update.change === 'raised') this.warn(`${deviceId}: ${update.active!.name}: ${update.active!.detail}`);
      if (update.change === 'cleared') this.log(`${deviceId}: ${id.replace('_', ' ')} cleared`);
    };

    const show = () => {
      const alarmList = [...alarms.values()];
      const shown = JSON.stringify([memory.commanded, memory.actual, reason, alarmList.map((a) => a.detail)]);
      if (shown === lastShown) return;
      lastShown = shown;
      const state = memory.actual ?? memory.commanded;
      const fill = alarmList.length > 0 ? 'red' : state === undefined ? 'grey' : state ? 'green' : 'grey';
      const text =
        alarmList.length > 0
          ? statusText(RED, 'hems-relay.status.alarm', { detail: alarmList[0].detail })
          : statusText(RED, state === undefined ? 'hems-relay.status.unknown' : state ? 'hems-relay.status.on' : 'hems-relay.status.off', { reason });
      this.status({ fill, shape: alarmList.length > 0 ? 'ring' : 'dot', text: text.slice(0, 80) });
      this.send({ topic: deviceId, payload: { on: memory.actual, commanded: memory.commanded, reason, alarms: alarmList } });
      if (!bridge) return;
      if (state !== undefined) bridge.publishState(deviceId, 'relay', state);
      if (memory.actual !== undefined) bridge.publishState(deviceId, 'readback', memory.actual);
      bridge.publishAlarms(deviceId, alarmList);
      bridge.setAvailability(deviceId, !alarms.has('device_communication'));
    };

    /** The state still to be written after a failed write, and when it was last tried. */
    let pending: { on: boolean; triedAtMs: number } | undefined;
    const write = (on: boolean) => {
      pending = { on, triedAtMs: Date.now() };
      driver.write(on).then(
        () => {
          if (pending?.on === on) pending = undefined;
          raise('device_communication', undefined);
          show();
        },
        (err: Error) => {
          raise('device_communication', `cannot switch ${on ? 'on' : 'off'} ${driver.label}: ${err.message}`);
          show();
        },
      );
    };

    const handle = (event: RelayEvent) => {
      if (stopped) return;
      const decision = decideRelay(settings, memory, event, Date.now());
      const commandedBefore = memory.commanded;
      memory = decision.memory;
      if (decision.write !== undefined) write(decision.write);
      raise('relay_mismatch', decision.mismatch);
      if (event.type === 'command' || event.type === 'reconnected' || decision.write !== undefined) reason = decision.reason;
      if (memory.commanded !== commandedBefore) keeper?.set({ commanded: memory.commanded });
      show();
    };

    driver.onState((on) => handle({ type: 'feedback', on }));
    // A device that dropped off the broker is told the wanted state again when it is back (it may have restarted in another).
    driver.onAvailability?.((online) => {
      raise('device_communication', online ? undefined : `${driver.label} is offline (its last will)`);
      if (online) handle({ type: 'reconnected' });
      else show();
    });

    let deviceLost = false;
    const poll = async () => {
      if (!driver.read || stopped) return;
      try {
        const on = await driver.read();
        if (deviceLost) {
          deviceLost = false;
          handle({ type: 'reconnected' });
        }
        raise('device_communication', undefined);
        handle({ type: 'feedback', on });
      } catch (err) {
        deviceLost = true;
        raise('device_communication', `${driver.label}: ${(err as Error).message}`);
        show();
      }
    };

    // A known state before the first command: the safe state, or the one kept from before a restart.
    const kept = store?.load<{ commanded?: boolean }>(storeKey, {}).state.commanded;
    const initial = startState(settings, config.startState ?? 'safe', kept);
    if (initial !== undefined) handle({ type: 'command', on: initial, source: config.startState === 'last' && kept !== undefined ? 'start (last state)' : 'start (safe state)' });

    const ticker = setInterval(() => {
      if (pending && Date.now() - pending.triedAtMs >= WRITE_RETRY_MS) write(pending.on);
      handle({ type: 'tick' });
    }, TICK_MS);
    const poller = driver.read ? setInterval(() => void poll(), pollMs) : undefined;
    void poll();

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const input = gateInput(RELAY_INPUTS, msg, undefined);
      if (!input.ok) return done(new Error(`${deviceId}: ${input.error}`));
      handle({ type: 'command', on: input.value.value, source: typeof msg.topic === 'string' && msg.topic ? msg.topic : 'flow' });
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(ticker);
      clearInterval(poller);
      bridge?.unregisterDevice(this.id, removed);
      // Enqueued now, before the bus or broker closes: Node-RED closes config nodes after flow nodes.
      const safe = startState(settings, 'safe', undefined);
      const written = safe === undefined ? Promise.resolve() : driver.write(safe).catch((err: Error) => this.warn(`${deviceId}: safe state not written: ${err.message}`));
      const timeout = new Promise((resolve) => setTimeout(resolve, CLOSE_WRITE_MS));
      void Promise.race([Promise.all([written, keeper?.close()]), timeout]).then(() => {
        driver.close();
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-relay', HemsRelayNode);
};
