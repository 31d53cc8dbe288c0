/**
 * The scenario file (docs/simulate.md): site limits, prices, battery, loads with their demand,
 * strategy. Field names are snake_case with units, like the series columns; load control fields
 * map one to one onto the allocator's config and are checked by the allocator's own validators.
 */
import { validateLoadConfig, validateSiteSettings, type LoadConfig, type SiteSettings } from '../allocator';
import { isStrategyName, STRATEGY_NAMES, type StrategyName } from '../optimiser/strategy';
import { parseDemand, type DemandSpec } from './demand';
import { SimulationInputError, show } from './errors';

export interface BatterySpec {
  capacityKwh: number;
  maxChargeW: number;
  maxDischargeW: number;
  /** Round trip, 0–1; charging and discharging each lose its square root. */
  efficiency: number;
  minSocPct: number;
  maxSocPct: number;
  initialSocPct: number;
}

export interface SimulatedLoad {
  config: LoadConfig;
  demand: DemandSpec;
}

/** The optimiser's strategies, and `planner`: each load in its own mode with the planner's slots as a floor. */
export type SimulationStrategy = StrategyName | 'planner';
export const SIMULATION_STRATEGIES: readonly SimulationStrategy[] = [...STRATEGY_NAMES, 'planner'];

export function isSimulationStrategy(name: unknown): name is SimulationStrategy {
  return name === 'planner' || isStrategyName(name);
}

/**
 * Who holds export at the limit: `hems` (the inverter gives what the allocator's inverter limit
 * allows) or `inverter` (it holds export at the limit on its own meter, giving min(available PV,
 * consumption + battery charging + export limit), as zero-export inverters do; only a probe's
 * export window lifts that limit).
 */
export type PvCurtailment = 'hems' | 'inverter';
const PV_CURTAILMENTS: readonly PvCurtailment[] = ['hems', 'inverter'];

export interface Scenario {
  name: string;
  strategy: SimulationStrategy;
  stepSeconds: number;
  site: SiteSettings;
  pvCurtailment: PvCurtailment;
  prices: { importEurPerKwh?: number; exportEurPerKwh?: number };
  battery?: BatterySpec;
  loads: SimulatedLoad[];
}

type Json = Record<string, unknown>;

/** Scenario name → allocator field, per section. */
const SITE_FIELDS: Record<string, keyof SiteSettings> = {
  margin_w: 'marginW',
  export_limit_w: 'exportLimitW',
  export_limit_pct_of_pv_peak: 'exportLimitPctOfPvPeak',
  pv_peak_w: 'pvPeakW',
  import_cap_w: 'importCapW',
  phase_voltage_v: 'phaseVoltageV',
};
const BATTERY_POLICY_FIELDS: Record<string, string> = { kind: 'kind', soc_pct: 'socPct', max_discharge_w: 'maxDischargeW' };
const PROBE_FIELDS: Record<string, string> = { max_export_w: 'maxExportW', max_seconds: 'maxSeconds' };
const LOAD_FIELDS: Record<string, string> = {
  id: 'id',
  name: 'name',
  kind: 'kind',
  priority: 'priority',
  mode: 'mode',
  power_w: 'powerW',
  phase: 'phase',
  stage_powers_w: 'stagePowersW',
  control: 'control',
  min_power_w: 'minPowerW',
  max_power_w: 'maxPowerW',
  min_current_a: 'minCurrentA',
  max_current_a: 'maxCurrentA',
  phases: 'phases',
  single_phase: 'singlePhase',
  phase_switch_delay_s: 'phaseSwitchDelaySeconds',
  recommend_threshold_w: 'recommendThresholdW',
  force_on_threshold_w: 'forceOnThresholdW',
  boost_power_w: 'boostPowerW',
  force_on_below_price_eur_per_kwh: 'forceOnBelowPriceEurPerKwh',
  enable_threshold_w: 'enableThresholdW',
  disable_threshold_w: 'disableThresholdW',
  enable_delay_s: 'enableDelaySeconds',
  disable_delay_s: 'disableDelaySeconds',
  min_on_s: 'minOnSeconds',
  min_off_s: 'minOffSeconds',
  max_starts_per_hour: 'maxStartsPerHour',
  tolerated_import_w: 'toleratedImportW',
  tolerated_import_s: 'toleratedImportSeconds',
  safe_state: 'safeState',
  controllable_14a: 'controllable14a',
};
const SCENARIO_FIELDS = ['name', 'strategy', 'step_seconds', 'site', 'prices', 'battery', 'loads'];
const BATTERY_FIELDS = ['capacity_kwh', 'max_charge_w', 'max_discharge_w', 'efficiency', 'min_soc_pct', 'max_soc_pct', 'initial_soc_pct'];
const PRICE_FIELDS = ['import_eur_per_kwh', 'export_eur_per_kwh'];
/** Fields people may reasonably try that the simulation cannot honour, with why. */
const NOT_SIMULATED: Record<string, string> = {
  fuse_limit_a: 'the series has no per-phase currents, so the main-fuse limit cannot be simulated; remove it',
  override: 'overrides are for live control; use mode instead',
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function unknownFields(obj: Json, known: readonly string[], path: string): string[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => `${path}${k}: ${NOT_SIMULATED[k] ?? `unknown field; known here: ${known.join(', ')}`}`);
}

