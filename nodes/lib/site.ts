/**
 * The site session shared by a hems-optimiser, its loads and its planner: the OptimiserSession with
 * the site settings, what it keeps across restarts, its Home Assistant device and its ripple-control
 * poll. A hems-site config node owns one; an optimiser saved by 0.1.0 (no site) builds its own from
 * its settings. Users find it by key (the hems-site id, or the 0.1.0 optimiser's id) and hear when
 * it comes and goes: no polling.
 */
import { EventEmitter } from 'node:events';
import type { ActiveAlarm } from '../../src/engine/alarms';
import { SITE_DEFAULTS, type AllocatorMemory } from '../../src/engine/allocator';
import { changesToRestore, keptChanges, OptimiserSession, type CycleResult, type KeptChanges, type OptimiserSettings, type SettingValues } from '../../src/engine/optimiser';
import type { HaBridge } from '../../src/ha-discovery/bridge';
import type { CommandValue } from '../../src/ha-discovery/commands';
import { HA_LIMIT_MAX_W, optimiserDevice } from '../../src/ha-discovery/devices/optimiser';
import { RUNTIME_SETTINGS, type SiteChange } from '../../src/settings/site-changes';
import { checkUnitId, type ModbusBus } from '../../src/io/modbus-bus';
import { parseSiteConfig, type SiteConfig } from '../../src/settings/site-config';
import { liveFlowView } from '../../src/sidebar';
import type { HaBridgeNode, ModbusBusNode } from './config-nodes';
import type { Node, NodeAPI } from './node-red';
import { forgetFlow, showFlow } from './sidebar';
import { stateStoreOf } from './state-store';
import { statusText } from './status-text';

/** What the optimiser, loads and planner use of their site. */
export interface SiteLink {
  readonly deviceId: string;
  readonly session: OptimiserSession;
  readonly bridge?: HaBridge;
  readonly voltageV: number;
  /** Ripple-control input names in rule order. */
  readonly rippleNames: readonly string[];
  /** Applies a run-time change (`strategy`, `exportLimitW`, `importCapW`); returns why it was refused. */
  change(setting: string, value: unknown): string | undefined;
  /** Applies a run-time change already checked (by the input gate). */
  apply(change: SiteChange): void;
  /** Reads the ripple-control contacts when they come from a Modbus bus (before each cycle). */
  pollRipple(): Promise<void>;
  publishAlarms(alarms: ActiveAlarm[]): void;
  /** Publishes a cycle's figures to Home Assistant and keeps the state; then tells `onCycle` listeners. */
  cycled(result: CycleResult): void;
  onCycle(listener: (result: CycleResult) => void): () => void;
  /** One optimiser runs a site's cycle; returns why `ownerId` may not (another one does). */
  claimCycle(ownerId: string): string | undefined;
  releaseCycle(ownerId: string): void;
}

const HA_KEYS: Record<string, string> = { strategy: 'strategy', export_limit_w: 'exportLimitW', import_cap_w: 'importCapW' };

/** The run-time settings as JSON values (null = no limit), to keep them with what was configured. */
function runtimeValues(settings: Pick<OptimiserSettings, 'site' | 'strategy'>): SettingValues {
  return { strategy: settings.strategy, exportLimitW: settings.site.exportLimitW ?? null, importCapW: settings.site.importCapW ?? null };
}

interface KeptSiteState {
  settings?: KeptChanges;
  memory?: AllocatorMemory;
}

interface RipplePoll {
  bus: ModbusBus;
  unitId: number;
  address: number;
}

function ripplePollOf(RED: NodeAPI, poll: NonNullable<ReturnType<typeof parseSiteConfig>['ripplePoll']>): RipplePoll {
  const busNode = RED.nodes.getNode(poll.busId) as ModbusBusNode | null;
  if (!busNode?.bus) throw new Error('ripple-control bus not found: pick a hems-modbus bus, or none to take the contacts from messages');
  return { bus: busNode.bus, unitId: checkUnitId(poll.unitId, 1, busNode.bus, 'ripple unit id'), address: poll.address };
}

/** Parses and checks a site's settings; throws with the field, value and fix. */
export function checkSite(RED: NodeAPI, config: SiteConfig): { parsed: ReturnType<typeof parseSiteConfig>; ripplePoll?: RipplePoll } {
  const parsed = parseSiteConfig(config);
  return { parsed, ripplePoll: parsed.ripplePoll ? ripplePollOf(RED, parsed.ripplePoll) : undefined };
}

/**
 * Builds the site for `owner` (the hems-site node, or a 0.1.0 optimiser) from checked settings,
 * publishes it under `key`; the returned close() withdraws it.
 */
