/**
 * One planner's state between plans: jobs, prices, PV forecast, and what it measured (PV, base
 * load, each planned load's energy and runtime), copied into a plan request on demand. The
 * Node-RED node owns the timers, the plan solver and the clock; everything here takes time as an argument.
 */
import type { LoadConfig, LoadReading, SiteSettings } from '../allocator';
import type { SiteSources, TimedPrice } from '../optimiser';
import { applySiteReading, type SiteValues } from '../optimiser/site-inputs';
import type { PlannerBattery, PlannerLoad } from '../planner';
import { nextWallClockMs, parseClockMinutes } from '../local-time';
import type { Reading } from '../reading';
import type { PvForecastSlot } from './horizon-slots';
import type { JobMessage, LoadJob } from './jobs';
import { loadPowerOf } from './load-power';
import { plannerSiteOf } from './site-limits';
import type { LoadProgress, PlanRequest } from './plan-request';
import type { TariffPeriod } from './price-table';
import { SlotIntegrals, type SlotIntegralsJson } from './slot-integrals';

/** The battery as configured: its state of charge comes from readings, its target SoC is due at a local "HH:MM" every day. */
export type PlannerBatterySettings = Omit<PlannerBattery, 'socPct' | 'targetSoc'> & { targetSoc?: { socPct: number; byTime: string } };

/** The battery as this plan sees it: the state of charge now, the target due at the next "HH:MM". */
export function plannerBatteryAt(settings: PlannerBatterySettings, socPct: number, nowMs: number, timeZone: string): PlannerBattery {
  const { targetSoc, ...battery } = settings;
  if (!targetSoc) return { ...battery, socPct };
  const byMs = nextWallClockMs(parseClockMinutes(targetSoc.byTime, 'battery target SoC by'), nowMs, timeZone);
  return { ...battery, socPct, targetSoc: { socPct: targetSoc.socPct, byMs } };
}

export interface PlannerSettings {
  deviceId: string;
  timeZone: string;
  horizonHours: number;
  tariff: TariffPeriod[];
  /** Feed-in price where no price source lists one. */
  exportEurPerKwh: number;
  cheapAtOrBelowEurPerKwh?: number;
  /** The battery as planned; its state of charge comes from readings. */
  battery?: PlannerBatterySettings;
  configuredJobs: LoadJob[];
}

/** What the planner needs of the optimiser it plans for. */
export interface OptimiserView {
  loadConfig(loadId: string): LoadConfig | undefined;
  site: SiteSettings;
  sources: SiteSources;
  voltageV: number;
}

export interface PlannerState {
  pv: SlotIntegralsJson;
  baseLoad: SlotIntegralsJson;
  loads: Record<string, { energy: SlotIntegralsJson; running: SlotIntegralsJson }>;
  messageJobs: LoadJob[];
}

const DAY_MS = 86_400_000;
/** The base-load profile looks back 28 days; PV persistence 7. */
const HISTORY_DAYS = 29;
/** A battery state older than this is not trusted for a plan. */
const SOC_MAX_AGE_MS = 15 * 60_000;
/** PV and battery values this old no longer count when a grid reading derives the base load. */
const COMPANION_MAX_AGE_MS = 60_000;

interface LoadRecords {
  energy: SlotIntegrals;
  running: SlotIntegrals;
}

export class PlannerSession {
  private prices: readonly TimedPrice[] = [];
  private pvForecast: readonly PvForecastSlot[] = [];
  private messageJobs: LoadJob[] = [];
  private siteValues: SiteValues = {};
  private readonly pv: SlotIntegrals;
  private readonly baseLoad: SlotIntegrals;
  private readonly loads = new Map<string, LoadRecords>();
  /** Each load's on/off state and since when, so minimum on/off times carry across a plan's start. */
  private readonly loadStates = new Map<string, { on: boolean; sinceMs: number }>();

  constructor(
    readonly settings: PlannerSettings,
    kept?: Partial<PlannerState>,
  ) {
    this.pv = SlotIntegrals.fromJson(kept?.pv);
    this.baseLoad = SlotIntegrals.fromJson(kept?.baseLoad);
    for (const [loadId, records] of Object.entries(kept?.loads ?? {})) {
      this.loads.set(loadId, { energy: SlotIntegrals.fromJson(records?.energy), running: SlotIntegrals.fromJson(records?.running) });
    }
    this.messageJobs = Array.isArray(kept?.messageJobs) ? kept.messageJobs : [];
  }

  get priceSlots(): readonly TimedPrice[] {
    return this.prices;
  }

  setPrices(slots: readonly TimedPrice[]): void {
    this.prices = slots;
  }

  setPvForecast(slots: readonly PvForecastSlot[]): void {
    this.pvForecast = slots;
  }

  /** A job from a message replaces the one with the same load and id; a cancel drops it. */
  jobMessage(message: JobMessage): void {
    const [loadId, jobId] = message.kind === 'add' ? [message.loadJob.loadId, message.loadJob.job.id] : [message.loadId, message.jobId];
    this.messageJobs = this.messageJobs.filter((j) => !(j.loadId === loadId && j.job.id === jobId));
    if (message.kind === 'add') this.messageJobs.push(message.loadJob);
  }

