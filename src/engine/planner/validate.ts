/**
 * Checks a planner input before it is saved or used; plan() trusts its input. Each error names
 * the field, shows the value and says what to enter instead.
 */
import { SLOT_MS } from './horizon';
import { parseClockMinutes, timeZoneProblem, WEEKDAYS } from '../local-time';
import type { LoadPower, PlannerBattery, PlannerInput, PlannerJob, PlannerLoad } from './types';
import { showValue } from '../show-value';
import type { ValidationError } from '../validation';


type Check = [field: string, value: unknown, ok: boolean, fix: string];

function errors(checks: Check[], loadId?: string): ValidationError[] {
  return checks
    .filter(([, , ok]) => !ok)
    .map(([field, value, , fix]) => ({ loadId, field, value, message: `${field} = ${showValue(value)}: ${fix}` }));
}

const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const pct = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 100;

function slotChecks(input: PlannerInput): Check[] {
  const gap = input.slots.findIndex((s, i) => i > 0 && s.startMs - input.slots[i - 1].startMs !== SLOT_MS);
  const badForecast = input.slots.findIndex((s) => !nonNegative(s.pvForecastW) || !nonNegative(s.baseLoadForecastW));
  const span = input.slots.length * SLOT_MS;
  return [
    ['slots', input.slots.length, span >= 3_600_000 && span <= 72 * 3_600_000, 'give 15-minute slots covering 1 to 72 hours (24–48 h is usual)'],
    [`slots[${gap}].startMs`, input.slots[gap]?.startMs, gap < 0, 'slots must follow each other every 15 minutes without gaps; resample hourly prices and forecasts to 15 minutes'],
    [`slots[${badForecast}]`, input.slots[badForecast], badForecast < 0, 'pvForecastW and baseLoadForecastW must be powers in W, 0 or more'],
  ];
}

function batteryChecks(battery: PlannerBattery | undefined): Check[] {
  if (battery === undefined) return [];
  return [
    ['battery.capacityWh', battery.capacityWh, positive(battery.capacityWh), 'must be the usable capacity in Wh, above 0'],
    ['battery.maxChargeW', battery.maxChargeW, nonNegative(battery.maxChargeW), 'must be a power in W, 0 or more'],
    ['battery.maxDischargeW', battery.maxDischargeW, nonNegative(battery.maxDischargeW), 'must be a power in W, 0 or more'],
    ['battery.roundTripEfficiency', battery.roundTripEfficiency, positive(battery.roundTripEfficiency) && battery.roundTripEfficiency <= 1, 'must be a fraction above 0 and at most 1, like 0.9'],
    ['battery.minSocPct', battery.minSocPct, pct(battery.minSocPct) && battery.minSocPct <= battery.maxSocPct, 'must be a percentage from 0 to maxSocPct'],
    ['battery.maxSocPct', battery.maxSocPct, pct(battery.maxSocPct), 'must be a percentage from 0 to 100'],
    ['battery.socPct', battery.socPct, pct(battery.socPct), 'must be the current state of charge in %, 0 to 100'],
    ['battery.wearEurPerKwh', battery.wearEurPerKwh, battery.wearEurPerKwh === undefined || nonNegative(battery.wearEurPerKwh), 'must be EUR per discharged kWh, 0 or more, or left out'],
    ['battery.gridChargeMaxSocPct', battery.gridChargeMaxSocPct, battery.gridChargeMaxSocPct === undefined || pct(battery.gridChargeMaxSocPct), 'must be a percentage from 0 to 100, or left out to let the grid charge up to maxSocPct'],
    ['battery.holdOnly', battery.holdOnly, battery.holdOnly === undefined || typeof battery.holdOnly === 'boolean', 'must be true (never charge from the grid) or false'],
    ['battery.targetSoc.socPct', battery.targetSoc?.socPct, battery.targetSoc === undefined || (pct(battery.targetSoc.socPct) && battery.targetSoc.socPct <= battery.maxSocPct), 'must be a percentage from 0 to maxSocPct'],
    ['battery.targetSoc.byMs', battery.targetSoc?.byMs, battery.targetSoc === undefined || Number.isFinite(battery.targetSoc.byMs), 'must be the time the target is due, as epoch ms'],
  ];
}

const POWER_CHECKS: { [K in LoadPower['kind']]: (p: Extract<LoadPower, { kind: K }>) => Check[] } = {
  on_off: (p) => [['power.powerW', p.powerW, positive(p.powerW), 'must be the power in W the load draws when on, above 0']],
  stepped: (p) => [
    ['power.stagePowersW', p.stagePowersW, Array.isArray(p.stagePowersW) && p.stagePowersW.length > 0 && p.stagePowersW.every(positive), 'must list each stage’s power in W, like [2000, 2000]'],
  ],
  modulating: (p) => [
    ['power.minPowerW', p.minPowerW, nonNegative(p.minPowerW) && p.minPowerW <= p.maxPowerW, 'must be the lowest running power in W, at most maxPowerW'],
    ['power.maxPowerW', p.maxPowerW, positive(p.maxPowerW), 'must be the highest power in W, above 0'],
  ],
};

