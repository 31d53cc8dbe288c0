import { validateSiteSettings, type BatteryPolicy, type SiteDecision, type SiteSettings } from '../src/engine/allocator';
import {
  isStrategyName,
  OptimiserSession,
  STRATEGY_NAMES,
  strategyProblem,
  type OptimiserSettings,
  type StrategyName,
} from '../src/engine/optimiser';
import type { HaBridge } from '../src/ha-discovery/bridge';
import type { CommandValue } from '../src/ha-discovery/commands';
import type { HaDeviceSpec } from '../src/ha-discovery/entities';
import { assertTopicId, SITE_DEVICE_ID } from '../src/ha-discovery/topics';
import type { HaBridgeNode } from './lib/config-nodes';
import { numberProperty, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';

interface OptimiserConfig {
  name?: string;
  deviceId: string;
  cycleSeconds: string | number;
  gridDevice: string;
  pvDevice?: string;
  batteryDevice?: string;
  strategy: string;
  marginW?: string | number;
  staleAfterSeconds?: string | number;
  exportLimitW?: string | number;
  exportLimitPctOfPvPeak?: string | number;
  pvPeakW?: string | number;
  importCapW?: string | number;
  fuseLimitA?: string | number;
  batteryPolicy?: string;
  batterySocPct?: string | number;
  batteryMaxDischargeW?: string | number;
  ha?: string;
}

/** Blank means "not set"; anything else that is not a number is passed on so validation names it. */
function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const n = Number(value);
  return (Number.isFinite(n) ? n : String(value)) as number;
}

const BATTERY_POLICIES: Record<string, (c: OptimiserConfig) => BatteryPolicy> = {
  loads_first: () => ({ kind: 'loads_first' }),
  battery_first_until_soc: (c) => ({ kind: 'battery_first_until_soc', socPct: optionalNumber(c.batterySocPct) as number }),
  battery_may_discharge_to_soc: (c) => ({
    kind: 'battery_may_discharge_to_soc',
    socPct: optionalNumber(c.batterySocPct) as number,
    maxDischargeW: optionalNumber(c.batteryMaxDischargeW) as number,
  }),
};

