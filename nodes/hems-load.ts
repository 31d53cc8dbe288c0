import { validateLoadConfig, type LoadConfig, type LoadMode, type LoadOverride } from '../src/engine/allocator';
import { changesToRestore, keptChanges, parseMeasuredState, type KeptChanges, type LoadChange, type LoadFeedback, type LoadUpdate, type SettingValues } from '../src/engine/optimiser';
import type { HaBridge } from '../src/ha-discovery/bridge';
import type { CommandValue } from '../src/ha-discovery/commands';
import type { HaDeviceSpec } from '../src/ha-discovery/entities';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { settingsContract } from '../src/settings/contract';
import { watchSite, type SiteLink } from './lib/site';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { stateStoreOf } from './lib/state-store';

interface LoadNodeConfig {
  name?: string;
  version?: number;
  loadId: string;
  /** The hems-site config node. */
  site?: string;
  /** 0.1.0: the optimiser flow node's id; its site is found under it until the editor points the load at a hems-site. */
  optimiser?: string;
  kind: string;
  priority: string | number;
  mode: string;
  powerW?: string | number;
  /** W per stage, in switching order (0.1.0: text "2000, 2000", migrated). */
  stagePowersW?: unknown;
  minPowerW?: string | number;
  maxPowerW?: string | number;
  minCurrentA?: string | number;
  maxCurrentA?: string | number;
  phases?: string;
  phase?: string;
  recommendThresholdW?: string | number;
  forceOnThresholdW?: string | number;
  boostPowerW?: string | number;
  enableThresholdW?: string | number;
  disableThresholdW?: string | number;
  enableDelaySeconds?: string | number;
  disableDelaySeconds?: string | number;
  minOnSeconds?: string | number;
  minOffSeconds?: string | number;
  maxStartsPerHour?: string | number;
  toleratedImportW?: string | number;
  toleratedImportSeconds?: string | number;
  safeState?: string;
  controllable14a?: boolean;
  feedback?: string;
  sendEvery?: string;
}

/** Blank means "use the default"; anything else that is not a number is kept so validation names it. */
function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const n = Number(value);
  return (Number.isFinite(n) ? n : String(value)) as number;
}

function stagePowersOf(value: unknown): number[] {
  const problems = settingsContract.stagePowerProblems(value);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return value as number[];
}

const SINGLE_PHASES = ['L1', 'L2', 'L3'];

/** The editor offers five kinds of load; each maps to an allocator kind and its own fields. */
const EDITOR_KINDS: Record<string, (c: LoadNodeConfig) => Record<string, unknown>> = {
  on_off: (c) => ({ kind: 'on_off', powerW: optionalNumber(c.powerW), phase: c.phase || undefined }),
  stepped: (c) => ({ kind: 'stepped', stagePowersW: stagePowersOf(c.stagePowersW), phase: c.phase || undefined }),
  modulating_power: (c) => ({
    kind: 'modulating', control: 'power', minPowerW: optionalNumber(c.minPowerW), maxPowerW: optionalNumber(c.maxPowerW), phase: c.phase || undefined,
  }),
  ev: (c) => ({
    kind: 'modulating',
    control: 'current',
    minCurrentA: optionalNumber(c.minCurrentA),
    maxCurrentA: optionalNumber(c.maxCurrentA),
    phases: c.phases === 'auto' ? 'auto' : optionalNumber(c.phases || 1),
    singlePhase: SINGLE_PHASES.includes(String(c.phase)) ? c.phase : undefined,
  }),
  sg_ready: (c) => ({
    kind: 'sg_ready',
    recommendThresholdW: optionalNumber(c.recommendThresholdW),
    forceOnThresholdW: optionalNumber(c.forceOnThresholdW),
    boostPowerW: optionalNumber(c.boostPowerW),
    phase: c.phase || undefined,
  }),
};