function jobChecks(job: PlannerJob, prefix: string): Check[] {
  const window = job.window;
  const windowChecks: Check[] =
    window.kind === 'once'
      ? [
          [`${prefix}.window.deadlineMs`, window.deadlineMs, Number.isFinite(window.deadlineMs), 'must be the deadline as epoch ms'],
          [`${prefix}.window.earliestStartMs`, window.earliestStartMs, window.earliestStartMs === undefined || window.earliestStartMs < window.deadlineMs, 'must be before the deadline, or left out'],
        ]
      : [
          [`${prefix}.window.weekdays`, window.weekdays, Array.isArray(window.weekdays) && window.weekdays.length > 0 && window.weekdays.every((d) => WEEKDAYS.includes(d)), `must list days out of ${WEEKDAYS.join(', ')}`],
          [`${prefix}.window.byTime`, window.byTime, clockOk(window.byTime), 'must be a local time "HH:MM" from "00:00" to "24:00"'],
          [`${prefix}.window.fromTime`, window.fromTime, window.fromTime === undefined || clockOk(window.fromTime), 'must be a local time "HH:MM", or left out for 24 h before byTime'],
        ];
  const amount: Check[] =
    job.kind === 'energy'
      ? [
          [`${prefix}.energyWh`, job.energyWh, positive(job.energyWh), 'must be the energy in Wh to deliver, above 0'],
          [`${prefix}.upToWh`, job.upToWh, job.upToWh === undefined || job.upToWh >= job.energyWh, 'must be at least energyWh, or left out'],
        ]
      : [
          [`${prefix}.runtimeMinutes`, job.runtimeMinutes, positive(job.runtimeMinutes), 'must be the runtime in minutes, above 0'],
          [`${prefix}.runningMinutesLeft`, job.runningMinutesLeft, job.runningMinutesLeft === undefined || (!job.interruptible && nonNegative(job.runningMinutesLeft)), 'only a non-interruptible job can be "already running"; give the minutes left, 0 or more'],
        ];
  return [...windowChecks, ...amount];
}

function clockOk(text: string): boolean {
  try {
    parseClockMinutes(text, 'time');
    return true;
  } catch {
    return false;
  }
}

function loadErrors(load: PlannerLoad, duplicate: boolean): ValidationError[] {
  const powerCheck = POWER_CHECKS[load.power?.kind] as ((p: LoadPower) => Check[]) | undefined;
  const checks: Check[] = [
    ['id', load.id, !duplicate && typeof load.id === 'string' && load.id !== '', 'every load needs its own non-empty id'],
    ['power.kind', load.power?.kind, powerCheck !== undefined, `must be one of ${Object.keys(POWER_CHECKS).join(', ')}`],
    ...(powerCheck ? powerCheck(load.power) : []),
    ['minOnSeconds', load.minOnSeconds, load.minOnSeconds === undefined || nonNegative(load.minOnSeconds), 'must be seconds, 0 or more'],
    ['minOffSeconds', load.minOffSeconds, load.minOffSeconds === undefined || nonNegative(load.minOffSeconds), 'must be seconds, 0 or more'],
    ...load.jobs.flatMap((job, i) => jobChecks(job, `jobs[${i}]`)),
  ];
  return errors(checks, load.id);
}

export function validatePlannerInput(input: PlannerInput): ValidationError[] {
  const zoneOk = timeZoneProblem(input.timeZone, 'timeZone') === undefined;
  const site = input.site;
  const ids = input.loads.map((l) => l.id);
  return [
    ...errors([
      ['timeZone', input.timeZone, zoneOk, 'must be an IANA time zone like "Europe/Berlin"'],
      ...slotChecks(input),
      ['site.exportLimitW', site.exportLimitW, site.exportLimitW === undefined || nonNegative(site.exportLimitW), 'must be a power in W, 0 or more, or left out for no limit'],
      ['site.importCapW', site.importCapW, site.importCapW === undefined || positive(site.importCapW), 'must be a power in W above 0, or left out for no cap'],
      ['site.demandCharge.eurPerKw', site.demandCharge?.eurPerKw, site.demandCharge === undefined || nonNegative(site.demandCharge.eurPerKw), 'must be EUR per kW of peak, 0 or more'],
      ...batteryChecks(input.battery),
    ]),
    ...input.loads.flatMap((load, i) => loadErrors(load, ids.indexOf(load.id) !== i)),
  ];
}
