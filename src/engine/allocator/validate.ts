/**
 * Config checks for the Node-RED editor and the CLI, as tables of field rules. Each error names
 * the field, shows the offending value and says what to enter instead. The allocator itself
 * trusts its input, so configs should pass here before they reach `allocate`.
 */
import { LEGAL_MIN_DIMMED_TOTAL_W, SITE_DEFAULTS, smallestRunningPowerW } from './defaults';
import type { LoadConfig, SiteSettings, ValidationError } from './types';
import { timeZoneProblem } from '../local-time';
import { showValue } from '../show-value';

interface FieldRule<T> {
  field: string;
  value: (cfg: T) => unknown;
  /** True when the value is acceptable. */
  valid: (value: unknown, cfg: T) => boolean;
  /** Whether the field must be present; absent optional fields are not checked. */
  required?: (cfg: T) => boolean;
  /** What is wrong and how to fix it. */
  problem: (cfg: T) => string;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const atLeast = (min: number) => (value: unknown) => isNumber(value) && value >= min;
const above = (min: number) => (value: unknown) => isNumber(value) && value > min;
const between = (min: number, max: number) => (value: unknown) => isNumber(value) && value >= min && value <= max;
const oneOf = (options: readonly unknown[]) => (value: unknown) => options.includes(value);
const isBoolean = (value: unknown) => typeof value === 'boolean';
const always = () => true;

function check<T>(cfg: T, rules: FieldRule<T>[], loadId?: string): ValidationError[] {
  return rules.flatMap((rule) => {
    const value = rule.value(cfg);
    if (value === undefined && !(rule.required?.(cfg) ?? false)) return [];
    if (value !== undefined && rule.valid(value, cfg)) return [];
    const error: ValidationError = { field: rule.field, value, message: `${rule.field} = ${showValue(value)}: ${rule.problem(cfg)}` };
    return [loadId === undefined ? error : { loadId, ...error }];
  });
}

const MODES = ['off', 'surplus', 'min_surplus', 'on'] as const;
const SAFE_STATES = ['off', 'on', 'hold'] as const;
const SG_READY_STATES = ['lock', 'normal', 'recommend', 'force_on'] as const;
const PHASE_CONNECTIONS = ['L1', 'L2', 'L3', 'L1L2L3'] as const;
const KINDS = ['on_off', 'stepped', 'modulating', 'sg_ready'] as const;
const MAX_STAGES = 3;
const EV_MIN_CURRENT_A = 6;
const EV_MAX_CURRENT_A = 32;
const VOLTAGE_V = SITE_DEFAULTS.phaseVoltageV;
/** Longer than this an export window is no probe but plain export. */
const MAX_PROBE_SECONDS = 300;

/** The enable threshold the load will use; Infinity while its power fields are themselves invalid. */
function enableThresholdOf(c: LoadConfig): number {
  if (c.enableThresholdW !== undefined) return c.enableThresholdW;
  const powersKnown = KINDS.includes(c.kind) && (c.kind !== 'stepped' || Array.isArray(c.stagePowersW));
  const smallestW = powersKnown ? smallestRunningPowerW(c, VOLTAGE_V) : Number.NaN;
  return Number.isFinite(smallestW) ? smallestW : Number.POSITIVE_INFINITY;
}

/** Loads whose only level above off is their maximum have nothing to run at "minimum". */
const KINDS_WITHOUT_MINIMUM: readonly string[] = ['on_off', 'sg_ready'];

const COMMON_RULES: FieldRule<LoadConfig>[] = [
  {
    field: 'id',
    value: (c) => c.id,
    required: always,
    valid: (v) => typeof v === 'string' && v.trim() !== '',
    problem: () => 'must be a non-empty text; give each load a unique id such as "heating-rod"',
  },
  {
    field: 'kind',
    value: (c) => c.kind,
    required: always,
    valid: oneOf(KINDS),
    problem: () => `must be one of ${KINDS.join(', ')}`,
  },
  {
    field: 'priority',
    value: (c) => c.priority,
    required: always,
    valid: isNumber,
    problem: () => 'must be a number; 1 for the most important load, higher numbers for less important ones',
  },
  {
    field: 'mode',
    value: (c) => c.mode,
    required: always,
    valid: oneOf(MODES),
    problem: () => `must be one of ${MODES.join(', ')}`,
  },
  {
    field: 'mode',
    value: (c) => c.mode,
    valid: (v, c) => v !== 'min_surplus' || !KINDS_WITHOUT_MINIMUM.includes(c.kind),
    problem: (c) => `loads of kind ${c.kind} have no minimum below their maximum; use "on" to run from the grid, or "surplus"`,
  },
  {
    field: 'enableThresholdW',
    value: (c) => c.enableThresholdW,
    valid: atLeast(0),
    problem: () => 'must be a power in W of 0 or more; leave it empty to start at the load’s smallest power',
  },
  {
    field: 'disableThresholdW',
    value: (c) => c.disableThresholdW,
    valid: (v, c) => isNumber(v) && v <= enableThresholdOf(c),
    problem: (c) =>
      `must be a power in W at or below the enable threshold (${enableThresholdOf(c)} W), ` +
      'otherwise the load would switch off at a surplus that switches it on again',
  },
  ...(['enableDelaySeconds', 'disableDelaySeconds', 'minOnSeconds', 'minOffSeconds', 'toleratedImportSeconds'] as const).map(
    (field): FieldRule<LoadConfig> => ({
      field,
      value: (c) => c[field],
      valid: atLeast(0),
      problem: () => 'must be a number of seconds, 0 or more',
    }),
  ),
  {
    field: 'toleratedImportW',
    value: (c) => c.toleratedImportW,
    valid: atLeast(0),
    problem: () => 'must be a power in W of 0 or more',
  },
  {
    field: 'maxStartsPerHour',
    value: (c) => c.maxStartsPerHour,
    valid: (v) => Number.isInteger(v) && (v as number) >= 1,
    problem: () => 'must be a whole number of 1 or more; leave it empty for no limit',
  },
  {
    field: 'safeState',
    value: (c) => c.safeState,
    valid: oneOf(SAFE_STATES),
    problem: () => `must be one of ${SAFE_STATES.join(', ')}`,
  },
  {
    field: 'controllable14a',
    value: (c) => c.controllable14a,
    valid: isBoolean,
    problem: () => 'must be true or false',
  },
  {
    field: 'demand',
    value: (c) => c.demand,
    valid: isBoolean,
    problem: () => 'must be true (the load can take power) or false (unplugged or satisfied)',
  },
  {
    field: 'planned.powerW',
    value: (c) => c.planned?.powerW,
    required: (c) => c.planned !== undefined,
    valid: atLeast(0),
    problem: () => 'must be a power in W, 0 or more (the planned slot)',
  },
  {
    field: 'plannedLater.eurPerKwh',
    value: (c) => c.plannedLater?.eurPerKwh,
    required: (c) => c.plannedLater !== undefined,
    valid: isNumber,
    problem: () => 'must be a price in EUR/kWh (the dearest slot planned later)',
  },
  {
    field: 'override.on',
    value: (c) => c.override?.on,
    required: (c) => c.override !== undefined,
    valid: isBoolean,
    problem: () => 'must be true or false',
  },
  {
    field: 'override.powerW',
    value: (c) => c.override?.powerW,
    valid: atLeast(0),
    problem: () => 'must be a power in W of 0 or more; leave it empty for full power',
  },
  {
    field: 'override.sgReadyState',
    value: (c) => c.override?.sgReadyState,
    valid: (v, c) => c.kind === 'sg_ready' && oneOf(SG_READY_STATES)(v),
    problem: (c) =>
      c.kind === 'sg_ready' ? `must be one of ${SG_READY_STATES.join(', ')}` : 'only applies to sg_ready loads; remove it',
  },
  {
    field: 'override.expiresAtMs',
    value: (c) => c.override?.expiresAtMs,
    valid: isNumber,
    problem: () => 'must be a time in milliseconds since 1970 (UTC); leave it empty for no expiry',
  },
];

const phaseRule: FieldRule<LoadConfig> = {
  field: 'phase',
  value: (c) => ('phase' in c ? c.phase : undefined),
  valid: oneOf(PHASE_CONNECTIONS),
  problem: () => `must be one of ${PHASE_CONNECTIONS.join(', ')} (L1L2L3 for a three-phase load)`,
};

type RulesByKind = { [K in LoadConfig['kind']]: FieldRule<Extract<LoadConfig, { kind: K }>>[] };

const KIND_RULES: RulesByKind = {
  on_off: [
    { field: 'powerW', value: (c) => c.powerW, required: always, valid: above(0), problem: () => 'must be the load’s power in W, above 0' },
    phaseRule,
  ],
  stepped: [
    {
      field: 'stagePowersW',
      value: (c) => c.stagePowersW,
      required: always,
      valid: (v) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_STAGES && v.every(above(0)),
      problem: () =>
        `must list 1 to ${MAX_STAGES} stage powers in W, each above 0, e.g. [2000, 2000, 2000]; ` +
        'a rod with more stages can be split into two loads',
    },
    phaseRule,
  ],
  modulating: [
    {
      field: 'control',
      value: (c) => c.control,
      required: always,
      valid: oneOf(['power', 'current']),
      problem: () => 'must be "power" (set-point in W) or "current" (EV charger, set-point in A)',
    },
    {
      field: 'minPowerW',
      value: (c) => (c.control === 'power' ? c.minPowerW : undefined),
      required: (c) => c.control === 'power',
      valid: above(0),
      problem: () => 'must be the smallest power in W the load accepts, above 0',
    },
    {
      field: 'maxPowerW',
      value: (c) => (c.control === 'power' ? c.maxPowerW : undefined),
      required: (c) => c.control === 'power',
      valid: (v, c) => c.control === 'power' && isNumber(v) && v >= c.minPowerW,
      problem: () => 'must be a power in W at or above minPowerW',
    },
    {
      field: 'minCurrentA',
      value: (c) => (c.control === 'current' ? c.minCurrentA : undefined),
      required: (c) => c.control === 'current',
      valid: between(EV_MIN_CURRENT_A, EV_MAX_CURRENT_A),
      problem: () => `must be between ${EV_MIN_CURRENT_A} A (the lowest current IEC 61851 allows) and ${EV_MAX_CURRENT_A} A`,
    },
    {
      field: 'maxCurrentA',
      value: (c) => (c.control === 'current' ? c.maxCurrentA : undefined),
      required: (c) => c.control === 'current',
      valid: (v, c) => c.control === 'current' && between(c.minCurrentA, EV_MAX_CURRENT_A)(v),
      problem: (c) => `must be between minCurrentA (${showValue(c.control === 'current' ? c.minCurrentA : undefined)} A) and ${EV_MAX_CURRENT_A} A, typically 16 or 32`,
    },
    {
      field: 'phases',
      value: (c) => (c.control === 'current' ? c.phases : undefined),
      required: (c) => c.control === 'current',
      valid: oneOf([1, 3, 'auto']),
      problem: () => 'must be 1, 3 or "auto" (switch between 1 and 3 phases with the surplus)',
    },
    {
      field: 'singlePhase',
      value: (c) => (c.control === 'current' ? c.singlePhase : undefined),
      valid: oneOf(['L1', 'L2', 'L3']),
      problem: () => 'must be L1, L2 or L3: the phase used when charging on one phase',
    },
    {
      field: 'phaseSwitchDelaySeconds',
      value: (c) => (c.control === 'current' ? c.phaseSwitchDelaySeconds : undefined),
      valid: atLeast(0),
      problem: () => 'must be a number of seconds, 0 or more',
    },
    {
      field: 'phase',
      value: (c) => (c.control === 'power' ? c.phase : undefined),
      valid: oneOf(PHASE_CONNECTIONS),
      problem: () => `must be one of ${PHASE_CONNECTIONS.join(', ')} (L1L2L3 for a three-phase load)`,
    },
  ],
  sg_ready: [
    {
      field: 'recommendThresholdW',
      value: (c) => c.recommendThresholdW,
      required: always,
      valid: atLeast(0),
      problem: () => 'must be the surplus in W from which the heat pump is recommended to run, 0 or more',
    },
    {
      field: 'forceOnThresholdW',
      value: (c) => c.forceOnThresholdW,
      required: always,
      valid: (v, c) => isNumber(v) && v >= c.recommendThresholdW,
      problem: (c) => `must be a surplus in W at or above recommendThresholdW (${showValue(c.recommendThresholdW)})`,
    },
    {
      field: 'boostPowerW',
      value: (c) => c.boostPowerW,
      required: always,
      valid: above(0),
      problem: () => 'must be the extra power in W the heat pump draws when boosted, above 0',
    },
    {
      field: 'forceOnBelowPriceEurPerKwh',
      value: (c) => c.forceOnBelowPriceEurPerKwh,
      valid: isNumber,
      problem: () => 'must be a price in €/kWh; 0 forces the heat pump on at negative prices',
    },
    phaseRule,
  ],
};

export function validateLoadConfig(cfg: LoadConfig): ValidationError[] {
  const loadId = typeof cfg.id === 'string' ? cfg.id : undefined;
  const common = check(cfg, COMMON_RULES, loadId);
  if (!KINDS.includes(cfg.kind)) return common;
  const kindRules = KIND_RULES[cfg.kind] as FieldRule<LoadConfig>[];
  return [...common, ...check(cfg, kindRules, loadId)];
}

export function validateLoads(loads: LoadConfig[]): ValidationError[] {
  const seen = new Set<string>();
  const duplicates = loads.flatMap((cfg) => {
    const duplicate = seen.has(cfg.id);
    seen.add(cfg.id);
    return duplicate
      ? [{ loadId: cfg.id, field: 'id', value: cfg.id, message: `id = ${showValue(cfg.id)}: is used by more than one load; give each load its own id` }]
      : [];
  });
  return [...loads.flatMap(validateLoadConfig), ...duplicates];
}

const BATTERY_KINDS = ['loads_first', 'battery_first_until_soc', 'battery_may_discharge_to_soc'] as const;
const FEED_IN_PCTS = [0, 30, 60, 100] as const;

function needsPvPeak(s: SiteSettings): boolean {
  return s.exportLimitPctOfPvPeak !== undefined || (s.rippleControl?.rules.length ?? 0) > 0 || s.exportLimitW !== undefined;
}

const SITE_RULES: FieldRule<SiteSettings>[] = [
  { field: 'timeZone', value: (s) => s.timeZone, valid: (zone) => timeZoneProblem(zone, 'timeZone') === undefined, problem: () => 'must be an IANA time zone like "Europe/Berlin" or "UTC", or blank for Node-RED\'s' },
  { field: 'staleAfterSeconds', value: (s) => s.staleAfterSeconds, valid: above(0), problem: () => 'must be a number of seconds above 0; 30 suits a 5 s cycle' },
  { field: 'marginW', value: (s) => s.marginW, valid: atLeast(0), problem: () => 'must be a power in W of 0 or more' },
  {
    field: 'battery.kind',
    value: (s) => s.battery?.kind,
    valid: oneOf(BATTERY_KINDS),
    problem: () => `must be one of ${BATTERY_KINDS.join(', ')}`,
  },
  {
    field: 'battery.socPct',
    value: (s) => (s.battery !== undefined && 'socPct' in s.battery ? s.battery.socPct : undefined),
    required: (s) => s.battery?.kind === 'battery_first_until_soc' || s.battery?.kind === 'battery_may_discharge_to_soc',
    valid: between(0, 100),
    problem: () => 'must be a state of charge in % between 0 and 100',
  },
  {
    field: 'battery.maxDischargeW',
    value: (s) => (s.battery?.kind === 'battery_may_discharge_to_soc' ? s.battery.maxDischargeW : undefined),
    required: (s) => s.battery?.kind === 'battery_may_discharge_to_soc',
    valid: above(0),
    problem: () => 'must be the battery’s maximum discharge power in W, above 0',
  },
  {
    field: 'pvPeakW',
    value: (s) => s.pvPeakW,
    required: needsPvPeak,
    valid: above(0),
    problem: () =>
      'must be the installed PV peak power in W, above 0; an export limit or ripple control needs it to compute and release the inverter limit',
  },
  { field: 'exportLimitW', value: (s) => s.exportLimitW, valid: atLeast(0), problem: () => 'must be a power in W of 0 or more' },
  {
    field: 'exportLimitPctOfPvPeak',
    value: (s) => s.exportLimitPctOfPvPeak,
    valid: between(0, 100),
    problem: () => 'must be a percentage between 0 and 100',
  },
  { field: 'importCapW', value: (s) => s.importCapW, valid: above(0), problem: () => 'must be a power in W above 0' },
  { field: 'fuseLimitA', value: (s) => s.fuseLimitA, valid: above(0), problem: () => 'must be the main fuse rating in A, above 0' },
  { field: 'phaseVoltageV', value: (s) => s.phaseVoltageV, valid: above(0), problem: () => 'must be the phase voltage in V, e.g. 230' },
  {
    field: 'dimmedLimitW',
    value: (s) => s.dimmedLimitW,
    valid: atLeast(LEGAL_MIN_DIMMED_TOTAL_W),
    problem: () => `must be at least ${LEGAL_MIN_DIMMED_TOTAL_W} W: §14a EnWG never dims controllable loads below 4.2 kW in total`,
  },
  {
    field: 'zeroExportProbe.maxExportW',
    value: (s) => s.zeroExportProbe?.maxExportW,
    required: (s) => s.zeroExportProbe !== undefined,
    valid: atLeast(0),
    problem: () => 'must be the export in W the probe may allow above the limit, 0 or more; 0 where the grid operator forbids any export',
  },
  {
    field: 'zeroExportProbe.maxSeconds',
    value: (s) => s.zeroExportProbe?.maxSeconds,
    required: (s) => s.zeroExportProbe !== undefined,
    valid: (value) => isNumber(value) && value >= 1 && value <= MAX_PROBE_SECONDS,
    problem: () => `must be how long the probe may export above the limit, 1 to ${MAX_PROBE_SECONDS} s, e.g. 30`,
  },
];

function rippleRuleErrors(settings: SiteSettings): ValidationError[] {
  const rules = settings.rippleControl?.rules;
  if (rules === undefined) return [];
  const width = rules[0]?.inputs.length;
  const seen = new Set<string>();
  return rules.flatMap((rule, index) => {
    const field = `rippleControl.rules[${index}]`;
    const errors: ValidationError[] = [];
    if (typeof rule.inputs !== 'string' || !/^[01]+$/.test(rule.inputs) || rule.inputs.length !== width) {
      errors.push({
        field: `${field}.inputs`,
        value: rule.inputs,
        message: `${field}.inputs = ${showValue(rule.inputs)}: must be one 0 or 1 per input, the same count in every rule (${width ?? 0}), e.g. "10"`,
      });
    } else if (seen.has(rule.inputs)) {
      errors.push({
        field: `${field}.inputs`,
        value: rule.inputs,
        message: `${field}.inputs = ${showValue(rule.inputs)}: another rule already matches these inputs; remove one of them`,
      });
    }
    seen.add(rule.inputs);
    if (!(FEED_IN_PCTS as readonly unknown[]).includes(rule.feedInPct)) {
      errors.push({
        field: `${field}.feedInPct`,
        value: rule.feedInPct,
        message: `${field}.feedInPct = ${showValue(rule.feedInPct)}: must be one of ${FEED_IN_PCTS.join(', ')}`,
      });
    }
    return errors;
  });
}

export function validateSiteSettings(settings: SiteSettings): ValidationError[] {
  return [...check(settings, SITE_RULES), ...rippleRuleErrors(settings)];
}
