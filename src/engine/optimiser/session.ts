/**
 * One optimiser with its registered loads: it keeps the latest readings and the allocator memory,
 * and runs one allocator cycle when asked. The Node-RED node owns the timer and the clock; this
 * holds the state between cycles, so everything here can be tested with made-up times.
 */
import { allocate, EMPTY_MEMORY, SITE_DEFAULTS, validateLoadConfig } from '../allocator';
import type { AllocatorMemory, LoadCommand, LoadConfig, LoadReading, SiteDecision, SiteSettings, SiteState, ValidationError } from '../allocator';
import { updateAlarm, type ActiveAlarm, type AlarmUpdate } from '../alarms';
import { batteryCommandAt, type BatteryPlan } from '../battery';
import type { Reading } from '../reading';
import { cycleMessage, type CycleMessage } from './cycle-message';
import { limitCrossed, limitExcess, lowerBaselines, type DecisionCause, type LimitExcess } from './decision-trigger';
import { toLoadReading, type MeasuredState } from './load-feedback';
import { actuationKey, assumedReading, outputPayload, type LoadOutputPayload } from './load-output';
import { withPlannedSlot, type PlannedSlots } from './planned-slots';
import { priceAt, type TimedPrice } from './price-now';
import { accumulateDayStats, EMPTY_DAY_STATS, localDayKey, type LoadDayStats } from './load-stats';
import { applySiteReading, siteStateAt, type SiteSources, type SiteValues } from './site-inputs';
import { STRATEGIES, type StrategyName } from './strategy';

/** `commanded`: no read-back wired, the load is assumed to do what it was told. */
export type LoadFeedback = 'measured' | 'commanded';

export interface OptimiserSettings {
  /** The optimiser's device id: the cycle message's topic. */
  deviceId: string;
  site: SiteSettings;
  strategy: StrategyName;
  sources: SiteSources;
}

/** What a registered load hears after every cycle. */
export interface LoadUpdate {
  command: LoadCommand;
  output: LoadOutputPayload;
  /** First command, or the output must do something different from last time. */
  actuationChanged: boolean;
  /** What the load draws now: measured, or assumed from the command. */
  powerW: number;
  running: boolean;
  stats: LoadDayStats;
  /** The config in force, after changes from messages or Home Assistant and expired overrides. */
  config: LoadConfig;
  /** False while a load with measured read-back has sent nothing within the stale timeout. */
  readBackFresh: boolean;
}

/** Settings a person may change at run time (from a message or Home Assistant). */
export type LoadChange = Partial<Pick<LoadConfig, 'mode' | 'priority' | 'override' | 'demand'>>;

/** The load's config with a change applied (an override of undefined removes it); not yet validated. */
export function withLoadChange(config: LoadConfig, change: LoadChange): LoadConfig {
  const next = { ...config, ...change } as LoadConfig;
  if ('override' in change && change.override === undefined) delete next.override;
  return next;
}

interface LoadEntry {
  owner: string;
  config: LoadConfig;
  feedback: LoadFeedback;
  measured?: MeasuredState & { atMs: number };
  lastCommand?: LoadCommand;
  lastActuation?: string;
  stats: LoadDayStats;
  /** What the load drew in the last cycle (measured or assumed), for the planner's records. */
  now?: LoadReading;
  onUpdate: (update: LoadUpdate) => void;
}

export interface CycleResult {
  message: CycleMessage;
  site: SiteDecision;
  commands: LoadCommand[];
  /** Loads whose update handler threw; the others got theirs. */
  errors: string[];
  /** The optimiser's active alarms (stale site data), and what changed this cycle. */
  alarms: ActiveAlarm[];
  alarmChange?: AlarmUpdate['change'];
}

/** What a site reading did: the site values it supplied (none: not a site reading), and why a decision is due at once, if it is. */
export interface SiteReadingOutcome {
  used: string[];
  decisionDue?: DecisionCause;
}

const OFF_READING: LoadReading = { on: false, powerW: 0 };

export class OptimiserSession {
  private siteValues: SiteValues = {};
  private memory: AllocatorMemory = EMPTY_MEMORY;
  private rippleInputs: boolean[] | undefined;
  private prices: readonly TimedPrice[] = [];
  private staleAlarm: ActiveAlarm | undefined;
  /** Per limit, the excess the last decision saw, lowered by readings since (decision-trigger.ts). */
  private limitBaselines: LimitExcess = {};
  private plan: { owner: string; slots: PlannedSlots; battery?: BatteryPlan } | undefined;
  /** Keyed by load id, in registration order (the allocator's tie-break for equal priorities). */
  private readonly loads = new Map<string, LoadEntry>();

  constructor(
    private settings: OptimiserSettings,
    private readonly startedAtMs: number,
    private readonly dayKey: (timeMs: number) => string = localDayKey,
  ) {}

