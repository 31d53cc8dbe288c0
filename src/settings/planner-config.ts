/**
 * A hems-planner's settings as the editor stores them → the planner session's settings, its time
 * limit and the site it plans for. Pure: tested without Node-RED.
 */
import { parseClockMinutes, hostTimeZone, timeZoneProblem } from '../engine/local-time';
import { parseConfiguredJobs, parseTariff, type PlannerBatterySettings, type PlannerSettings } from '../engine/planner-session';
import { showValue } from '../engine/show-value';
import { assertDeviceId } from '../ha-discovery/topics';

/** Every key the runtime reads of a hems-planner; the editor's defaults declare each (test/settings). */
export interface PlannerNodeConfig {
  name?: string;
  version?: number;
  deviceId: string;
  /** The hems-site config node whose loads it plans. */
  site?: string;
  /** 0.1.0: the optimiser flow node's id; its site is found under it until the editor points the planner at a hems-site. */
  optimiser?: string;
  /** JSON list of weekly jobs, e.g. [{ "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" }]. */
  jobs?: string;
  /** JSON time-of-use table, used where no price message covers a slot. */
  tariff?: string;
  exportEurPerKwh?: string | number;
  cheapAtOrBelowEurPerKwh?: string | number;
  horizonHours?: string | number;
  /** The MILP's wall-clock safety net; 0: greedy plans only. */
  timeLimitSeconds?: string | number;
  timeZone?: string;
  batteryCapacityWh?: string | number;
  batteryMaxChargeW?: string | number;
  batteryMaxDischargeW?: string | number;
  batteryEfficiency?: string | number;
  batteryMinSocPct?: string | number;
  batteryMaxSocPct?: string | number;
  /** Grid charging only up to this SoC; blank: the max SoC. */
  batteryGridChargeMaxSocPct?: string | number;
  /** The battery may not charge from the grid (an inverter without forced charging). */
  batteryHoldOnly?: boolean | string;
  /** At least this SoC by batteryTargetSocBy (local "HH:MM", every day); both blank: no target. */
  batteryTargetSocPct?: string | number;
  batteryTargetSocBy?: string;
  batteryWearEurPerKwh?: string | number;
  /** What a kWh left at the horizon's end is worth; blank: the mean import price × efficiency. */
  batteryEndValueEurPerKwh?: string | number;
  ha?: string;
}

/**
 * Plans are made in a child process and bounded by solver work (docs/planner.md, *Budget*), so the
 * time limit is a safety net only: a household plan takes 0.1–3 s, the hardest test site about 20 s.
 */
export const DEFAULT_TIME_LIMIT_SECONDS = 60;
const isBlank = (value: unknown) => value === undefined || value === null || String(value).trim() === '';

function numberInRange(value: unknown, fallback: number, field: string, min: number, max: number, hint: string): number {
  const n = isBlank(value) ? fallback : Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${field} = ${showValue(value)}: ${hint}`);
  return n;
}

/** Blank: the site's zone once the planner finds its site (hems-planner.ts), the host's until then. */
function timeZoneOf(value: unknown): string {
  if (isBlank(value)) return hostTimeZone();
  const zone = String(value).trim();
  if (timeZoneProblem(zone, 'time zone')) throw new Error(`time zone = ${showValue(value)}: use an IANA zone like "Europe/Berlin", or leave it blank for the site's`);
  return zone;
}

type BatteryField = (name: string, value: unknown, fallback: number, min: number, max: number, hint: string) => number;

/** A daily target SoC needs both its percentage and its time; neither: no target. */
function targetSocOf(c: PlannerNodeConfig, field: BatteryField): PlannerBatterySettings['targetSoc'] {
  if (isBlank(c.batteryTargetSocPct) && isBlank(c.batteryTargetSocBy)) return undefined;
  if (isBlank(c.batteryTargetSocBy)) throw new Error(`battery target SoC by = ${showValue(c.batteryTargetSocBy)}: give the local time the target is due, "HH:MM", or clear the target SoC`);
  const socPct = field('battery target SoC', c.batteryTargetSocPct, Number.NaN, 0, 100, 'give a percentage, 0 to 100, or clear the time it is due by');
  const byTime = String(c.batteryTargetSocBy).trim();
  parseClockMinutes(byTime, 'battery target SoC by');
  return { socPct, byTime };
}

const HOLD_ONLY: Record<string, boolean> = { true: true, false: false, '': false, undefined: false, null: false };

function holdOnlyOf(value: unknown): boolean {
  const flag = HOLD_ONLY[String(value)];
  if (flag === undefined) throw new Error(`battery hold only = ${showValue(value)}: must be true (never charges from the grid) or false`);
  return flag;
}

