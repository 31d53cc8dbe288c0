/**
 * A site's settings as the editor stores them (a hems-site config node, or the site part of a
 * 0.1.0 hems-optimiser after migration) → the optimiser session's settings. Pure: the Node-RED
 * glue looks up the config nodes it names (bridge, ripple-control bus).
 */
import { validateSiteSettings, type BatteryPolicy, type RippleControlRule, type SiteSettings, type ZeroExportProbeSettings } from '../engine/allocator';
import { isStrategyName, strategyProblem, type OptimiserSettings } from '../engine/optimiser';
import { hostTimeZone } from '../engine/local-time';
import { assertDeviceId } from '../ha-discovery/topics';
import { settingsContract } from './contract';
import { optionalNumber } from './values';

/** Every key the runtime reads of a hems-site; the editor's defaults declare each (test/settings). */
export interface SiteConfig {
  name?: string;
  version?: number;
  deviceId?: string;
  gridDevice?: string;
  pvDevice?: string;
  batteryDevice?: string;
  strategy?: string;
  /** IANA zone of the household's clock; blank: the host's. */
  timeZone?: string;
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
  /** One row per rule: [{ inputs: "10", feedInPct: 60, dimConsumption?, lockHeatPumps? }]. */
  rippleRules?: unknown;
  /** Optional: a hems-modbus bus to poll the contacts from (discrete inputs, function 02) every cycle. */
  rippleBus?: string;
  rippleUnitId?: string | number;
  rippleAddress?: string | number;
  /** A hems-ha bridge to show the site in Home Assistant. */
  ha?: string;
  /** `on`: probe for PV held back by the export limit (docs/allocator.md "Zero-export sites"). */
  zeroExportProbe?: string;
  probeMaxExportW?: string | number;
  probeMaxSeconds?: string | number;
}

export interface ParsedSite {
  settings: OptimiserSettings;
  rippleNames: string[];
  /** Set when the contacts are polled from a Modbus bus. */
  ripplePoll?: { busId: string; unitId: unknown; address: number };
}

const BATTERY_POLICIES: Record<string, (c: SiteConfig) => BatteryPolicy> = {
  loads_first: () => ({ kind: 'loads_first' }),
  battery_first_until_soc: (c) => ({ kind: 'battery_first_until_soc', socPct: optionalNumber(c.batterySocPct) as number }),
  battery_may_discharge_to_soc: (c) => ({
    kind: 'battery_may_discharge_to_soc',
    socPct: optionalNumber(c.batterySocPct) as number,
    maxDischargeW: optionalNumber(c.batteryMaxDischargeW) as number,
  }),
};

function rippleRulesOf(c: SiteConfig, names: string[]): RippleControlRule[] | undefined {
  const rules = c.rippleRules ?? [];
  const problems = settingsContract.rippleRuleProblems(rules, names);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return (rules as RippleControlRule[]).length > 0 ? (rules as RippleControlRule[]) : undefined;
}

const PROBE_SWITCH: Record<string, (c: SiteConfig) => ZeroExportProbeSettings | undefined> = {
  off: () => undefined,
  on: (c) => ({ maxExportW: optionalNumber(c.probeMaxExportW) ?? 0, maxSeconds: optionalNumber(c.probeMaxSeconds) ?? 30 }),
};

function zeroExportProbeOf(c: SiteConfig): ZeroExportProbeSettings | undefined {
  const setting = c.zeroExportProbe || 'off';
  const probe = Object.hasOwn(PROBE_SWITCH, setting) ? PROBE_SWITCH[setting] : undefined;
  if (!probe) throw new Error(`zeroExportProbe = ${show(c.zeroExportProbe)}: must be off or on`);
  return probe(c);
}

function siteSettingsOf(c: SiteConfig, names: string[]): SiteSettings {
  const policy = BATTERY_POLICIES[c.batteryPolicy || 'loads_first'];
  const rules = rippleRulesOf(c, names);
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
    ['zeroExportProbe', zeroExportProbeOf(c)],
    ['timeZone', String(c.timeZone ?? '').trim() || hostTimeZone()],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as SiteSettings;
}

function ripplePollOf(c: SiteConfig, names: string[]): ParsedSite['ripplePoll'] {
  if (!c.rippleBus) return undefined;
  if (names.length === 0) throw new Error('ripple-control inputs are polled but none are named: name them in rule order, e.g. "k1, k2"');
  const address = optionalNumber(c.rippleAddress) ?? 0;
  if (!Number.isInteger(address) || address < 0 || address > 65535) throw new Error(`ripple first input ${show(c.rippleAddress)}: use the discrete input address of the first contact, 0 to 65535`);
  return { busId: c.rippleBus, unitId: c.rippleUnitId, address };
}

const show = (value: unknown) => JSON.stringify(value);

/** Checks the site up front: the error names the field, its value and what to enter instead. */
export function parseSiteConfig(c: SiteConfig): ParsedSite {
  const deviceId = String(c.deviceId ?? '').trim() || 'optimiser';
  assertDeviceId(deviceId);
  const gridDevice = String(c.gridDevice ?? '').trim();
  if (!gridDevice) throw new Error('grid meter device id is empty: enter the device id of the meter at the grid connection (its readings’ "device")');
  const strategy = c.strategy || 'pv_surplus';
  if (!isStrategyName(strategy)) throw new Error(strategyProblem(strategy));
  const rippleNames = settingsContract.words(c.rippleInputs);
  const site = siteSettingsOf(c, rippleNames);
  const errors = validateSiteSettings(site);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const sources = {
    gridDevice,
    pvDevice: String(c.pvDevice ?? '').trim() || undefined,
    batteryDevice: String(c.batteryDevice ?? '').trim() || undefined,
  };
  return { settings: { deviceId, site, strategy, sources }, rippleNames, ripplePoll: ripplePollOf(c, rippleNames) };
}