export function openSite(RED: NodeAPI, owner: Node, key: string, config: SiteConfig, checked: ReturnType<typeof checkSite>): { site: SiteLink; close(removed: boolean): Promise<void> } {
  const { settings, rippleNames } = checked.parsed;
  const { ripplePoll } = checked;
  const session = new OptimiserSession(settings, Date.now());
  const configured = runtimeValues(settings);
  const events = new EventEmitter();
  events.setMaxListeners(0);

  // Run-time changes and the allocator's memory, kept per site device id across restarts (the 0.1.0 file name).
  const store = stateStoreOf(RED);
  const storeKey = `optimiser-${settings.deviceId}`;
  const kept = store?.load<KeptSiteState>(storeKey, {});
  if (kept?.problem) owner.warn(kept.problem);
  for (const [setting, value] of Object.entries(changesToRestore(kept?.state.settings, configured))) {
    const outcome = RUNTIME_SETTINGS[setting]?.(value, session.current.site);
    if (outcome && typeof outcome !== 'string') session.changeSettings(outcome);
  }
  if (kept?.state.memory?.loads) session.restoreMemory(kept.state.memory);
  // Written as it changes, every cycle at most (coalesced, without blocking the cycle).
  const keeper = store?.keeper<KeptSiteState>(storeKey, { onError: (problem) => owner.warn(`cannot keep the optimiser state: ${problem}`) });
  const save = () => keeper?.set({ settings: keptChanges(configured, runtimeValues(session.current)), memory: session.allocatorMemory });

  const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
  if (ha?.configError) owner.warn(`not shown in Home Assistant: ${ha.configError}`);
  let bridge: HaBridge | undefined = ha?.bridge;

  const publishSettings = () => {
    const { site, strategy } = session.current;
    bridge?.publishState(settings.deviceId, 'export_limit_w', site.exportLimitW ?? HA_LIMIT_MAX_W);
    bridge?.publishState(settings.deviceId, 'import_cap_w', site.importCapW ?? HA_LIMIT_MAX_W);
    bridge?.publishState(settings.deviceId, 'strategy', strategy);
  };
  const publishAlarms = (alarms: ActiveAlarm[]) => {
    bridge?.publishAlarms(settings.deviceId, alarms);
  };
  const apply = (change: SiteChange) => {
    session.changeSettings(change);
    publishSettings();
    save();
  };
  const change = (setting: string, value: unknown): string | undefined => {
    const outcome = RUNTIME_SETTINGS[setting](value, session.current.site);
    if (typeof outcome === 'string') return outcome;
    apply(outcome);
    return undefined;
  };

  try {
    bridge?.registerDevice(owner.id, optimiserDevice(settings.deviceId, config.name || 'Optimiser'), (key: string, value: CommandValue) => {
      const refused = change(HA_KEYS[key], value);
      if (refused) owner.warn(`Home Assistant ${key}: ${refused}`);
    });
    bridge?.setAvailability(settings.deviceId, true);
    publishSettings();
    publishAlarms([]);
  } catch (err) {
    bridge = undefined;
    owner.error(`${(err as Error).message}`);
  }

  let closed = false;
  let ripplePollFailed = false;
  let cycleOwner: string | undefined;
  const site: SiteLink = {
    deviceId: settings.deviceId,
    session,
    bridge,
    voltageV: settings.site.phaseVoltageV ?? SITE_DEFAULTS.phaseVoltageV,
    rippleNames,
    change,
    apply,
    publishAlarms,
    async pollRipple() {
      if (!ripplePoll || closed) return;
      try {
        session.setRippleInputs(await ripplePoll.bus.readBits(ripplePoll.unitId, 'discrete', ripplePoll.address, rippleNames.length));
        if (ripplePollFailed) owner.log(`ripple-control inputs read again from ${ripplePoll.bus.label}`);
        ripplePollFailed = false;
      } catch (err) {
        // Unknown contacts match no rule: feed-in is not limited by ripple control, and the site reason says so.
        session.setRippleInputs(undefined);
        if (!ripplePollFailed) owner.warn(`ripple-control inputs not read: ${(err as Error).message}`);
        ripplePollFailed = true;
      }
    },
    cycled(result) {
      save();
      showFlow(liveFlowView(key, config.name || settings.deviceId, result.message, session.loadReadings()));
      events.emit('cycle', result);
    },
    onCycle(listener) {
      events.on('cycle', listener);
      return () => events.off('cycle', listener);
    },
    claimCycle(ownerId) {
      if (cycleOwner !== undefined && cycleOwner !== ownerId) return `site "${settings.deviceId}" is already run by optimiser ${cycleOwner}: one optimiser per site`;
      cycleOwner = ownerId;
      return undefined;
    },
    releaseCycle(ownerId) {
      if (cycleOwner === ownerId) cycleOwner = undefined;
    },
  };
  publishSite(key, site);
  return {
    site,
    async close(removed) {
      // No new state here: every cycle and change set it already, and loads closing before their
      // site (flow nodes close first) have taken their memory out of the session by now.
      closed = true;
      withdrawSite(key, site);
      forgetFlow(key);
      events.removeAllListeners();
      await keeper?.close();
      bridge?.unregisterDevice(owner.id, removed);
    },
  };
}

// The sites of this Node-RED process, by key, and who waits for them.
const sites = new Map<string, SiteLink>();
/** Why a site could not start, by key, so its users can say so instead of waiting. */
const problems = new Map<string, string>();
const watchers = new EventEmitter();
watchers.setMaxListeners(0);

function publishSite(key: string, site: SiteLink): void {
  sites.set(key, site);
  watchers.emit(key, site);
}

function withdrawSite(key: string, site: SiteLink): void {
  if (sites.get(key) !== site) return;
  sites.delete(key);
  watchers.emit(key, undefined);
}

/** Records why the site under `key` could not start; the returned function forgets it (at close). */
export function reportSiteProblem(key: string, problem: string): () => void {
  problems.set(key, problem);
  return () => {
    if (problems.get(key) === problem) problems.delete(key);
  };
}

/** A user's status while its site is missing: its problem when it has one. */
export function missingSiteText(RED: NodeAPI, key: string): string {
  const problem = problems.get(key);
  return problem ? statusText(RED, 'hems-site.status.siteProblem', { problem }) : statusText(RED, 'hems-site.status.waitingForSite');
}

/**
 * Calls `listener` with the site under `key` now (undefined while there is none) and whenever it
 * comes or goes (a 0.1.0 optimiser redeployed alone); the returned function stops it.
 */
export function watchSite(key: string, listener: (site: SiteLink | undefined) => void): () => void {
  watchers.on(key, listener);
  listener(sites.get(key));
  return () => watchers.off(key, listener);
}