function rename(obj: Json, table: Record<string, string>): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => table[k]).map(([k, v]) => [table[k], v]));
}

/** The allocator's messages start with its camelCase field: restate them with the scenario's path and name. */
function restate(message: string, field: string, table: Record<string, string>, path: string): string {
  const scenarioName = Object.keys(table).find((k) => table[k] === field) ?? field;
  const problem = message.slice(message.indexOf(': ') + 2);
  const valueText = message.slice(message.indexOf(' = ') + 3, message.indexOf(': '));
  return `${path}${scenarioName} = ${valueText}: ${problem}`;
}

function parseSite(raw: unknown, problems: string[]): SiteSettings {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push(`site = ${show(raw)}: must be an object such as { "export_limit_w": 0, "pv_peak_w": 9800 }`);
    return {};
  }
  problems.push(...unknownFields(raw, [...Object.keys(SITE_FIELDS), 'battery_policy', 'zero_export_probe', 'pv_curtailment'], 'site.'));
  const site = rename(raw, SITE_FIELDS) as SiteSettings;
  if (raw.battery_policy !== undefined) {
    if (!isObject(raw.battery_policy)) problems.push(`site.battery_policy = ${show(raw.battery_policy)}: must be an object such as { "kind": "loads_first" }`);
    else {
      problems.push(...unknownFields(raw.battery_policy, Object.keys(BATTERY_POLICY_FIELDS), 'site.battery_policy.'));
      site.battery = rename(raw.battery_policy, BATTERY_POLICY_FIELDS) as unknown as SiteSettings['battery'];
    }
  }
  if (raw.zero_export_probe !== undefined) {
    if (!isObject(raw.zero_export_probe)) problems.push(`site.zero_export_probe = ${show(raw.zero_export_probe)}: must be an object such as { "max_export_w": 0, "max_seconds": 30 }`);
    else {
      problems.push(...unknownFields(raw.zero_export_probe, Object.keys(PROBE_FIELDS), 'site.zero_export_probe.'));
      site.zeroExportProbe = rename(raw.zero_export_probe, PROBE_FIELDS) as unknown as SiteSettings['zeroExportProbe'];
    }
  }
  const nested: Record<string, [Record<string, string>, string]> = {
    battery: [BATTERY_POLICY_FIELDS, 'site.battery_policy.'],
    zeroExportProbe: [PROBE_FIELDS, 'site.zero_export_probe.'],
  };
  for (const error of validateSiteSettings(site)) {
    const [head, sub] = error.field.split('.');
    problems.push(sub ? restate(error.message, sub, ...nested[head]) : restate(error.message, head, SITE_FIELDS as Record<string, string>, 'site.'));
  }
  return site;
}

function parsePvCurtailment(site: unknown, problems: string[]): PvCurtailment {
  const value = isObject(site) ? (site.pv_curtailment ?? 'hems') : 'hems';
  if (PV_CURTAILMENTS.includes(value as PvCurtailment)) return value as PvCurtailment;
  problems.push(`site.pv_curtailment = ${show(value)}: must be one of ${PV_CURTAILMENTS.join(', ')} (inverter: it holds export at the limit itself)`);
  return 'hems';
}

const BATTERY_RULES: Array<[string, keyof BatterySpec, (v: number, b: Json) => boolean, string]> = [
  ['capacity_kwh', 'capacityKwh', (v) => v > 0, 'must be the usable capacity in kWh, above 0'],
  ['max_charge_w', 'maxChargeW', (v) => v > 0, 'must be the maximum charging power in W, above 0'],
  ['max_discharge_w', 'maxDischargeW', (v) => v > 0, 'must be the maximum discharging power in W, above 0'],
  ['efficiency', 'efficiency', (v) => v > 0 && v <= 1, 'must be the round-trip efficiency between 0 and 1, e.g. 0.9'],
  ['min_soc_pct', 'minSocPct', (v) => v >= 0 && v < 100, 'must be a state of charge in % from 0 to below 100'],
  ['max_soc_pct', 'maxSocPct', (v, b) => v > 0 && v <= 100 && v > Number(b.min_soc_pct ?? 0), 'must be a state of charge in % up to 100, above min_soc_pct'],
  ['initial_soc_pct', 'initialSocPct', (v, b) => v >= Number(b.min_soc_pct ?? 0) && v <= Number(b.max_soc_pct ?? 100), 'must be a state of charge in % between min_soc_pct and max_soc_pct'],
];

