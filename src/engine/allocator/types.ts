/**
 * Public data shapes of the load-priority allocator. Everything here is plain serialisable data:
 * the allocator keeps no state of its own, so the caller stores `AllocatorMemory` between cycles
 * (in Node-RED context, a file, or a test table) and passes it back in.
 *
 * Sign convention throughout: positive grid power = import, positive battery power = charging.
 */
import type { ProbeMemory, ZeroExportProbeSettings } from './surplus-probe';

export type { ProbeMemory, ZeroExportProbeSettings } from './surplus-probe';

export type LoadMode = 'off' | 'surplus' | 'min_surplus' | 'on';

/** What a load does when the site readings (or its own reading) cannot be trusted. */
export type SafeState = 'off' | 'on' | 'hold';

export type SgReadyState = 'lock' | 'normal' | 'recommend' | 'force_on';

export type PhaseName = 'L1' | 'L2' | 'L3';

/** A single-phase load names its phase; `L1L2L3` spreads the power evenly over all three. */
export type PhaseConnection = PhaseName | 'L1L2L3';

export type PhaseCount = 1 | 3;

/** A manual override beats mode and anti-cycling, but not grid safety limits or stale input. */
export interface LoadOverride {
  on: boolean;
  /** Stepped: highest stage at or below this power; modulating: this power. Omitted = maximum. */
  powerW?: number;
  /** sg_ready only; omitted = `force_on` when on, `normal` when off. */
  sgReadyState?: SgReadyState;
  /** Omitted = until the override is removed from the config. */
  expiresAtMs?: number;
}

/** Settings shared by every load kind; the optional ones have defaults in `defaults.ts`. */
export interface LoadConfigCommon {
  id: string;
  name?: string;
  /** Lower number wins. Ties keep the order of the load list. */
  priority: number;
  mode: LoadMode;
  override?: LoadOverride;
  /** Surplus needed to start (or to step up). Default: the first stage / minimum power. */
  enableThresholdW?: number;
  enableDelaySeconds?: number;
  /** Surplus below which a running load is stopped (or stepped down). Default: as enable. */
  disableThresholdW?: number;
  disableDelaySeconds?: number;
  minOnSeconds?: number;
  minOffSeconds?: number;
  /** Omitted = unlimited. */
  maxStartsPerHour?: number;
  /** A running load that imports at most this much from the grid is kept on longer… */
  toleratedImportW?: number;
  /** …for up to this long (a passing cloud), instead of the disable delay. */
  toleratedImportSeconds?: number;
  safeState?: SafeState;
  /** Counts toward the German §14a EnWG dimming limit when the grid operator dims consumption. */
  controllable14a?: boolean;
  /**
   * false: the load cannot take power now (an EV unplugged or full), so it is off and holds back
   * no surplus, whatever its mode or override. Omitted = it can.
   */
  demand?: boolean;
  /**
   * The planner's slot for this load now: at least this much power, whatever the surplus (surplus
   * may add more). The caller sets it each cycle from the current plan; omitted = nothing planned.
   */
  planned?: { powerW: number; reason: string };
  /**
   * What the plan pays for this load's energy later: the dearest slot it still has for the load's
   * next job, and that slot ("11:00–11:15"). Surplus now goes to the load only when exporting it
   * would earn no more (docs/allocator.md "Surplus against the plan"). Omitted = nothing planned later.
   */
  plannedLater?: { eurPerKwh: number; slot: string };
}

export interface OnOffLoadConfig extends LoadConfigCommon {
  kind: 'on_off';
  powerW: number;
  phase?: PhaseConnection;
}

export interface SteppedLoadConfig extends LoadConfigCommon {
  kind: 'stepped';
  /** Power each stage adds, in switching order, e.g. [2000, 2000, 2000] for a 6 kW heating rod. */
  stagePowersW: number[];
  phase?: PhaseConnection;
}

/** A continuous heater or any load that accepts a power set-point. */
export interface PowerModulatingLoadConfig extends LoadConfigCommon {
  kind: 'modulating';
  control: 'power';
  minPowerW: number;
  maxPowerW: number;
  phase?: PhaseConnection;
}