  /** Every job in force: configured ones and one-off ones whose deadline is still ahead. */
  jobs(nowMs: number): LoadJob[] {
    this.messageJobs = this.messageJobs.filter((j) => j.job.window.kind !== 'once' || j.job.window.deadlineMs > nowMs);
    return [...this.settings.configuredJobs, ...this.messageJobs];
  }

  /** Load ids with a job, in the order their jobs were given. */
  plannedLoadIds(nowMs: number): string[] {
    return [...new Set(this.jobs(nowMs).map((j) => j.loadId))];
  }

  /**
   * A site reading. A grid reading also records the base load: what the house drew besides the
   * optimiser's loads (grid + PV − battery charging − managed loads). Returns the names it supplied.
   */
  reading(reading: Reading, sources: SiteSources, managedLoadsW: number, receivedAtMs: number): string[] {
    const { values, used } = applySiteReading(this.siteValues, sources, reading, receivedAtMs);
    this.siteValues = values;
    const recent = (name: keyof SiteValues, atMs: number) => {
      const timed = values[name];
      return timed && atMs - timed.atMs <= COMPANION_MAX_AGE_MS ? timed.value : 0;
    };
    if (used.includes('pvPowerW')) this.pv.add(values.pvPowerW!.atMs, Math.max(0, values.pvPowerW!.value));
    if (used.includes('gridPowerW')) {
      const atMs = values.gridPowerW!.atMs;
      this.baseLoad.add(atMs, Math.max(0, values.gridPowerW!.value + recent('pvPowerW', atMs) - recent('batteryPowerW', atMs) - managedLoadsW));
    }
    return used;
  }

  /** What the optimiser's loads drew in its last cycle: each planned load's energy and runtime so far. */
  loadReadings(readings: Record<string, LoadReading>, nowMs: number): void {
    for (const [loadId, reading] of Object.entries(readings)) {
      const records = this.loads.get(loadId) ?? { energy: new SlotIntegrals(), running: new SlotIntegrals() };
      records.energy.add(nowMs, reading.powerW);
      records.running.add(nowMs, reading.on ? 1 : 0);
      this.loads.set(loadId, records);
      const before = this.loadStates.get(loadId);
      if (before?.on !== reading.on) this.loadStates.set(loadId, { on: reading.on, sinceMs: nowMs });
    }
  }

  /** Forgets what no forecast or job will ask for again. */
  prune(nowMs: number): void {
    const sinceMs = nowMs - HISTORY_DAYS * DAY_MS;
    this.pv.prune(sinceMs);
    this.baseLoad.prune(sinceMs);
    for (const records of this.loads.values()) {
      records.energy.prune(nowMs - 8 * DAY_MS);
      records.running.prune(nowMs - 8 * DAY_MS);
    }
  }

  toJson(): PlannerState {
    const loads = Object.fromEntries([...this.loads].map(([id, r]) => [id, { energy: r.energy.toJson(), running: r.running.toJson() }]));
    return { pv: this.pv.toJson(), baseLoad: this.baseLoad.toJson(), loads, messageJobs: this.messageJobs };
  }

  /**
   * What a plan now is made from, copied as plain data: cheap, so Node-RED's thread can gather it;
   * the slots, each job's progress and the plan are made from it by `planRequest` (plan-request.ts).
   */
  request(nowMs: number, optimiser: OptimiserView): PlanRequest {
    const problems: string[] = [];
    const loads: PlannerLoad[] = [];
    const progress: Record<string, LoadProgress> = {};
    const jobs = this.jobs(nowMs);
    for (const loadId of this.plannedLoadIds(nowMs)) {
      const config = optimiser.loadConfig(loadId);
      if (!config) {
        problems.push(`jobs name load "${loadId}", which is not a hems-load of this optimiser: check the load id`);
        continue;
      }
      loads.push({
        id: loadId,
        name: config.name || loadId,
        power: loadPowerOf(config, optimiser.voltageV),
        minOnSeconds: config.minOnSeconds,
        minOffSeconds: config.minOffSeconds,
        ...(this.loadStates.has(loadId) ? { state: this.loadStates.get(loadId) } : {}),
        jobs: jobs.filter((j) => j.loadId === loadId).map((j) => j.job),
      });
      const records = this.loads.get(loadId);
      if (records) progress[loadId] = { energy: records.energy.toJson(), running: records.running.toJson(), runningNow: records.running.latestValue() === 1 };
    }
    const soc = this.siteValues.batterySocPct;
    return {
      nowMs,
      timeZone: this.settings.timeZone,
      horizonHours: this.settings.horizonHours,
      prices: [...this.prices],
      tariff: this.settings.tariff,
      exportEurPerKwh: this.settings.exportEurPerKwh,
      pvForecast: [...this.pvForecast],
      pvHistory: this.pv.series(),
      baseLoadHistory: this.baseLoad.series(),
      site: plannerSiteOf(optimiser.site),
      ...(this.settings.battery && soc && nowMs - soc.atMs <= SOC_MAX_AGE_MS ? { battery: plannerBatteryAt(this.settings.battery, soc.value, nowMs, this.settings.timeZone) } : {}),
      loads,
      progress,
      problems,
    };
  }
}