  get current(): Readonly<OptimiserSettings> {
    return this.settings;
  }

  /** Export limit, import cap or strategy changed at run time. */
  changeSettings(change: Partial<OptimiserSettings>): void {
    this.settings = { ...this.settings, ...change, site: { ...this.settings.site, ...change.site } };
    // Baselines measured against the old limits say nothing about the new ones: the next reading over one is due.
    if (change.site) this.limitBaselines = {};
  }

  /** The allocator's memory (timers, starts), to keep across restarts; plain JSON. */
  get allocatorMemory(): AllocatorMemory {
    return this.memory;
  }

  /** Memory kept from before a restart, so minimum on/off times and starts per hour hold across it. */
  restoreMemory(memory: AllocatorMemory): void {
    this.memory = memory;
  }

  /** Ripple-control contacts in rule order; undefined when unknown (a failed poll). A change makes a decision due. */
  setRippleInputs(inputs: boolean[] | undefined): DecisionCause | undefined {
    const changed = inputs?.join() !== this.rippleInputs?.join();
    this.rippleInputs = inputs;
    return changed ? 'ripple' : undefined;
  }

  setPrices(slots: readonly TimedPrice[]): void {
    this.prices = slots;
  }

  /**
   * The plan to follow from the next cycle on (one planner per optimiser: a second one is refused,
   * so two plans never fight over the same loads). `battery`: the battery's planned modes, when
   * the plan has a battery; each cycle message then carries the one for now.
   */
  followPlan(owner: string, slots: PlannedSlots, battery?: BatteryPlan): void {
    if (this.plan && this.plan.owner !== owner) throw new Error('this optimiser already follows another planner: link one planner per optimiser');
    this.plan = battery ? { owner, slots, battery } : { owner, slots };
  }

  stopFollowingPlan(owner: string): void {
    if (this.plan?.owner === owner) this.plan = undefined;
  }

  /** What each registered load drew in the last cycle, by load id. */
  loadReadings(): Record<string, LoadReading> {
    return Object.fromEntries([...this.loads].filter(([, e]) => e.now !== undefined).map(([id, e]) => [id, e.now!]));
  }

  /**
   * Adds a load, or replaces its config when the same owner registers it again. `keptStats`:
   * today's figures the load kept across a restart (this session's own win while it lives).
   */
  registerLoad(owner: string, config: LoadConfig, feedback: LoadFeedback, onUpdate: (update: LoadUpdate) => void, keptStats: LoadDayStats = EMPTY_DAY_STATS): void {
    const existing = this.loads.get(config.id);
    if (existing && existing.owner !== owner) {
      throw new Error(`load id "${config.id}" is already used by another load on this optimiser: give each load its own id`);
    }
    this.loads.set(config.id, { owner, config, feedback, onUpdate, stats: existing?.stats ?? keptStats });
  }

  unregisterLoad(owner: string, loadId: string): void {
    if (this.loads.get(loadId)?.owner !== owner) return;
    this.loads.delete(loadId);
    const { [loadId]: _forgotten, ...rest } = this.memory.loads;
    this.memory = { ...this.memory, loads: rest };
  }

  /** Applies a change if the result is a valid config; otherwise returns why not and keeps the old one. */
  changeLoad(loadId: string, change: LoadChange): ValidationError[] {
    const entry = this.loads.get(loadId);
    if (!entry) return [{ loadId, field: 'id', value: loadId, message: `no load "${loadId}" is registered` }];
    const next = withLoadChange(entry.config, change);
    const errors = validateLoadConfig(next);
    if (errors.length === 0) entry.config = next;
    return errors;
  }

  loadConfig(loadId: string): LoadConfig | undefined {
    return this.loads.get(loadId)?.config;
  }

  measured(loadId: string, state: MeasuredState, receivedAtMs: number): void {
    const entry = this.loads.get(loadId);
    if (entry) entry.measured = { ...state, atMs: state.atMs ?? receivedAtMs };
  }

  /** Applies a site reading; a decision is due at once when it crosses a limit or makes the site data fresh again. */
  siteReading(reading: Reading, receivedAtMs: number): SiteReadingOutcome {
    const before = this.siteAt(receivedAtMs);
    const { values, used } = applySiteReading(this.siteValues, this.settings.sources, reading, receivedAtMs);
    this.siteValues = values;
    const site = this.siteAt(receivedAtMs);
    // Stale site data puts every load in its safe state whatever the limits say: nothing to decide early.
    if (used.length === 0 || site.stale) return { used };
    const excess = limitExcess(site, this.settings.site, this.rippleInputs);
    const crossed = limitCrossed(this.limitBaselines, excess);
    this.limitBaselines = lowerBaselines(this.limitBaselines, excess);
    const decisionDue = crossed ?? (before.stale ? 'fresh' : undefined);
    return decisionDue ? { used, decisionDue } : { used };
  }