/** An EV charger: current set-point per phase, optionally switching between 1 and 3 phases. */
export interface CurrentModulatingLoadConfig extends LoadConfigCommon {
  kind: 'modulating';
  control: 'current';
  minCurrentA: number;
  maxCurrentA: number;
  phases: PhaseCount | 'auto';
  /** The phase used when charging on one phase. */
  singlePhase?: PhaseName;
  /** How long the surplus must call for the other phase count before switching. */
  phaseSwitchDelaySeconds?: number;
}

/** A heat pump with an SG Ready interface; the relay and dwell-time logic lives elsewhere. */
export interface SgReadyLoadConfig extends LoadConfigCommon {
  kind: 'sg_ready';
  recommendThresholdW: number;
  forceOnThresholdW: number;
  /** Extra electrical power the heat pump draws when boosted (recommend / force_on). */
  boostPowerW: number;
  /** At a grid price below this the heat pump is forced on. Default 0: negative prices. */
  forceOnBelowPriceEurPerKwh?: number;
  phase?: PhaseConnection;
}

export type ModulatingLoadConfig = PowerModulatingLoadConfig | CurrentModulatingLoadConfig;

export type LoadConfig = OnOffLoadConfig | SteppedLoadConfig | ModulatingLoadConfig | SgReadyLoadConfig;

export type LoadKind = LoadConfig['kind'];

export type BatteryPolicy =
  /** The battery's charging power counts as surplus; loads never run from the battery. */
  | { kind: 'loads_first' }
  /** Below `socPct` the battery charges first; at or above it, like `loads_first`. */
  | { kind: 'battery_first_until_soc'; socPct: number }
  /** Above `socPct` loads may also discharge the battery at up to `maxDischargeW`. */
  | { kind: 'battery_may_discharge_to_soc'; socPct: number; maxDischargeW: number };

/**
 * A ripple-control receiver rule: `inputs` is one character per digital input, '1' = closed,
 * '0' = open, e.g. '10' for input 1 closed and input 2 open. The first matching rule wins.
 */
export interface RippleControlRule {
  inputs: string;
  feedInPct: 0 | 30 | 60 | 100;
  /** §14a EnWG: the grid operator dims controllable loads (never below 4.2 kW in total). */
  dimConsumption?: boolean;
  /** Utility lock (EVU-Sperre): heat pumps go to SG Ready `lock`. */
  lockHeatPumps?: boolean;
}

export interface SiteSettings {
  /** Readings older than this put every load in its safe state. Default 30. */
  staleAfterSeconds?: number;
  /** Kept back from the surplus so small measurement errors do not cause import. Default 0. */
  marginW?: number;
  /** Default `loads_first`. */
  battery?: BatteryPolicy;
  /** Installed PV peak power; needed for a percentage export limit and for ripple control. */
  pvPeakW?: number;
  exportLimitW?: number;
  exportLimitPctOfPvPeak?: number;
  importCapW?: number;
  /** Main fuse rating per phase. */
  fuseLimitA?: number;
  /** Default 230. */
  phaseVoltageV?: number;
  rippleControl?: { rules: RippleControlRule[] };
  /** Total power for §14a-controllable loads while dimmed; at least 4200 (the legal floor). */
  dimmedLimitW?: number;
  /** Probe for PV held back by the export limit (surplus-probe.ts); absent = off. */
  zeroExportProbe?: ZeroExportProbeSettings;
  /** IANA zone of the household's clock, for the times reasons show. Default UTC (the engine never asks the host). */
  timeZone?: string;
}

export interface LoadReading {
  powerW: number;
  on: boolean;
  /** Stepped loads: the active stage (0 = off). */
  stage?: number;
  /** EV chargers: phases currently in use. */
  phases?: PhaseCount;
  sgReadyState?: SgReadyState;
}

