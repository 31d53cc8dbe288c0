/**
 * The planner's input and output (docs/planner.md). Times are epoch ms, powers W, energies Wh,
 * prices EUR/kWh; every value carries its unit in its name.
 */

/** One 15-minute slot of the horizon. A price of null means "not known yet". */
export interface PlannerSlot {
  startMs: number;
  importEurPerKwh: number | null;
  exportEurPerKwh: number | null;
  pvForecastW: number;
  baseLoadForecastW: number;
}

export interface PlannerSite {
  /** Most the site may feed in; PV is curtailed to respect it. */
  exportLimitW?: number;
  /** Most the site should draw; soft, so a plan still comes back when loads cannot stay under it. */
  importCapW?: number;
  /** Charge on the highest 15-minute import of the horizon above what the billing period already reached. */
  demandCharge?: { eurPerKw: number; peakSoFarW: number };
}

export interface PlannerBattery {
  capacityWh: number;
  maxChargeW: number;
  maxDischargeW: number;
  /** Round trip, 0–1; split evenly between charging and discharging. */
  roundTripEfficiency: number;
  minSocPct: number;
  maxSocPct: number;
  socPct: number;
  /** Cost of each discharged kWh, for cell ageing. */
  wearEurPerKwh?: number;
  /** What a kWh left in the battery at the end of the horizon is worth; default: the horizon's mean import price × efficiency. */
  endValueEurPerKwh?: number;
  /** Charging from the grid only while the state of charge stays at or below this; default maxSocPct (PV may fill above it). */
  gridChargeMaxSocPct?: number;
  /** The battery may hold its charge and charge from PV surplus, never from the grid (an inverter without forced charging). */
  holdOnly?: boolean;
  /** At least this state of charge by this time (soft: a shortfall costs the deadline penalty per kWh). */
  targetSoc?: { socPct: number; byMs: number };
}

/** How a load can draw power, as the allocator's load kinds describe it. */
export type LoadPower =
  | { kind: 'on_off'; powerW: number }
  | { kind: 'stepped'; stagePowersW: number[] }
  | { kind: 'modulating'; minPowerW: number; maxPowerW: number };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** When a job is due: once, or every listed weekday at a local clock time. */
export type JobWindow =
  | { kind: 'once'; deadlineMs: number; earliestStartMs?: number }
  | {
      kind: 'weekly';
      weekdays: Weekday[];
      /** Local "HH:MM" on the weekday; "24:00" is the end of that day. */
      byTime: string;
      /** Local "HH:MM" the job may start; later than byTime means the evening before. Default: 24 h before. */
      fromTime?: string;
    };

interface JobCommon {
  id: string;
  window: JobWindow;
}

/** "EV 20 kWh by 07:00": always interruptible. */
export interface EnergyJob extends JobCommon {
  kind: 'energy';
  energyWh: number;
  /** More is welcome when it pays (negative prices, free PV); default: exactly energyWh. */
  upToWh?: number;
  /** Already delivered in the occurrence under way. */
  doneWh?: number;
}

/** "pool pump 6 h a day", "boost 2 h before 06:00". */
export interface RuntimeJob extends JobCommon {
  kind: 'runtime';
  runtimeMinutes: number;
  interruptible: boolean;
  /** Interruptible jobs only: more runtime is welcome when it pays. */
  upToMinutes?: number;
  /** Already run in the occurrence under way. */
  doneMinutes?: number;
  /** "Already running, x min left": a non-interruptible run that started before now and must go on. */
  runningMinutesLeft?: number;
}

export type PlannerJob = EnergyJob | RuntimeJob;

export interface PlannerLoad {
  id: string;
  /** Shown in reasons; default: id. */
  name?: string;
  power: LoadPower;
  minOnSeconds?: number;
  minOffSeconds?: number;
  /** What the load is doing now, for minimum on/off times across the start of the horizon. */
  state?: { on: boolean; sinceMs: number };
  jobs: PlannerJob[];
}

export interface PlannerInput {
  nowMs: number;
  /** IANA zone for weekly jobs and the clock times in reasons. */
  timeZone: string;
  slots: PlannerSlot[];
  site: PlannerSite;
  battery?: PlannerBattery;
  loads: PlannerLoad[];
}

/** The slots [from, to) an integer column decides: relax and round frees or fixes columns by their distance in time. */
export interface MilpColumnScope {
  fromSlot: number;
  toSlot: number;
}