function loadConfigOf(c: LoadNodeConfig): LoadConfig {
  const byKind = EDITOR_KINDS[c.kind];
  if (!byKind) throw new Error(`kind = ${JSON.stringify(c.kind)}: choose one of ${Object.keys(EDITOR_KINDS).join(', ')}`);
  const fields: Record<string, unknown> = {
    id: String(c.loadId ?? '').trim(),
    name: c.name || undefined,
    priority: optionalNumber(c.priority),
    mode: c.mode || 'surplus',
    ...byKind(c),
    enableThresholdW: optionalNumber(c.enableThresholdW),
    disableThresholdW: optionalNumber(c.disableThresholdW),
    enableDelaySeconds: optionalNumber(c.enableDelaySeconds),
    disableDelaySeconds: optionalNumber(c.disableDelaySeconds),
    minOnSeconds: optionalNumber(c.minOnSeconds),
    minOffSeconds: optionalNumber(c.minOffSeconds),
    maxStartsPerHour: optionalNumber(c.maxStartsPerHour),
    toleratedImportW: optionalNumber(c.toleratedImportW),
    toleratedImportSeconds: optionalNumber(c.toleratedImportSeconds),
    safeState: c.safeState || undefined,
    controllable14a: c.controllable14a || undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as LoadConfig;
}

function validate(c: LoadNodeConfig): { load: LoadConfig; feedback: LoadFeedback; everyCycle: boolean; siteKey: string } {
  const load = loadConfigOf(c);
  assertDeviceId(load.id, 'load id');
  const errors = validateLoadConfig(load);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const siteKey = c.site || c.optimiser;
  if (!siteKey) throw new Error('no site selected: open the node and pick the hems-site this load belongs to');
  return { load, feedback: c.feedback === 'measured' ? 'measured' : 'commanded', everyCycle: c.sendEvery === 'cycle', siteKey };
}

/** Home Assistant's override select: a label → the override it sets (null: none). */
const OVERRIDES: Record<string, ((nowMs: number) => LoadOverride) | null> = {
  auto: null,
  on: () => ({ on: true }),
  off: () => ({ on: false }),
  'on for 1 h': (nowMs) => ({ on: true, expiresAtMs: nowMs + 3_600_000 }),
  'off for 1 h': (nowMs) => ({ on: false, expiresAtMs: nowMs + 3_600_000 }),
};

const MODES_WITHOUT_MINIMUM: LoadMode[] = ['off', 'surplus', 'on'];
const ALL_MODES: LoadMode[] = ['off', 'surplus', 'min_surplus', 'on'];

function haDevice(load: LoadConfig): HaDeviceSpec {
  const modes = load.kind === 'on_off' || load.kind === 'sg_ready' ? MODES_WITHOUT_MINIMUM : ALL_MODES;
  return {
    deviceId: load.id,
    name: load.name || load.id,
    manufacturer: 'node-red-contrib-hems',
    model: `Smart load (${load.kind})`,
    entities: [
      { kind: 'select', key: 'mode', name: 'Mode', options: modes, icon: 'mdi:tune-variant' },
      { kind: 'select', key: 'override', name: 'Override', options: Object.keys(OVERRIDES), icon: 'mdi:hand-back-right' },
      { kind: 'number', key: 'priority', name: 'Priority', min: 0, max: 999, step: 1, mode: 'box', icon: 'mdi:sort-numeric-ascending', category: 'config' },
      { kind: 'binary_sensor', key: 'running', name: 'Running', deviceClass: 'running' },
      { kind: 'sensor', key: 'power_w', name: 'Power', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'energy_today_kwh', name: 'Energy today', deviceClass: 'energy', stateClass: 'total_increasing', unit: 'kWh', precision: 2 },
      { kind: 'sensor', key: 'runtime_today_min', name: 'Runtime today', deviceClass: 'duration', stateClass: 'total_increasing', unit: 'min', precision: 0 },
      { kind: 'sensor', key: 'starts_today', name: 'Starts today', stateClass: 'total_increasing', icon: 'mdi:counter', precision: 0 },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:text-box-outline' },
    ],
  };
}

/** Messages that change the load at run time, by `msg.topic`. */
const CHANGES: Record<string, (payload: unknown, nowMs: number) => LoadChange | string> = {
  mode: (payload) => ({ mode: payload as LoadMode }),
  priority: (payload) => ({ priority: payload as number }),
  override: (payload, nowMs) => {
    if (payload === null || payload === 'auto' || payload === undefined) return { override: undefined };
    const o = payload as { on?: unknown; powerW?: unknown; minutes?: unknown };
    if (typeof o !== 'object' || typeof o.on !== 'boolean') return 'override payload must be { on: true|false, powerW?, minutes? } or "auto" to remove it';
    if (o.minutes !== undefined && !(typeof o.minutes === 'number' && o.minutes > 0)) return `override minutes = ${JSON.stringify(o.minutes)}: must be a number of minutes above 0, or left out for no expiry`;
    const override: LoadOverride = { on: o.on };
    if (o.powerW !== undefined) override.powerW = o.powerW as number;
    if (typeof o.minutes === 'number') override.expiresAtMs = nowMs + o.minutes * 60_000;
    return { override };
  },
  demand: (payload) => (typeof payload === 'boolean' ? { demand: payload } : `demand = ${JSON.stringify(payload)}: send true (plugged in, wants power) or false (unplugged or full)`),
};

/** `{ payload: { demand } }` from an EV charger's plug state: not a read-back, a change of demand. */
function demandOf(payload: unknown): boolean | undefined {
  const demand = (payload as { demand?: unknown } | null)?.demand;
  return typeof demand === 'boolean' && Object.keys(payload as object).length === 1 ? demand : undefined;
}

/** What a restart keeps of a load: run-time mode and priority (with what was configured), and an override. */
interface KeptLoadState {
  settings?: KeptChanges;
  override?: LoadOverride;
  overrideLabel?: string;
}

function settingValues(load: Pick<LoadConfig, 'mode' | 'priority'>): SettingValues {
  return { mode: load.mode, priority: load.priority };
}

function statusOf(update: LoadUpdate): { fill: 'green' | 'grey'; shape: 'dot' | 'ring'; text: string } {
  const text = update.command.reason.slice(0, 60);
  return update.running ? { fill: 'green', shape: 'dot', text } : { fill: 'grey', shape: 'ring', text };
}

export = function register(RED: NodeAPI): void {
  function HemsLoadNode(this: Node, config: LoadNodeConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-load "${config.name || config.loadId || this.id}"`;
    const validated = checkConfig(this, 'hems-load', config, () => validate(config), config.name || config.loadId || this.id);
    if (!validated) return;
    const { load, feedback, everyCycle, siteKey } = validated;
    /** The config in force: changes from messages and HA survive a redeployed optimiser. */
    let current = load;
    let link: SiteLink | undefined;
    let bridge: HaBridge | undefined;
    let overrideLabel = 'auto';
    let lastStatusText = '';
    let available: boolean | undefined;

    // Run-time mode, priority and override, kept per load id across restarts.
    const store = stateStoreOf(RED);
    const storeKey = `load-${load.id}`;
    const kept = store?.load<KeptLoadState>(storeKey, {});
    if (kept?.problem) this.warn(kept.problem);
    {
      const restored = { ...current, ...changesToRestore(kept?.state.settings, settingValues(load)) } as LoadConfig;
      const override = kept?.state.override;
      if (override && (override.expiresAtMs === undefined || override.expiresAtMs > Date.now())) {
        restored.override = override;
        overrideLabel = kept?.state.overrideLabel ?? (override.on ? 'on' : 'off');
      }
      if (validateLoadConfig(restored).length === 0) current = restored;
      else this.warn('the kept mode, priority or override no longer fit this load: the configured ones apply');
    }
    const save = () => {
      if (!store) return;
      const state: KeptLoadState = { settings: keptChanges(settingValues(load), settingValues(current)) };
      if (current.override) Object.assign(state, { override: current.override, overrideLabel });
      try {
        store.save(storeKey, state);
      } catch (err) {
        this.warn(`cannot keep the load settings: ${(err as Error).message}`);
      }
    };

    /** HA shows the load unavailable while no optimiser runs it or its read-back is stale. */
    const setAvailable = (online: boolean) => {
      if (online === available) return;
      available = online;
      bridge?.setAvailability(load.id, online);
    };

    const publishSettings = () => {
      if (!current.override) overrideLabel = 'auto';
      bridge?.publishState(load.id, 'mode', current.mode);
      bridge?.publishState(load.id, 'priority', current.priority);
      bridge?.publishState(load.id, 'override', overrideLabel);
    };

    const onUpdate = (update: LoadUpdate) => {
      const overrideExpired = current.override !== undefined && update.config.override === undefined;
      current = update.config;
      if (overrideExpired) {
        publishSettings();
        save();
      }
      setAvailable(update.readBackFresh);
      if (update.actuationChanged || everyCycle) this.send({ topic: load.id, payload: update.output });
      const status = statusOf(update);
      if (status.text !== lastStatusText) this.status(status);
      lastStatusText = status.text;
      if (!bridge) return;
      bridge.publishState(load.id, 'running', update.running);
      bridge.publishState(load.id, 'power_w', Math.round(update.powerW));
      bridge.publishState(load.id, 'energy_today_kwh', Math.round(update.stats.energyKwh * 100) / 100);
      bridge.publishState(load.id, 'runtime_today_min', Math.floor(update.stats.runtimeSeconds / 60));
      bridge.publishState(load.id, 'starts_today', update.stats.starts);
      bridge.publishState(load.id, 'reason', update.command.reason.slice(0, 255));
    };

    /** Applies a change from a message or HA; returns why it was refused, if it was. */
    const applyChange = (change: LoadChange): string | undefined => {
      const next = { ...current, ...change } as LoadConfig;
      if ('override' in change && change.override === undefined) delete next.override;
      const errors = validateLoadConfig(next);
      if (errors.length > 0) return errors.map((e) => e.message).join('; ');
      current = next;
      link?.session.changeLoad(load.id, change);
      save();
      return undefined;
    };

    const fromMessage = (topic: string, payload: unknown): string | undefined => {
      const outcome = CHANGES[topic](payload, Date.now());
      if (typeof outcome === 'string') return outcome;
      const refused = applyChange(outcome);
      // HA's select shows on or off; the expiry of a message's override is in the reason.
      if (!refused && topic === 'override') overrideLabel = outcome.override ? (outcome.override.on ? 'on' : 'off') : 'auto';
      if (!refused) {
        publishSettings();
        save();
      }
      return refused;
    };

    const onHaCommand = (key: string, value: CommandValue) => {
      const make = OVERRIDES[String(value)];
      const refused = key === 'override' ? applyChange({ override: make ? make(Date.now()) : undefined }) : applyChange({ [key]: value });
      if (refused) return this.warn(`Home Assistant ${key}: ${refused}`);
      if (key === 'override') overrideLabel = String(value);
      publishSettings();
      save();
    };

    const detach = () => {
      if (link) setAvailable(false);
      link?.session.unregisterLoad(this.id, load.id);
      bridge?.unregisterDevice(this.id, false);
      link = undefined;
      bridge = undefined;
    };

    /** Joins the site's session; again whenever a 0.1.0 optimiser holding the site is redeployed alone. */
    const attach = (found: SiteLink | undefined) => {
      if (found === link) return;
      detach();
      if (!found) {
        this.status({ fill: 'yellow', shape: 'ring', text: 'waiting for its site' });
        lastStatusText = '';
        return;
      }
      try {
        found.session.registerLoad(this.id, current, feedback, onUpdate);
      } catch (err) {
        this.status({ fill: 'red', shape: 'ring', text: (err as Error).message.slice(0, 120) });
        this.error(`${label}: ${(err as Error).message}`);
        return;
      }
      link = found;
      this.status({ fill: 'grey', shape: 'ring', text: 'registered, waiting for a cycle' });
      try {
        found.bridge?.registerDevice(this.id, haDevice(load), onHaCommand);
        bridge = found.bridge;
        available = undefined;
        setAvailable(true);
        publishSettings();
      } catch (err) {
        this.error(`${label}: not shown in Home Assistant: ${(err as Error).message}`);
      }
    };
    const stopWatching = watchSite(siteKey, attach);

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (typeof msg.topic === 'string' && Object.hasOwn(CHANGES, msg.topic)) {
        const refused = fromMessage(msg.topic, msg.payload);
        return refused ? done(new Error(`${label}: ${msg.topic}: ${refused}`)) : done();
      }
      const demand = demandOf(msg.payload);
      if (demand !== undefined) {
        const refused = applyChange({ demand });
        return refused ? done(new Error(`${label}: demand: ${refused}`)) : done();
      }
      const parsed = parseMeasuredState(msg.payload, load, link?.voltageV ?? 230);
      if (!parsed.ok) return done(new Error(`${label}: ${parsed.error}`));
      link?.session.measured(load.id, parsed.state, Date.now());
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopWatching();
      save();
      // Stopped or redeployed: unavailable until an instance of this load is attached to an optimiser again.
      setAvailable(false);
      link?.session.unregisterLoad(this.id, load.id);
      bridge?.unregisterDevice(this.id, removed);
      done();
    });
  }
  registerNodeType(RED, 'hems-load', HemsLoadNode);
};
