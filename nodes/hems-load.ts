import { SITE_DEFAULTS, validateLoadConfig, type LoadConfig, type LoadOverride } from '../src/engine/allocator';
import { changesToRestore, keptChanges, keptDayStats, resumedDayStats, withLoadChange, type KeptChanges, type KeptDayStats, type LoadChange, type LoadUpdate, type SettingValues } from '../src/engine/optimiser';
import type { HaBridge } from '../src/ha-discovery/bridge';
import type { CommandValue } from '../src/ha-discovery/commands';
import { LOAD_OVERRIDES, loadDevice } from '../src/ha-discovery/devices/load';
import { gateInput } from '../src/settings/inputs/gate';
import { LOAD_INPUTS } from '../src/settings/inputs/load';
import { siteMaxPowerW } from '../src/settings/inputs/physical-range';
import { parseLoadNodeConfig, type LoadNodeConfig } from '../src/settings/load-config';
import { missingSiteText, watchSite, type SiteLink } from './lib/site';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';
import { stateStoreOf } from './lib/state-store';

/** What a restart keeps of a load: run-time mode and priority (with what was configured), and an override. */
interface KeptLoadState {
  settings?: KeptChanges;
  override?: LoadOverride;
  overrideLabel?: string;
}

function settingValues(load: Pick<LoadConfig, 'mode' | 'priority'>): SettingValues {
  return { mode: load.mode, priority: load.priority };
}

function statusOf(RED: NodeAPI, update: LoadUpdate): { fill: 'green' | 'grey'; shape: 'dot' | 'ring'; text: string } {
  const text = statusText(RED, 'hems-load.status.reason', { reason: update.command.reason.slice(0, 60) });
  return update.running ? { fill: 'green', shape: 'dot', text } : { fill: 'grey', shape: 'ring', text };
}

export = function register(RED: NodeAPI): void {
  function HemsLoadNode(this: Node, config: LoadNodeConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-load "${config.name || config.loadId || this.id}"`;
    const validated = checkConfig(RED, this, 'hems-load', config, () => parseLoadNodeConfig(config), config.name || config.loadId || this.id);
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
    // Today's energy, runtime and starts: written every cycle they change (coalesced), sent to HA once on the disk.
    const statsKey = `load-stats-${load.id}`;
    const keptStats = store?.load<unknown>(statsKey, undefined);
    if (keptStats?.problem) this.warn(`${keptStats.problem}; today's figures start from 0`);
    let stats = resumedDayStats(keptStats?.state);
    const statsKeeper = store?.keeper<KeptDayStats>(statsKey, { onError: (problem) => this.warn(`cannot keep today's figures: ${problem}`) });
    const settingsKeeper = store?.keeper<KeptLoadState>(storeKey, { onError: (problem) => this.warn(`cannot keep the load settings: ${problem}`) });
    const save = () => {
      const state: KeptLoadState = { settings: keptChanges(settingValues(load), settingValues(current)) };
      if (current.override) Object.assign(state, { override: current.override, overrideLabel });
      settingsKeeper?.set(state);
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
      const status = statusOf(RED, update);
      if (status.text !== lastStatusText) this.status(status);
      lastStatusText = status.text;
      const figures = keptDayStats(update.stats);
      stats = update.stats;
      statsKeeper?.set(figures);
      const publishFigures = () => {
        bridge?.publishState(load.id, 'energy_today_kwh', Math.round(figures.energyKwh * 100) / 100);
        bridge?.publishState(load.id, 'runtime_today_min', Math.floor(figures.runtimeSeconds / 60));
        bridge?.publishState(load.id, 'starts_today', figures.starts);
      };
      if (statsKeeper) statsKeeper.whenSaved(publishFigures);
      else publishFigures();
      if (!bridge) return;
      bridge.publishState(load.id, 'running', update.running);
      bridge.publishState(load.id, 'power_w', Math.round(update.powerW));
      bridge.publishState(load.id, 'reason', update.command.reason.slice(0, 255));
    };

    /** Applies a change from a message or HA; returns why it was refused, if it was. */
    const applyChange = (change: LoadChange): string | undefined => {
      const next = withLoadChange(current, change);
      const errors = validateLoadConfig(next);
      if (errors.length > 0) return errors.map((e) => e.message).join('; ');
      current = next;
      link?.session.changeLoad(load.id, change);
      save();
      return undefined;
    };

    /** A change the input gate has checked against the load in force. */
    const fromMessage = (topic: string, change: LoadChange): string | undefined => {
      const refused = applyChange(change);
      if (refused) return refused;
      // HA's select shows on or off; the expiry of a message's override is in the reason.
      if (topic === 'override') overrideLabel = change.override ? (change.override.on ? 'on' : 'off') : 'auto';
      publishSettings();
      save();
      return undefined;
    };

    const onHaCommand = (key: string, value: CommandValue) => {
      const make = LOAD_OVERRIDES[String(value)];
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
      if (found && found === link) return;
      detach();
      if (!found) {
        this.status({ fill: 'yellow', shape: 'ring', text: missingSiteText(RED, siteKey).slice(0, 120) });
        lastStatusText = '';
        return;
      }
      try {
        found.session.registerLoad(this.id, current, feedback, onUpdate, stats);
      } catch (err) {
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-load.status.problem', { problem: (err as Error).message }).slice(0, 120) });
        this.error(`${label}: ${(err as Error).message}`);
        return;
      }
      link = found;
      this.status({ fill: 'grey', shape: 'ring', text: 'hems-load.status.waitingForCycle' });
      try {
        found.bridge?.registerDevice(this.id, loadDevice(load), onHaCommand);
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
      const site = link?.session.current.site;
      const input = gateInput(LOAD_INPUTS, msg, { current, voltageV: link?.voltageV ?? SITE_DEFAULTS.phaseVoltageV, maxPowerW: site && siteMaxPowerW(site), nowMs: Date.now() });
      if (!input.ok) return done(new Error(`${label}: ${input.error}`));
      const { topic, value } = input.value;
      const refused = topic !== undefined ? fromMessage(topic, value) : 'demand' in value ? applyChange(value) : undefined;
      if (refused) return done(new Error(`${label}: msg.payload: ${refused}`));
      if (topic === undefined && 'measured' in value) link?.session.measured(load.id, value.measured, Date.now());
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopWatching();
      save();
      // Stopped or redeployed: unavailable until an instance of this load is attached to an optimiser again.
      setAvailable(false);
      link?.session.unregisterLoad(this.id, load.id);
      void Promise.all([statsKeeper?.close(), settingsKeeper?.close()]).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-load', HemsLoadNode);
};