  cycle(nowMs: number): CycleResult {
    const staleAfterMs = this.staleAfterMs();
    this.dropExpiredOverrides(nowMs);
    const entries = [...this.loads.values()];
    const readings = new Map(entries.map((e) => [e.config.id, this.readingOf(e, nowMs, staleAfterMs)] as const));
    const price = priceAt(this.prices, nowMs);
    const site: SiteState = {
      ...siteStateAt(this.siteValues, this.settings.sources, nowMs, this.startedAtMs, staleAfterMs),
      loads: Object.fromEntries([...readings].filter(([, r]) => r !== undefined)) as Record<string, LoadReading>,
    };
    if (this.rippleInputs) site.rippleInputs = this.rippleInputs;
    if (price) site.gridPriceEurPerKwh = price.importEurPerKwh;
    if (price?.exportEurPerKwh !== undefined) site.exportPriceEurPerKwh = price.exportEurPerKwh;
    const loads = STRATEGIES[this.settings.strategy].loadsFor(entries.map((e) => withPlannedSlot(e.config, this.plan?.slots, nowMs)));
    const result = allocate({ nowMs, site, loads, memory: this.memory, settings: this.settings.site });
    this.memory = result.memory;
    this.limitBaselines = result.site.stale ? {} : limitExcess(site, this.settings.site, this.rippleInputs);
    const errors = result.commands.map((command) => this.deliver(command, nowMs, staleAfterMs)).filter((e): e is string => e !== undefined);
    const alarm = updateAlarm(this.staleAlarm, 'stale_site_data', this.settings.deviceId, { active: result.site.stale, detail: result.site.reasons[0] ?? '' }, nowMs);
    this.staleAlarm = alarm.active;
    const alarms = alarm.active ? [alarm.active] : [];
    const names = (id: string) => this.loads.get(id)?.config.name;
    const battery = this.plan?.battery && batteryCommandAt(this.plan.battery, nowMs, result.site.stale ? { staleReason: result.site.reasons[0] ?? 'no fresh reading' } : {});
    return {
      errors,
      message: cycleMessage(this.settings.deviceId, nowMs, this.settings.strategy, { site, price, alarms, battery }, result, names),
      site: result.site,
      commands: result.commands,
      alarms,
      alarmChange: alarm.change,
    };
  }

  private staleAfterMs(): number {
    return (this.settings.site.staleAfterSeconds ?? SITE_DEFAULTS.staleAfterSeconds) * 1000;
  }

  /** The site as the allocator would see it now, and whether it would call it stale. */
  private siteAt(nowMs: number): Omit<SiteState, 'loads'> & { stale: boolean } {
    const staleAfterMs = this.staleAfterMs();
    const site = siteStateAt(this.siteValues, this.settings.sources, nowMs, this.startedAtMs, staleAfterMs);
    return { ...site, stale: nowMs - site.readingsTimestampMs > staleAfterMs };
  }

  private dropExpiredOverrides(nowMs: number): void {
    for (const entry of this.loads.values()) {
      const expiresAtMs = entry.config.override?.expiresAtMs;
      if (expiresAtMs !== undefined && expiresAtMs <= nowMs) {
        const { override: _expired, ...rest } = entry.config;
        entry.config = rest as LoadConfig;
      }
    }
  }

  /** A fresh measurement; without one, the assumed state if the load has no read-back; else none. */
  private readingOf(entry: LoadEntry, nowMs: number, staleAfterMs: number): LoadReading | undefined {
    if (entry.measured && nowMs - entry.measured.atMs <= staleAfterMs) {
      return toLoadReading(entry.measured, entry.lastCommand?.powerW ?? 0);
    }
    if (entry.feedback === 'commanded') return entry.lastCommand ? assumedReading(entry.lastCommand) : OFF_READING;
    return undefined;
  }

  private deliver(command: LoadCommand, nowMs: number, staleAfterMs: number): string | undefined {
    const entry = this.loads.get(command.loadId);
    if (!entry) return undefined;
    entry.lastCommand = command;
    const fresh = this.readingOf(entry, nowMs, staleAfterMs);
    const now = fresh ?? OFF_READING;
    entry.now = now;
    entry.stats = accumulateDayStats(entry.stats, { powerW: now.powerW, running: now.on }, nowMs, this.dayKey(nowMs));
    const output = outputPayload(command, entry.config);
    const actuation = actuationKey(output);
    const actuationChanged = actuation !== entry.lastActuation;
    entry.lastActuation = actuation;
    try {
      const readBackFresh = fresh !== undefined;
      entry.onUpdate({ command, output, actuationChanged, powerW: now.powerW, running: now.on, stats: entry.stats, config: entry.config, readBackFresh });
      return undefined;
    } catch (err) {
      // One failing load must not keep the others from their commands; the caller reports it.
      return `load "${command.loadId}": ${(err as Error).message}`;
    }
  }
}
