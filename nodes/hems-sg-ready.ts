import { updateAlarm, type ActiveAlarm } from '../src/engine/alarms';
import {
  decideSgReady,
  DEFAULT_SG_READY_SETTINGS as D,
  initialSgReadyMemory,
  SG_READY_CONTACTS,
  SG_READY_NUMBER,
  SG_READY_STATES,
  validateSgReadySettings,
  type SgReadyDecision,
  type SgReadyEvent,
  type SgReadyMemory,
  type SgReadyMode,
  type SgReadySettings,
  type SgReadyState,
} from '../src/engine/sg-ready';
import { sgReadyDevice } from '../src/ha-discovery/devices/sg-ready';
import { assertDeviceId } from '../src/ha-discovery/topics';
import type { CommandHandler } from '../src/ha-discovery/bridge';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';
import { stateStoreOf } from './lib/state-store';
import { gateInput } from '../src/settings/inputs/gate';
import { SG_READY_INPUTS } from '../src/settings/inputs/sg-ready';
import { numberSetting } from '../src/settings/values';

interface SgReadyConfig {
  name?: string;
  deviceId: string;
  ha?: string;
  minDwellMinutes: string | number;
  maxLockMinutes: string | number;
  maxLocksPerDay: string | number;
  minGapMinutes: string | number;
  controlTimeoutSeconds: string | number;
  contact1Relay: 'a' | 'b';
  contact1Terminal: 'NO' | 'NC';
  contact2Relay: 'a' | 'b';
  contact2Terminal: 'NO' | 'NC';
}

/** Re-checks dwell, lock cap and control loss, and refreshes the relays so their command timeout never trips. */
const TICK_MS = 10_000;

const STATE_STATUS: Readonly<Record<SgReadyState, string>> = {
  lock: 'hems-sg-ready.status.lock',
  normal: 'hems-sg-ready.status.normal',
  recommend: 'hems-sg-ready.status.recommend',
  force_on: 'hems-sg-ready.status.forceOn',
};

function settingsFrom(config: SgReadyConfig): SgReadySettings {
  const settings: SgReadySettings = {
    minDwellSeconds: numberSetting(config.minDwellMinutes, D.minDwellSeconds / 60, 'minimum dwell (min)') * 60,
    maxLockSeconds: numberSetting(config.maxLockMinutes, D.maxLockSeconds / 60, 'longest lock (min)') * 60,
    maxLocksPerDay: numberSetting(config.maxLocksPerDay, D.maxLocksPerDay, 'locks per day'),
    minGapBetweenLocksSeconds: numberSetting(config.minGapMinutes, 0, 'gap between locks (min)') * 60,
    controlTimeoutSeconds: numberSetting(config.controlTimeoutSeconds, D.controlTimeoutSeconds, 'control timeout (s)'),
    wiring: {
      contact1: { relay: config.contact1Relay ?? 'a', terminal: config.contact1Terminal ?? 'NO' },
      contact2: { relay: config.contact2Relay ?? 'b', terminal: config.contact2Terminal ?? 'NO' },
    },
  };
  const errors = validateSgReadySettings(settings);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return settings;
}