function parseBattery(raw: unknown, problems: string[]): BatterySpec | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.push(`battery = ${show(raw)}: must be an object with ${BATTERY_FIELDS.join(', ')}`);
    return undefined;
  }
  problems.push(...unknownFields(raw, BATTERY_FIELDS, 'battery.'));
  const defaults: Json = { efficiency: 0.9, min_soc_pct: 0, max_soc_pct: 100, initial_soc_pct: 50 };
  const merged = { ...defaults, ...raw };
  const battery = {} as BatterySpec;
  for (const [name, field, valid, problem] of BATTERY_RULES) {
    const value = merged[name];
    if (isNumber(value) && valid(value, merged)) battery[field] = value;
    else problems.push(`battery.${name} = ${show(value)}: ${problem}`);
  }
  return battery;
}

function parsePrices(raw: unknown, problems: string[]): Scenario['prices'] {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push(`prices = ${show(raw)}: must be an object such as { "import_eur_per_kwh": 0.31, "export_eur_per_kwh": 0.08 }`);
    return {};
  }
  problems.push(...unknownFields(raw, PRICE_FIELDS, 'prices.'));
  for (const name of PRICE_FIELDS) {
    if (raw[name] !== undefined && !isNumber(raw[name])) problems.push(`prices.${name} = ${show(raw[name])}: must be a price in €/kWh, e.g. 0.31`);
  }
  return { importEurPerKwh: raw.import_eur_per_kwh as number | undefined, exportEurPerKwh: raw.export_eur_per_kwh as number | undefined };
}

function parseLoad(raw: unknown, index: number, problems: string[]): SimulatedLoad | undefined {
  const path = `loads[${index}].`;
  if (!isObject(raw)) {
    problems.push(`loads[${index}] = ${show(raw)}: must be an object with id, kind, priority, mode, demand and the kind's power fields`);
    return undefined;
  }
  problems.push(...unknownFields(raw, [...Object.keys(LOAD_FIELDS), 'demand'], path));
  const config = rename(raw, LOAD_FIELDS) as unknown as LoadConfig;
  for (const error of validateLoadConfig(config)) problems.push(restate(error.message, error.field, LOAD_FIELDS, path));
  const demand = parseDemand(raw.demand, `${path}demand`, problems);
  return demand ? { config, demand } : undefined;
}

export function parseScenario(raw: unknown, file = 'scenario'): Scenario {
  const problems: string[] = [];
  if (!isObject(raw)) throw new SimulationInputError(file, ['must be a JSON object with loads and, optionally, site, prices, battery, strategy, step_seconds']);
  problems.push(...unknownFields(raw, SCENARIO_FIELDS, ''));
  const strategy = raw.strategy ?? 'pv_surplus';
  if (!isSimulationStrategy(strategy)) problems.push(`strategy = ${show(strategy)}: must be one of ${SIMULATION_STRATEGIES.join(', ')}`);
  const stepSeconds = raw.step_seconds ?? 60;
  if (!(isNumber(stepSeconds) && Number.isInteger(stepSeconds) && stepSeconds >= 5 && stepSeconds <= 900 && 3600 % stepSeconds === 0)) {
    problems.push(`step_seconds = ${show(stepSeconds)}: must be a whole number of seconds from 5 to 900 that divides an hour, e.g. 60`);
  }
  const site = parseSite(raw.site, problems);
  const pvCurtailment = parsePvCurtailment(raw.site, problems);
  const prices = parsePrices(raw.prices, problems);
  const battery = parseBattery(raw.battery, problems);
  if (!Array.isArray(raw.loads)) problems.push(`loads = ${show(raw.loads)}: must be a list of loads (it may be empty)`);
  const loads = (Array.isArray(raw.loads) ? raw.loads : []).map((l, i) => parseLoad(l, i, problems)).filter((l): l is SimulatedLoad => l !== undefined);
  const ids = loads.map((l) => l.config.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) problems.push(`loads[${i}].id = ${show(id)}: is used by more than one load; give each load its own id`);
  });
  if (problems.length > 0) throw new SimulationInputError(file, problems);
  return { name: typeof raw.name === 'string' ? raw.name : file, strategy: strategy as SimulationStrategy, stepSeconds: stepSeconds as number, site, pvCurtailment, prices, battery, loads };
}