/** The optional options, present only when set: a blank one plans as before. */
function batteryOptionsOf(c: PlannerNodeConfig, field: BatteryField, maxSocPct: number): Partial<PlannerBatterySettings> {
  const options: Partial<PlannerBatterySettings> = {};
  if (!isBlank(c.batteryGridChargeMaxSocPct)) {
    options.gridChargeMaxSocPct = field('battery grid charge up to', c.batteryGridChargeMaxSocPct, maxSocPct, 0, 100, 'give a percentage, 0 to 100, or leave it blank for the max SoC');
  }
  if (holdOnlyOf(c.batteryHoldOnly)) options.holdOnly = true;
  const targetSoc = targetSocOf(c, field);
  if (targetSoc) options.targetSoc = targetSoc;
  if (!isBlank(c.batteryWearEurPerKwh)) {
    options.wearEurPerKwh = field('battery wear cost', c.batteryWearEurPerKwh, 0, 0, 10, 'give EUR per discharged kWh, e.g. 0.05, or leave it blank for none');
  }
  if (!isBlank(c.batteryEndValueEurPerKwh)) {
    options.endValueEurPerKwh = field('battery end value', c.batteryEndValueEurPerKwh, 0, -10, 10, 'give EUR per kWh left at the horizon\'s end, or leave it blank for the mean import price × efficiency');
  }
  return options;
}

function batteryOf(c: PlannerNodeConfig): PlannerBatterySettings | undefined {
  if (isBlank(c.batteryCapacityWh)) return undefined;
  const field: BatteryField = (name, value, fallback, min, max, hint) => numberInRange(value, fallback, name, min, max, hint);
  const capacityWh = field('battery capacity', c.batteryCapacityWh, 0, 1, 1_000_000, 'give the usable capacity in Wh, e.g. 10000, or leave it blank for no battery');
  const maxSocPct = field('battery max SoC', c.batteryMaxSocPct, 100, 0, 100, 'give a percentage, 0 to 100');
  return {
    capacityWh,
    maxChargeW: field('battery max charge', c.batteryMaxChargeW, capacityWh / 2, 1, 1_000_000, 'give the most it charges with in W, e.g. 5000'),
    maxDischargeW: field('battery max discharge', c.batteryMaxDischargeW, capacityWh / 2, 1, 1_000_000, 'give the most it discharges with in W, e.g. 5000'),
    roundTripEfficiency: field('battery efficiency', c.batteryEfficiency, 0.9, 0.01, 1, 'give the round trip as a fraction, e.g. 0.9'),
    minSocPct: field('battery min SoC', c.batteryMinSocPct, 10, 0, 100, 'give a percentage, 0 to 100'),
    maxSocPct,
    ...batteryOptionsOf(c, field, maxSocPct),
  };
}

/** A 0.1.0 time budget (ms) is migrated: only its 0, greedy plans only, carries over (resources/hems-settings.js). */
function timeLimitSecondsOf(c: PlannerNodeConfig): number {
  return numberInRange(c.timeLimitSeconds, DEFAULT_TIME_LIMIT_SECONDS, 'time limit', 0, 600, 'give 0 (greedy plans only) to 600 s; 60 is a safety net plans never reach on a sound machine');
}

/** The planner's settings, checked: the first problem throws, naming the field, the value and the fix. */
export function parsePlannerNodeConfig(c: PlannerNodeConfig): { settings: PlannerSettings; timeLimitSeconds: number; siteKey: string; ownTimeZone: boolean } {
  const deviceId = String(c.deviceId ?? '').trim() || 'planner';
  assertDeviceId(deviceId);
  const siteKey = c.site || c.optimiser;
  if (!siteKey) throw new Error('no site selected: open the node and pick the hems-site whose loads it plans');
  const settings: PlannerSettings = {
    deviceId,
    timeZone: timeZoneOf(c.timeZone),
    horizonHours: numberInRange(c.horizonHours, 24, 'horizon', 1, 48, 'plan 1 to 48 hours ahead; 24 is usual, 36–48 with day-ahead prices'),
    tariff: parseTariff(String(c.tariff ?? '')),
    exportEurPerKwh: numberInRange(c.exportEurPerKwh, 0, 'feed-in price', -10, 10, 'give the feed-in price in EUR/kWh, e.g. 0.08'),
    battery: batteryOf(c),
    configuredJobs: parseConfiguredJobs(String(c.jobs ?? '')),
  };
  if (!isBlank(c.cheapAtOrBelowEurPerKwh)) {
    settings.cheapAtOrBelowEurPerKwh = numberInRange(c.cheapAtOrBelowEurPerKwh, 0, 'cheap at or below', -10, 10, 'give a price in EUR/kWh, or leave it blank for the cheapest third of the day');
  }
  return { settings, timeLimitSeconds: timeLimitSecondsOf(c), siteKey, ownTimeZone: !isBlank(c.timeZone) };
}