function siteSettingsOf(c: OptimiserConfig): SiteSettings {
  const policy = BATTERY_POLICIES[c.batteryPolicy || 'loads_first'];
  const entries: Array<[keyof SiteSettings, unknown]> = [
    ['marginW', optionalNumber(c.marginW)],
    ['staleAfterSeconds', optionalNumber(c.staleAfterSeconds)],
    ['exportLimitW', optionalNumber(c.exportLimitW)],
    ['exportLimitPctOfPvPeak', optionalNumber(c.exportLimitPctOfPvPeak)],
    ['pvPeakW', optionalNumber(c.pvPeakW)],
    ['importCapW', optionalNumber(c.importCapW)],
    ['fuseLimitA', optionalNumber(c.fuseLimitA)],
    ['battery', policy ? policy(c) : { kind: c.batteryPolicy }],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as SiteSettings;
}

/** Checks the configuration up front: the status and log say which field to fix and how. */
function validate(config: OptimiserConfig): { settings: OptimiserSettings; cycleMs: number } {
  const deviceId = String(config.deviceId ?? '').trim() || 'optimiser';
  assertTopicId('device id', deviceId);
  if (deviceId === SITE_DEVICE_ID) throw new Error(`device id "${SITE_DEVICE_ID}" is reserved for the site device: choose another, e.g. "optimiser"`);
  const cycleSeconds = numberProperty(config.cycleSeconds, 5);
  if (!(cycleSeconds >= 1 && cycleSeconds <= 300)) throw new Error(`cycle ${config.cycleSeconds} s: use 1 to 300 s; 5 s reacts quickly without chasing meter noise`);
  const gridDevice = String(config.gridDevice ?? '').trim();
  if (!gridDevice) throw new Error('grid meter device id is empty: enter the device id of the meter at the grid connection (its readings’ "device")');
  const strategy = config.strategy || 'pv_surplus';
  if (!isStrategyName(strategy)) throw new Error(strategyProblem(strategy));
  const site = siteSettingsOf(config);
  const errors = validateSiteSettings(site);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const sources = {
    gridDevice,
    pvDevice: String(config.pvDevice ?? '').trim() || undefined,
    batteryDevice: String(config.batteryDevice ?? '').trim() || undefined,
  };
  return { settings: { deviceId, site, strategy, sources }, cycleMs: cycleSeconds * 1000 };
}

/** Limits in Home Assistant: the maximum means no limit, since an HA number cannot be empty. */
const HA_LIMIT_MAX_W = 100_000;

function haDevice(deviceId: string, name: string): HaDeviceSpec {
  return {
    deviceId,
    name,
    manufacturer: 'node-red-contrib-hems',
    model: 'Load-priority optimiser',
    entities: [
      { kind: 'sensor', key: 'surplus_w', name: 'Surplus', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'projected_grid_power_w', name: 'Projected grid power', deviceClass: 'power', stateClass: 'measurement', unit: 'W', precision: 0 },
      { kind: 'sensor', key: 'reason', name: 'Reason', icon: 'mdi:text-box-outline' },
      { kind: 'number', key: 'export_limit_w', name: 'Export limit', min: 0, max: HA_LIMIT_MAX_W, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' },
      { kind: 'number', key: 'import_cap_w', name: 'Import cap', min: 0, max: HA_LIMIT_MAX_W, step: 100, unit: 'W', deviceClass: 'power', mode: 'box', category: 'config' },
      { kind: 'select', key: 'strategy', name: 'Strategy', options: STRATEGY_NAMES, icon: 'mdi:strategy', category: 'config' },
    ],
  };
}

/** Settings that a message (`msg.topic`) or Home Assistant (entity key) may change at run time. */
const RUNTIME_SETTINGS: Record<string, (value: unknown, site: SiteSettings) => Partial<OptimiserSettings> | string> = {
  strategy: (value) => (isStrategyName(value) ? { strategy: value as StrategyName } : strategyProblem(value)),
  exportLimitW: (value, site) => limitChange('exportLimitW', value, site),
  importCapW: (value, site) => limitChange('importCapW', value, site),
};
const HA_KEYS: Record<string, string> = { strategy: 'strategy', export_limit_w: 'exportLimitW', import_cap_w: 'importCapW' };

/** null, blank or the HA maximum removes the limit; anything else must pass the site checks. */
function limitChange(field: 'exportLimitW' | 'importCapW', value: unknown, site: SiteSettings): Partial<OptimiserSettings> | string {
  if (value === null || value === '' || (typeof value === 'number' && value >= HA_LIMIT_MAX_W)) return { site: { [field]: undefined } };
  const errors = validateSiteSettings({ ...site, [field]: value });
  return errors.length > 0 ? errors.map((e) => e.message).join('; ') : { site: { [field]: value as number } };
}

function statusOf(site: SiteDecision, loads: number): { fill: 'green' | 'red'; shape: 'dot' | 'ring'; text: string } {
  if (site.stale) return { fill: 'red', shape: 'ring', text: site.reasons.at(-1) ?? 'readings stale' };
  return { fill: 'green', shape: 'dot', text: `surplus ${(site.surplusW / 1000).toFixed(1)} kW, ${loads} load(s)` };
}

function register(RED: NodeAPI): void {
  function HemsOptimiserNode(this: register.OptimiserNode, config: OptimiserConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-optimiser "${config.name || this.id}"`;
    let validated: ReturnType<typeof validate>;
    try {
      validated = validate(config);
    } catch (err) {
      const text = (err as Error).message;
      this.status({ fill: 'red', shape: 'ring', text });
      this.error(`${label}: ${text}`);
      this.on('close', (_removed: boolean, done: () => void) => done());
      return;
    }
    const { settings, cycleMs } = validated;
    const session = new OptimiserSession(settings, Date.now());
    const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    if (ha?.configError) this.warn(`not shown in Home Assistant: ${ha.configError}`);
    let bridge: HaBridge | undefined = ha?.bridge;
    let sawGridReading = false;

    const publishSettings = () => {
      const { site, strategy } = session.current;
      bridge?.publishState(settings.deviceId, 'export_limit_w', site.exportLimitW ?? HA_LIMIT_MAX_W);
      bridge?.publishState(settings.deviceId, 'import_cap_w', site.importCapW ?? HA_LIMIT_MAX_W);
      bridge?.publishState(settings.deviceId, 'strategy', strategy);
    };

    /** Applies a run-time change; returns why it was refused, if it was. */
    const change = (setting: string, value: unknown): string | undefined => {
      const outcome = RUNTIME_SETTINGS[setting](value, session.current.site);
      if (typeof outcome === 'string') return outcome;
      session.changeSettings(outcome);
      publishSettings();
      return undefined;
    };

    try {
      bridge?.registerDevice(this.id, haDevice(settings.deviceId, config.name || 'Optimiser'), (key: string, value: CommandValue) => {
        const refused = change(HA_KEYS[key], value);
        if (refused) this.warn(`Home Assistant ${key}: ${refused}`);
      });
      bridge?.setAvailability(settings.deviceId, true);
      publishSettings();
    } catch (err) {
      bridge = undefined;
      this.error(`${label}: ${(err as Error).message}`);
    }
    this.hems = { session, bridge, voltageV: settings.site.phaseVoltageV ?? 230 };
    this.status({ fill: 'yellow', shape: 'ring', text: `waiting for a reading from "${settings.sources.gridDevice}"` });

    const runCycle = () => {
      try {
        const result = session.cycle(Date.now());
        for (const problem of result.errors) this.error(`${label}: ${problem}`);
        if (sawGridReading || result.site.stale) this.status(statusOf(result.site, result.commands.length));
        if (!sawGridReading && !result.site.stale) return;
        this.send(result.message as unknown as NodeMessage);
        bridge?.publishState(settings.deviceId, 'surplus_w', Math.round(result.site.surplusW));
        bridge?.publishState(settings.deviceId, 'projected_grid_power_w', Math.round(result.site.projectedGridPowerW));
        bridge?.publishState(settings.deviceId, 'reason', result.site.reasons.join('; ').slice(0, 255));
      } catch (err) {
        // A bug in one cycle must not stop the next one, nor Node-RED.
        this.error(`${label}: cycle failed: ${(err as Error).stack ?? err}`);
      }
    };
    const timer = setInterval(runCycle, cycleMs);

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (typeof msg.topic === 'string' && Object.hasOwn(RUNTIME_SETTINGS, msg.topic)) {
        const refused = change(msg.topic, msg.payload);
        return refused ? done(new Error(`${label}: ${refused}`)) : done();
      }
      const reading = msg.payload as { device?: unknown; values?: unknown } | undefined;
      if (!reading || typeof reading.device !== 'string' || !reading.values || typeof reading.values !== 'object') {
        return done(new Error(`${label}: expected a reading { device, timestamp, values } or msg.topic ${Object.keys(RUNTIME_SETTINGS).join(' | ')}`));
      }
      const used = session.siteReading(reading as Parameters<OptimiserSession['siteReading']>[0], Date.now());
      if (used.includes('gridPowerW')) sawGridReading = true;
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      clearInterval(timer);
      this.hems = undefined;
      bridge?.unregisterDevice(this.id, removed);
      done();
    });
  }
  RED.nodes.registerType('hems-optimiser', HemsOptimiserNode);
}

namespace register {
  /** What a hems-load finds on the optimiser node it is linked to. */
  export interface OptimiserLink {
    session: OptimiserSession;
    bridge?: HaBridge;
    voltageV: number;
  }
  export interface OptimiserNode extends Node {
    hems?: OptimiserLink;
  }
}

export = register;