/** A MILP in column/row form, units kW and kWh so coefficients stay near 1. */
export interface MilpModel {
  /** `penalty`: the column's cost is the price of a broken promise (a shortfall, a late or missing run). */
  columns: { lower: number; upper: number; cost: number; integer: boolean; scope?: MilpColumnScope; penalty?: boolean }[];
  rows: { lower: number; upper: number; indices: number[]; values: number[] }[];
}

/**
 * `work_limit`: stopped at the node limit with a point, the same point on any machine;
 * `time_limit`: stopped by the wall clock, a point that depends on how fast and busy the machine is.
 */
export type MilpStatus = 'optimal' | 'work_limit' | 'time_limit' | 'failed';

export interface MilpResult {
  status: MilpStatus;
  /** Column values; absent when no feasible point was found. */
  values?: Float64Array | number[];
  /** Solver's words when it failed. */
  message?: string;
  /** For a model without integer columns: each row's dual, the objective's change per unit its bound moves. */
  rowDuals?: Float64Array | number[];
}

export interface MilpSolveOptions {
  /** Wall clock: a safety net only, since what it cuts short depends on the machine's load. */
  timeLimitMs: number;
  /** Branch-and-cut nodes: the work budget, counted the same on a quiet and on a busy machine. */
  nodeLimit: number;
  relativeGap: number;
  /** Stop when the plan is within this many EUR of the bound, whatever the relative gap. */
  absoluteGap: number;
  /** A complete feasible point to start from; the solver may ignore it. */
  start?: ArrayLike<number>;
  /** Shrink the model first: pays off for sub-problems with most columns fixed, not for the whole plan. */
  presolve?: boolean;
}

/** Any MILP solver; injected so tests can pass a failing one and the planner stays pure. */
export interface MilpSolver {
  name: string;
  solve(model: MilpModel, options: MilpSolveOptions): MilpResult;
}

export interface PlannedSlot {
  startMs: number;
  endMs: number;
  powerW: number;
}

export interface JobOutcome {
  jobId: string;
  /** Deadline of this occurrence. */
  deadlineMs: number;
  unit: 'Wh' | 'min';
  required: number;
  planned: number;
  kept: boolean;
  /** Always set: what was promised and how it goes, e.g. "EV: 14.2 of 20.0 kWh by 07:00 — only 5 h between 02:00 and 07:00 at 3.7 kW". */
  reason: string;
}

export interface LoadPlan {
  loadId: string;
  slots: PlannedSlot[];
  nextStartMs: number | null;
  finishMs: number | null;
  jobs: JobOutcome[];
}

export interface SitePlanSlot {
  startMs: number;
  gridW: number;
  batteryW: number;
  socPct: number | null;
  pvUsedW: number;
  pvCurtailedW: number;
}

export interface PlanCost {
  importEur: number;
  exportEur: number;
  demandChargeEur: number;
  wearEur: number;
  /** import − export + demand charge + wear. */
  totalEur: number;
}

export type PlannerName = 'milp' | 'greedy';

/** How the MILP plan was found: the solver's branch and cut, or relax and round (docs/planner.md) certified by the relaxation's bound. */
export type MilpMethod = 'branch_and_cut' | 'relax_and_round';

export interface Plan {
  planner: PlannerName;
  /** 'highs' etc. for the MILP, 'greedy' otherwise. */
  solver: string;
  /** Why the greedy plan was used instead of the MILP, when it was. */
  fallbackReason?: string;
  /** The MILP stopped at its work limit (branch-and-cut nodes) with a good but maybe not optimal plan. */
  stoppedAtWorkLimit: boolean;
  /** Set for MILP plans. */
  method?: MilpMethod;
  solveMs: number;
  cost: PlanCost;
  loads: LoadPlan[];
  site: SitePlanSlot[];
}

export interface PlannerOptions {
  /** Absent: greedy only. */
  solver?: MilpSolver;
  /** Wall-clock safety net (default 60 s): a MILP still running then gives way to the greedy plan, with the reason. */
  timeLimitMs?: number;
  /** Branch-and-cut nodes per solve (default 500): the work budget, so a plan does not depend on the machine's load. */
  nodeLimit?: number;
  relativeGap?: number;
  /** Relax and round before branch and cut (default true; false for benchmarks of branch and cut alone). */
  relaxAndRound?: boolean;
  /** Monotonic ms clock for solve times; injected for determinism. */
  clockMs?: () => number;
}
