/**
 * Defaults for the optional settings, as data, and the functions that fill them in. The rest of
 * the allocator works on resolved configs only, so no rule repeats a `?? default`.
 */
import { onOffRungs, sgReadyRungs, steppedRungs, type Rung, type Thresholds } from './ladder';
import type { BatteryPolicy, LoadConfig, LoadKind, PhaseName, SafeState, SiteSettings } from './types';

export const LEGAL_MIN_DIMMED_TOTAL_W = 4200;

export const SITE_DEFAULTS = {
  staleAfterSeconds: 30,
  marginW: 0,
  battery: { kind: 'loads_first' } as BatteryPolicy,
  phaseVoltageV: 230,
  dimmedLimitW: LEGAL_MIN_DIMMED_TOTAL_W,
};

export const LOAD_DEFAULTS = {
  enableDelaySeconds: 60,
  disableDelaySeconds: 60,
  minOnSeconds: 0,
  minOffSeconds: 0,
  maxStartsPerHour: Number.POSITIVE_INFINITY,
  toleratedImportW: 0,
  toleratedImportSeconds: 0,
  safeState: 'off' as SafeState,
  controllable14a: false,
};

export const KIND_DEFAULTS = {
  phase: 'L1' as PhaseName,
  phaseSwitchDelaySeconds: 300,
  forceOnBelowPriceEurPerKwh: 0,
};

export type ResolvedSettings = SiteSettings & Required<Pick<SiteSettings, keyof typeof SITE_DEFAULTS>>;

export type ResolvedLoad = LoadConfig &
  Required<Pick<LoadConfig, keyof typeof LOAD_DEFAULTS | 'enableThresholdW' | 'disableThresholdW'>> & {
    /** Ladder kinds: the rungs, built once per cycle. Modulating loads: empty. */
    rungs: Rung[];
  };

/** The power a load needs to run at all: the default start and stop threshold. */
const SMALLEST_RUNNING_POWER_W: { [K in LoadKind]: (cfg: Extract<LoadConfig, { kind: K }>, voltageV: number) => number } = {
  on_off: (cfg) => cfg.powerW,
  stepped: (cfg) => cfg.stagePowersW[0] ?? 0,
  modulating: (cfg, voltageV) =>
    cfg.control === 'power' ? cfg.minPowerW : cfg.minCurrentA * voltageV * (cfg.phases === 3 ? 3 : 1),
  sg_ready: (cfg) => cfg.recommendThresholdW,
};

export function smallestRunningPowerW(cfg: LoadConfig, voltageV: number): number {
  const rule = SMALLEST_RUNNING_POWER_W[cfg.kind] as (c: LoadConfig, v: number) => number;
  return rule(cfg, voltageV);
}

export function resolveSettings(settings: SiteSettings): ResolvedSettings {
  return {
    ...settings,
    staleAfterSeconds: settings.staleAfterSeconds ?? SITE_DEFAULTS.staleAfterSeconds,
    marginW: settings.marginW ?? SITE_DEFAULTS.marginW,
    battery: settings.battery ?? SITE_DEFAULTS.battery,
    phaseVoltageV: settings.phaseVoltageV ?? SITE_DEFAULTS.phaseVoltageV,
    dimmedLimitW: Math.max(LEGAL_MIN_DIMMED_TOTAL_W, settings.dimmedLimitW ?? SITE_DEFAULTS.dimmedLimitW),
  };
}

const RUNGS: { [K in LoadKind]: (cfg: Extract<LoadConfig, { kind: K }>, thresholds: Thresholds) => Rung[] } = {
  on_off: onOffRungs,
  stepped: steppedRungs,
  modulating: () => [],
  sg_ready: (cfg) => sgReadyRungs(cfg),
};

export function resolveLoad(cfg: LoadConfig, voltageV: number): ResolvedLoad {
  const enableThresholdW = cfg.enableThresholdW ?? smallestRunningPowerW(cfg, voltageV);
  const thresholds = {
    enableThresholdW,
    disableThresholdW: cfg.disableThresholdW ?? Math.min(enableThresholdW, smallestRunningPowerW(cfg, voltageV)),
  };
  const rungsFor = RUNGS[cfg.kind] as (c: LoadConfig, t: Thresholds) => Rung[];
  return {
    ...cfg,
    ...thresholds,
    rungs: rungsFor(cfg, thresholds),
    enableDelaySeconds: cfg.enableDelaySeconds ?? LOAD_DEFAULTS.enableDelaySeconds,
    disableDelaySeconds: cfg.disableDelaySeconds ?? LOAD_DEFAULTS.disableDelaySeconds,
    minOnSeconds: cfg.minOnSeconds ?? LOAD_DEFAULTS.minOnSeconds,
    minOffSeconds: cfg.minOffSeconds ?? LOAD_DEFAULTS.minOffSeconds,
    maxStartsPerHour: cfg.maxStartsPerHour ?? LOAD_DEFAULTS.maxStartsPerHour,
    toleratedImportW: cfg.toleratedImportW ?? LOAD_DEFAULTS.toleratedImportW,
    toleratedImportSeconds: cfg.toleratedImportSeconds ?? LOAD_DEFAULTS.toleratedImportSeconds,
    safeState: cfg.safeState ?? LOAD_DEFAULTS.safeState,
    controllable14a: cfg.controllable14a ?? LOAD_DEFAULTS.controllable14a,
  };
}