export interface SiteState {
  /** When the site readings below were taken; compared with `nowMs` for staleness. */
  readingsTimestampMs: number;
  gridPowerW: number;
  pvPowerW: number;
  batteryPowerW?: number;
  batterySocPct?: number;
  /** Signed like grid power (positive = import); needed for the main-fuse check. */
  currentL1A?: number;
  currentL2A?: number;
  currentL3A?: number;
  /** Ripple-control receiver inputs in rule order; true = closed. */
  rippleInputs?: boolean[];
  gridPriceEurPerKwh?: number;
  /** Feed-in price now: what surplus earns when exported. Omitted = unknown (surplus counts as free). */
  exportPriceEurPerKwh?: number;
  /** Keyed by load id. A load without a reading goes to its safe state. */
  loads: Record<string, LoadReading>;
}

/** What the allocator remembers about one load between cycles. */
export interface LoadMemory {
  /** Power last commanded (stepped: the sum of the active stages; sg_ready: the boost). */
  commandedPowerW: number;
  sgReadyState?: SgReadyState;
  phases?: PhaseCount;
  switchedOnAtMs: number | null;
  switchedOffAtMs: number | null;
  /** Starts within the last hour, oldest first. */
  startTimesMs: number[];
  /** Since when the surplus has been enough to start or step up. */
  upSinceMs: number | null;
  /** Since when the surplus has been too low to stay at the current level. */
  downSinceMs: number | null;
  /** Since when the surplus has called for a different phase count. */
  phaseSwitchSinceMs: number | null;
}

export interface AllocatorMemory {
  loads: Record<string, LoadMemory>;
  /** The inverter limit last commanded; the next limit is adjusted from it. */
  inverterLimitW?: number | null;
  /** The zero-export probe's state, while it is on. */
  probe?: ProbeMemory;
}

export interface AllocatorInput {
  nowMs: number;
  site: SiteState;
  loads: LoadConfig[];
  memory: AllocatorMemory;
  settings: SiteSettings;
}

export interface LoadCommandCommon {
  loadId: string;
  /** Power this command is expected to draw (sg_ready: the boost on top of normal operation). */
  powerW: number;
  /** True when the command differs from the previous cycle's. */
  changed: boolean;
  reason: string;
  /** Stable key of the reason template, for automations and tests. */
  reasonCode: string;
}

export type LoadCommand =
  | (LoadCommandCommon & { kind: 'on_off'; on: boolean })
  | (LoadCommandCommon & { kind: 'stepped'; stage: number })
  | (LoadCommandCommon & { kind: 'modulating'; on: boolean; currentA?: number; phases?: PhaseCount })
  | (LoadCommandCommon & { kind: 'sg_ready'; sgReadyState: SgReadyState });

export interface SiteDecision {
  stale: boolean;
  /** Export plus what the managed loads draw now, adjusted for the battery policy, less margin. */
  surplusW: number;
  /** Grid power expected once the commands take effect. */
  projectedGridPowerW: number;
  /** Inverter active-power limit; null = no curtailment. */
  inverterLimitW: number | null;
  inverterLimitPct: number | null;
  /**
   * The strictest feed-in limit at the grid connection point (export limit, % of PV peak, ripple
   * control); null = feed-in not limited. For devices that regulate export on their own meter.
   */
  maxExportW: number | null;
  /** From ripple control; 100 when no rule limits feed-in. */
  feedInLimitPct: number;
  stopBatteryGridCharging: boolean;
  dimming14aActive: boolean;
  heatPumpLockActive: boolean;
  /**
   * The zero-export probe, while it is on: hidden surplus offered to loads (`creditW`, part of
   * `surplusW`), export allowed above the limit now (`extraExportW`, part of `maxExportW`), and when
   * to decide again at the latest so an export window closes in time (`decideByMs`).
   */
  probe?: { creditW: number; extraExportW: number; decideByMs: number | null };
  reasons: string[];
}

export interface AllocatorOutput {
  commands: LoadCommand[];
  memory: AllocatorMemory;
  site: SiteDecision;
}

export type { ValidationError } from '../validation';