export = function register(RED: NodeAPI): void {
  function HemsSgReadyNode(this: Node, config: SgReadyConfig) {
    RED.nodes.createNode(this, config);
    const deviceId = String(config.deviceId ?? '').trim();
    const settings = checkConfig(RED, this, 'hems-sg-ready', config, () => {
      assertDeviceId(deviceId);
      return settingsFrom(config);
    });
    if (!settings) return;

    // Lock counts and time in state survive restarts, so a redeploy cannot reset the lock limits.
    const store = stateStoreOf(RED);
    const storeKey = `sg-ready-${deviceId}`;
    const loaded = store?.load<SgReadyMemory | undefined>(storeKey, undefined);
    if (loaded?.problem) this.warn(`${deviceId}: ${loaded.problem}; starting in normal`);
    let memory: SgReadyMemory = loaded?.state ?? initialSgReadyMemory(Date.now());
    const keeper = store?.keeper<SgReadyMemory>(storeKey, { onError: (problem) => this.warn(`${deviceId}: cannot save SG Ready state: ${problem}`) });
    /** HA counts time in state in whole minutes: the memory is written when a minute, the state or the mode changes, not every tick. */
    const keptKey = (m: SgReadyMemory) => `${m.mode} ${SG_READY_STATES.map((state) => Math.floor(m.timeInStateMs[state] / 60_000)).join(' ')}`;
    let lastKept = keptKey(memory);
    let alarm: ActiveAlarm | undefined;
    let lastReason = '';

    const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    // The bridge has checked a mode against the select's options.
    const onHaCommand: CommandHandler = (key, value) => {
      if (key === 'mode') apply({ type: 'mode', mode: value as SgReadyMode });
    };
    const bridge = showInHa(this, `hems-sg-ready "${config.name || this.id}"`, ha?.bridge, sgReadyDevice(deviceId, config.name || `Heat pump ${deviceId}`), onHaCommand, true);

    const publish = (decision: SgReadyDecision) => {
      const { state, reason } = decision;
      const relayMessages = (['a', 'b'] as const).map((relay) => ({ topic: `${deviceId}/${relay}`, payload: { on: decision.relays[relay], reason } }));
      const stateMessage =
        decision.changed || reason !== lastReason
          ? {
              topic: deviceId,
              payload: {
                state,
                number: SG_READY_NUMBER[state],
                contacts: SG_READY_CONTACTS[state],
                relays: decision.relays,
                mode: decision.memory.mode,
                reason,
                ...(decision.lockLimit ? { lockLimit: decision.lockLimit } : {}),
              },
            }
          : null;
      this.send([relayMessages[0], relayMessages[1], stateMessage]);
      lastReason = reason;
      this.status({ fill: state === 'lock' ? 'yellow' : 'green', shape: 'dot', text: statusText(RED, STATE_STATUS[state], { number: SG_READY_NUMBER[state], reason: reason.slice(0, 60) }) });
      if (!bridge) return;
      bridge.publishState(deviceId, 'mode', decision.memory.mode);
      bridge.publishState(deviceId, 'state', state);
      bridge.publishState(deviceId, 'reason', reason.slice(0, 255));
      bridge.publishAttributes(deviceId, 'reason', { contacts: SG_READY_CONTACTS[state], relays: decision.relays, since: new Date(decision.memory.sinceMs).toISOString() });
      // Sent once on the disk: after a crash no time in state goes backwards in HA.
      const publishTimes = () => {
        for (const s of SG_READY_STATES) bridge?.publishState(deviceId, `time_${s}`, Math.floor(decision.memory.timeInStateMs[s] / 60_000));
      };
      if (keeper) keeper.whenSaved(publishTimes);
      else publishTimes();
      bridge.publishState(deviceId, 'lock_limit', alarm !== undefined);
      bridge.publishAttributes(deviceId, 'lock_limit', { ...alarm });
    };

    const apply = (event: SgReadyEvent) => {
      const decision = decideSgReady(settings, memory, event, Date.now());
      memory = decision.memory;
      const update = updateAlarm(alarm, 'sg_ready_lock_limit', deviceId, { active: decision.lockLimit !== undefined, detail: decision.lockLimit ?? '' }, Date.now());
      alarm = update.active;
      if (update.change === 'raised') this.warn(`${deviceId}: ${update.active?.name}: ${update.active?.detail}`);
      if (decision.changed || keptKey(memory) !== lastKept) {
        lastKept = keptKey(memory);
        keeper?.set(memory);
      }
      publish(decision);
    };

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const input = gateInput(SG_READY_INPUTS, msg, { topic: msg.topic });
      if (!input.ok) {
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-sg-ready.status.refused', { problem: input.error }).slice(0, 60) });
        return done(new Error(`${deviceId}: ${input.error}`));
      }
      apply(input.value.value);
      done();
    });

    const timer = setInterval(() => apply({ type: 'tick' }), TICK_MS);
    // A known state on the relays from the first moment: the one kept, or normal.
    const first = setImmediate(() => apply({ type: 'tick' }));

    this.on('close', (removed: boolean, done: () => void) => {
      clearInterval(timer);
      clearImmediate(first);
      keeper?.set(memory);
      void (keeper?.close() ?? Promise.resolve()).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-sg-ready', HemsSgReadyNode);
};
