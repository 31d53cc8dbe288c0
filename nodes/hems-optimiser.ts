import type { ActiveAlarm } from '../src/engine/alarms';
import { SITE_DEFAULTS, validateSiteSettings, type AllocatorMemory, type BatteryPolicy, type RippleControlRule, type SiteDecision, type SiteSettings } from '../src/engine/allocator';
import {
  changesToRestore,
  DecisionHoldOff,
  type DecisionCause,
  isStrategyName,
  keptChanges,
  OptimiserSession,
  parsePrices,
  parseRippleInputs,
  type KeptChanges,
  type SettingValues,
  STRATEGY_NAMES,
  strategyProblem,
  type OptimiserSettings,
  type StrategyName,
} from '../src/engine/optimiser';
import type { HaBridge } from '../src/ha-discovery/bridge';
import type { CommandValue } from '../src/ha-discovery/commands';
import { ALARM_ENTITY } from '../src/ha-discovery/devices/alarm';
import type { HaDeviceSpec } from '../src/ha-discovery/entities';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { checkUnitId, type ModbusBus } from '../src/io/modbus-bus';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, numberProperty, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { stateStoreOf } from './lib/state-store';

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
  /** Ripple-control input names in rule order, e.g. "k1, k2". */
  rippleInputs?: string;
  /** JSON list of rules: [{ "inputs": "10", "feedInPct": 60, "dimConsumption"?, "lockHeatPumps"? }]. */
  rippleRules?: string;
  /** Optional: poll the contacts from Modbus discrete inputs (function 02) every cycle. */
  rippleBus?: string;
  rippleUnitId?: string | number;
  rippleAddress?: string | number;
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

function rippleNamesOf(c: OptimiserConfig): string[] {
  return String(c.rippleInputs ?? '')
    .split(/[,;\s]+/)
    .filter((name) => name !== '');
}

/** The rules as typed in the editor; each must spell one character per named input. */
function rippleRulesOf(c: OptimiserConfig, names: string[]): RippleControlRule[] | undefined {
  const text = String(c.rippleRules ?? '').trim();
  if (text === '') return undefined;
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch (err) {
    throw new Error(`ripple rules are not JSON (${(err as Error).message}): write e.g. [{ "inputs": "10", "feedInPct": 60 }]`);
  }
  if (!Array.isArray(rules)) throw new Error(`ripple rules = ${text.slice(0, 40)}: must be a list of rules, e.g. [{ "inputs": "10", "feedInPct": 60 }]`);
  const misfit = rules.find((rule) => String((rule as RippleControlRule)?.inputs ?? '').length !== names.length);
  if (misfit !== undefined) {
    throw new Error(`ripple rule inputs ${JSON.stringify((misfit as RippleControlRule)?.inputs)}: must have one 0/1 per named input (${names.join(', ') || 'none named: name them, e.g. "k1, k2"'})`);
  }
  return rules as RippleControlRule[];
}

function siteSettingsOf(c: OptimiserConfig): SiteSettings {
  const policy = BATTERY_POLICIES[c.batteryPolicy || 'loads_first'];
  const rules = rippleRulesOf(c, rippleNamesOf(c));
  const entries: Array<[keyof SiteSettings, unknown]> = [
    ['marginW', optionalNumber(c.marginW)],
    ['staleAfterSeconds', optionalNumber(c.staleAfterSeconds)],
    ['exportLimitW', optionalNumber(c.exportLimitW)],
    ['exportLimitPctOfPvPeak', optionalNumber(c.exportLimitPctOfPvPeak)],
    ['pvPeakW', optionalNumber(c.pvPeakW)],
    ['importCapW', optionalNumber(c.importCapW)],
    ['fuseLimitA', optionalNumber(c.fuseLimitA)],
    ['battery', policy ? policy(c) : { kind: c.batteryPolicy }],
    ['rippleControl', rules ? { rules } : undefined],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as SiteSettings;
}

interface RipplePoll {
  bus: ModbusBus;
  unitId: number;
  address: number;
}

function ripplePollOf(RED: NodeAPI, c: OptimiserConfig, names: string[]): RipplePoll | undefined {
  if (!c.rippleBus) return undefined;
  const busNode = RED.nodes.getNode(c.rippleBus) as ModbusBusNode | null;
  if (!busNode?.bus) throw new Error('ripple-control bus not found: pick a hems-modbus bus, or none to take the contacts from messages');
  if (names.length === 0) throw new Error('ripple-control inputs are polled but none are named: name them in rule order, e.g. "k1, k2"');
  const unitId = checkUnitId(c.rippleUnitId, 1, busNode.bus, 'ripple unit id');
  const address = numberProperty(c.rippleAddress, 0);
  if (!Number.isInteger(address) || address < 0 || address > 65535) throw new Error(`ripple first input ${c.rippleAddress}: use the discrete input address of the first contact, 0 to 65535`);
  return { bus: busNode.bus, unitId, address };
}

/** Checks the configuration up front: the status and log say which field to fix and how. */
function validate(config: OptimiserConfig): { settings: OptimiserSettings; cycleMs: number } {
  const deviceId = String(config.deviceId ?? '').trim() || 'optimiser';
  assertDeviceId(deviceId);
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
      ALARM_ENTITY,
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

/** The run-time settings as JSON values (null = no limit), to keep them with what was configured. */
function runtimeValues(settings: Pick<OptimiserSettings, 'site' | 'strategy'>): SettingValues {
  return { strategy: settings.strategy, exportLimitW: settings.site.exportLimitW ?? null, importCapW: settings.site.importCapW ?? null };
}

interface KeptOptimiserState {
  settings?: KeptChanges;
  memory?: AllocatorMemory;
}

/** Site inputs that arrive as messages, by `msg.topic`; each returns why it refused the payload. */
type InputHandler = (payload: unknown) => string | undefined;

function register(RED: NodeAPI): void {
  function HemsOptimiserNode(this: register.OptimiserNode, config: OptimiserConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-optimiser "${config.name || this.id}"`;
    const rippleNames = rippleNamesOf(config);
    const validated = checkConfig(this, 'hems-optimiser', config, () => ({ ...validate(config), ripplePoll: ripplePollOf(RED, config, rippleNames) }), config.name || this.id);
    if (!validated) return;
    const { settings, cycleMs, ripplePoll } = validated;
    const session = new OptimiserSession(settings, Date.now());
    const configured = runtimeValues(settings);

    // Run-time changes and the allocator's memory, kept per optimiser device id across restarts.
    const store = stateStoreOf(RED);
    const storeKey = `optimiser-${settings.deviceId}`;
    const kept = store?.load<KeptOptimiserState>(storeKey, {});
    if (kept?.problem) this.warn(kept.problem);
    const restored = changesToRestore(kept?.state.settings, configured);
    for (const [setting, value] of Object.entries(restored)) {
      const outcome = RUNTIME_SETTINGS[setting]?.(value, session.current.site);
      if (outcome && typeof outcome !== 'string') session.changeSettings(outcome);
    }
    if (kept?.state.memory?.loads) session.restoreMemory(kept.state.memory);
    // Written as it changes, every cycle at most (coalesced, without blocking the cycle).
    const keeper = store?.keeper<KeptOptimiserState>(storeKey, { onError: (problem) => this.warn(`cannot keep the optimiser state: ${problem}`) });
    const save = () => keeper?.set({ settings: keptChanges(configured, runtimeValues(session.current)), memory: session.allocatorMemory });

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
    const publishAlarms = (alarms: ActiveAlarm[]) => {
      bridge?.publishState(settings.deviceId, 'alarm', alarms.length > 0);
      bridge?.publishAttributes(settings.deviceId, 'alarm', { alarms });
    };

    /** Applies a run-time change; returns why it was refused, if it was. */
    const change = (setting: string, value: unknown): string | undefined => {
      const outcome = RUNTIME_SETTINGS[setting](value, session.current.site);
      if (typeof outcome === 'string') return outcome;
      session.changeSettings(outcome);
      publishSettings();
      save();
      return undefined;
    };

    try {
      bridge?.registerDevice(this.id, haDevice(settings.deviceId, config.name || 'Optimiser'), (key: string, value: CommandValue) => {
        const refused = change(HA_KEYS[key], value);
        if (refused) this.warn(`Home Assistant ${key}: ${refused}`);
      });
      bridge?.setAvailability(settings.deviceId, true);
      publishSettings();
      publishAlarms([]);
    } catch (err) {
      bridge = undefined;
      this.error(`${label}: ${(err as Error).message}`);
    }
    this.hems = { session, bridge, voltageV: settings.site.phaseVoltageV ?? SITE_DEFAULTS.phaseVoltageV };
    this.status({ fill: 'yellow', shape: 'ring', text: `waiting for a reading from "${settings.sources.gridDevice}"` });

    let stopped = false;
    let ripplePollFailed = false;
    const pollRipple = async () => {
      if (!ripplePoll || stopped) return;
      try {
        session.setRippleInputs(await ripplePoll.bus.readBits(ripplePoll.unitId, 'discrete', ripplePoll.address, rippleNames.length));
        if (ripplePollFailed) this.log(`ripple-control inputs read again from ${ripplePoll.bus.label}`);
        ripplePollFailed = false;
      } catch (err) {
        // Unknown contacts match no rule: feed-in is not limited by ripple control, and the site reason says so.
        session.setRippleInputs(undefined);
        if (!ripplePollFailed) this.warn(`ripple-control inputs not read: ${(err as Error).message}`);
        ripplePollFailed = true;
      }
    };

    const runCycle = () => {
      if (stopped) return;
      try {
        const result = session.cycle(Date.now());
        for (const problem of result.errors) this.error(`${label}: ${problem}`);
        if (result.alarmChange === 'raised') this.warn(`${settings.deviceId}: ${result.alarms[0].name}: ${result.alarms[0].detail}`);
        if (result.alarmChange === 'cleared') this.log(`${settings.deviceId}: stale site data cleared`);
        if (result.alarmChange) publishAlarms(result.alarms);
        save();
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
    const timer = setInterval(() => {
      void pollRipple().then(runCycle);
    }, cycleMs);

    // A crossed limit is decided at once, besides the cycle; one that crosses during the hold-off waits for its end.
    const holdOff = new DecisionHoldOff();
    let heldDecision: NodeJS.Timeout | undefined;
    const decideSoon = (cause: DecisionCause | undefined) => {
      if (!cause || heldDecision) return;
      const waitMs = holdOff.claim(Date.now());
      if (waitMs === 0) return runCycle();
      heldDecision = setTimeout(() => {
        heldDecision = undefined;
        decideSoon(cause);
      }, waitMs);
    };

    const INPUTS: Record<string, InputHandler> = {
      ripple: (payload) => {
        const parsed = parseRippleInputs(payload, rippleNames);
        if (!parsed.ok) return parsed.error;
        decideSoon(session.setRippleInputs(parsed.inputs));
        return undefined;
      },
      prices: (payload) => {
        const parsed = parsePrices(payload);
        if (!parsed.ok) return parsed.error;
        session.setPrices(parsed.slots);
        return undefined;
      },
    };

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (typeof msg.topic === 'string' && Object.hasOwn(RUNTIME_SETTINGS, msg.topic)) {
        const refused = change(msg.topic, msg.payload);
        return refused ? done(new Error(`${label}: ${refused}`)) : done();
      }
      if (typeof msg.topic === 'string' && Object.hasOwn(INPUTS, msg.topic)) {
        const refused = INPUTS[msg.topic](msg.payload);
        return refused ? done(new Error(`${label}: ${msg.topic}: ${refused}`)) : done();
      }
      const reading = msg.payload as { device?: unknown; values?: unknown } | undefined;
      if (!reading || typeof reading.device !== 'string' || !reading.values || typeof reading.values !== 'object') {
        const topics = [...Object.keys(RUNTIME_SETTINGS), ...Object.keys(INPUTS)].join(' | ');
        return done(new Error(`${label}: expected a reading { device, timestamp, values } or msg.topic ${topics}`));
      }
      const { used, decisionDue } = session.siteReading(reading as Parameters<OptimiserSession['siteReading']>[0], Date.now());
      if (used.includes('gridPowerW')) sawGridReading = true;
      decideSoon(decisionDue);
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(heldDecision);
      save();
      this.hems = undefined;
      void (keeper?.close() ?? Promise.resolve()).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
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
