/**
 * The planning problem as a MILP (docs/planner.md, "Model"). Units are kW and kWh. Every promise
 * (deadline, import cap) has a penalised slack, so the model is always feasible: the solver
 * trades a broken promise against its penalty instead of answering "infeasible".
 */
import { SLOT_HOURS, SLOT_MS, slotsEndingBy, type Horizon } from './horizon';
import { windowSlots, type JobInstance } from './job-instances';
import { maxPowerW } from './load-power';
import { addBinary, addColumn, addPenalty, addRow, emptyModel, scaled, term, type LinearTerm } from './milp-builder';
import { IMPORT_CAP_PENALTY_EUR_PER_KWH, DEADLINE_PENALTY_EUR_PER_KWH, runtimeSlotPenaltyEur } from './penalties';
import { laterSlotPreference, slotPrices, type SlotPrices } from './slot-prices';
import type { LoadPower, MilpColumnScope, MilpModel, PlannerBattery, PlannerInput, PlannerLoad } from './types';

/** Where each quantity lives in the model's columns; -1 where a load has no variable in a slot. */
export interface ModelLayout {
  importKw: number[];
  exportKw: number[];
  pvUsedKw: number[];
  chargeKw: number[] | null;
  dischargeKw: number[] | null;
  /** Stored energy at the end of each slot. */
  storedKwh: number[] | null;
  loads: Map<string, LoadColumns>;
  prices: SlotPrices;
}

export interface LoadColumns {
  /** Power of the load in each slot as a linear expression (empty outside its active slots). */
  powerKw: LinearTerm[][];
  /** The column that is 1 while the load runs, -1 outside its active slots. */
  on: number[];
  /** The load's own columns and rows (its slots, jobs and dwell times): [from, to) in the model. */
  block: { columns: [number, number]; rows: [number, number] };
}

export interface BuiltModel {
  model: MilpModel;
  layout: ModelLayout;
}

const INFINITY = Number.POSITIVE_INFINITY;

/** Slots in which a load may get variables: its job windows and run reaches. */
function activeSlots(load: PlannerLoad, instances: JobInstance[], slotCount: number): boolean[] {
  const active = new Array<boolean>(slotCount).fill(false);
  const mark = (from: number, to: number): void => {
    for (let t = Math.max(0, from); t < Math.min(to, slotCount); t += 1) active[t] = true;
  };
  for (const instance of instances) {
    if (instance.interruptible) {
      const { from, to } = windowSlots(instance, slotCount);
      mark(from, to);
    } else if (instance.pinnedSlots > 0) {
      mark(0, instance.pinnedSlots);
    } else {
      const { first, last } = runStarts(instance, slotCount);
      mark(first, last + instance.remaining);
    }
  }
  const slots = minimumDwellSlots(load);
  if (slots.minOn > 1 || slots.minOff > 1) {
    const first = active.indexOf(true);
    const last = active.lastIndexOf(true);
    if (first >= 0) mark(first, last + 1);
  }
  return active;
}

export function minimumDwellSlots(load: PlannerLoad): { minOn: number; minOff: number } {
  const slotSeconds = SLOT_HOURS * 3600;
  return { minOn: Math.ceil((load.minOnSeconds ?? 0) / slotSeconds), minOff: Math.ceil((load.minOffSeconds ?? 0) / slotSeconds) };
}

/** One slot of one load: its on column and its power expression, per power kind. */
type SlotVariables<P> = (model: MilpModel, power: P, preference: number, scope: MilpColumnScope) => { on: number; power: LinearTerm[] };
const SLOT_VARIABLES: { [K in LoadPower['kind']]: SlotVariables<Extract<LoadPower, { kind: K }>> } = {
  on_off: (model, power, preference, scope) => {
    const kw = power.powerW / 1000;
    const on = addBinary(model, scope, preference * kw * SLOT_HOURS);
    return { on, power: [term(on, kw)] };
  },
  stepped: (model, power, preference, scope) => {
    const stages = power.stagePowersW.map((w) => addBinary(model, scope, (preference * w * SLOT_HOURS) / 1000));
    // A stage runs only on top of the one below it.
    for (let k = 1; k < stages.length; k += 1) addRow(model, [term(stages[k]), term(stages[k - 1], -1)], -INFINITY, 0);
    return { on: stages[0], power: stages.map((column, k) => term(column, power.stagePowersW[k] / 1000)) };
  },
  modulating: (model, power, preference, scope) => {
    const on = addBinary(model, scope);
    const kw = addColumn(model, 0, power.maxPowerW / 1000, preference * SLOT_HOURS);
    addRow(model, [term(kw), term(on, -power.maxPowerW / 1000)], -INFINITY, 0);
    addRow(model, [term(kw), term(on, -power.minPowerW / 1000)], 0, INFINITY);
    return { on, power: [term(kw)] };
  },
};

function addLoad(model: MilpModel, load: PlannerLoad, instances: JobInstance[], horizon: Horizon): LoadColumns {
  const slotCount = horizon.slots.length;
  const active = activeSlots(load, instances, slotCount);
  const first = { column: model.columns.length, row: model.rows.length };
  const columns: LoadColumns = { powerKw: active.map(() => []), on: active.map(() => -1), block: { columns: [0, 0], rows: [0, 0] } };
  const makeSlot = SLOT_VARIABLES[load.power.kind] as SlotVariables<LoadPower>;
  active.forEach((isActive, t) => {
    if (!isActive) return;
    const slot = makeSlot(model, load.power, laterSlotPreference(t, slotCount), { fromSlot: t, toSlot: t + 1 });
    columns.on[t] = slot.on;
    columns.powerKw[t] = slot.power;
  });
  addMinimumDwell(model, load, columns.on, horizon);
  for (const instance of instances) addJob(model, instance, columns, slotCount);
  columns.block = { columns: [first.column, model.columns.length], rows: [first.row, model.rows.length] };
  return columns;
}

/** Minimum on and off times as start/stop indicators (a standard unit-commitment formulation). */
function addMinimumDwell(model: MilpModel, load: PlannerLoad, on: number[], horizon: Horizon): void {
  const { minOn, minOff } = minimumDwellSlots(load);
  if (minOn <= 1 && minOff <= 1) return;
  const first = on.findIndex((c) => c >= 0);
  if (first < 0) return;
  const last = on.length - 1 - [...on].reverse().findIndex((c) => c >= 0);
  const wasOn = first === 0 && load.state?.on === true;
  const starts: number[] = [];
  const stops: number[] = [];
  for (let t = first; t <= last; t += 1) {
    const start = addColumn(model, 0, 1);
    const stop = addColumn(model, 0, 1);
    starts.push(start);
    stops.push(stop);
    const previous = t === first ? [] : [term(on[t - 1], -1)];
    const previousConstant = t === first && wasOn ? 1 : 0;
    addRow(model, [term(start), term(on[t], -1), ...scaled(previous, -1)], -previousConstant, INFINITY);
    addRow(model, [term(stop), term(on[t]), ...previous], previousConstant, INFINITY);
    const i = t - first;
    if (minOn > 1) addRow(model, [...starts.slice(Math.max(0, i - minOn + 1)).map((c) => term(c)), term(on[t], -1)], -INFINITY, 0);
    if (minOff > 1) addRow(model, [...stops.slice(Math.max(0, i - minOff + 1)).map((c) => term(c)), term(on[t])], -INFINITY, 1);
  }
  if (first === 0 && load.state !== undefined) pinDwellUnderWay(model, load, on, horizon, { minOn, minOff });
}

/** A load that switched recently keeps its state until its minimum time since then has passed. */
function pinDwellUnderWay(model: MilpModel, load: PlannerLoad, on: number[], horizon: Horizon, dwell: { minOn: number; minOff: number }): void {
  const state = load.state!;
  const dwellSlots = state.on ? dwell.minOn : dwell.minOff;
  const pinnedUntilMs = state.sinceMs + dwellSlots * SLOT_MS;
  const pinnedSlots = Math.min(on.length, Math.ceil((pinnedUntilMs - horizon.startMs) / SLOT_MS));
  for (let t = 0; t < pinnedSlots && on[t] >= 0; t += 1) {
    const column = model.columns[on[t]];
    if (state.on) column.lower = 1;
    else column.upper = 0;
  }
}

function addJob(model: MilpModel, instance: JobInstance, load: LoadColumns, slotCount: number): void {
  if (instance.interruptible) addInterruptibleJob(model, instance, load, slotCount);
  else addRun(model, instance, load, slotCount);
}

function addInterruptibleJob(model: MilpModel, instance: JobInstance, load: LoadColumns, slotCount: number): void {
  const { from, to } = windowSlots(instance, slotCount);
  const terms: LinearTerm[] = [];
  for (let t = from; t < to; t += 1) {
    if (instance.job.kind === 'energy') terms.push(...scaled(load.powerKw[t], SLOT_HOURS));
    else if (load.on[t] >= 0) terms.push(term(load.on[t]));
  }
  const unitPenalty = instance.job.kind === 'energy' ? DEADLINE_PENALTY_EUR_PER_KWH : runtimeSlotPenaltyEur(maxPowerW(instance.load.power));
  if (instance.requiredInHorizon > 0) {
    const shortfall = addPenalty(model, instance.requiredInHorizon, unitPenalty);
    addRow(model, [...terms, term(shortfall)], instance.requiredInHorizon, INFINITY);
  }
  if (terms.length > 0) addRow(model, terms, -INFINITY, instance.upToInHorizon);
}

/**
 * Where a run may start: anywhere it ends by the deadline; when no such start exists, only at
 * its first slot, since with lateness penalised per slot the earliest late start is the best one.
 */
export function runStarts(instance: JobInstance, slotCount: number): { first: number; last: number; mayStartAfterHorizon: boolean } {
  const lastOnTime = instance.deadlineSlot - instance.remaining;
  const first = Math.min(instance.firstSlot, slotCount - 1);
  return { first, last: Math.min(slotCount - 1, Math.max(first, lastOnTime)), mayStartAfterHorizon: lastOnTime >= slotCount };
}

/**
 * A non-interruptible run: one start binary per possible start slot, the load on while a
 * chosen run covers a slot. Starting so late that the run ends after the deadline costs the
 * deadline penalty per late slot; not starting at all costs it for the whole run.
 */
function addRun(model: MilpModel, instance: JobInstance, load: LoadColumns, slotCount: number): void {
  const runSlots = instance.remaining;
  if (runSlots <= 0) return;
  const slotPenalty = runtimeSlotPenaltyEur(maxPowerW(instance.load.power));
  if (instance.pinnedSlots > 0) {
    for (let t = 0; t < instance.pinnedSlots; t += 1) model.columns[load.on[t]].lower = 1;
    return;
  }
  const { first, last, mayStartAfterHorizon } = runStarts(instance, slotCount);
  const starts: { slot: number; column: number }[] = [];
  for (let slot = first; slot <= last; slot += 1) {
    const lateSlots = Math.max(0, slot + runSlots - instance.deadlineSlot);
    starts.push({ slot, column: addBinary(model, { fromSlot: slot, toSlot: slot + runSlots }, lateSlots * slotPenalty, lateSlots > 0) });
  }
  const startTerms = starts.map((s) => term(s.column));
  if (mayStartAfterHorizon) {
    addRow(model, startTerms, -INFINITY, 1);
  } else {
    const missing = addPenalty(model, 1, runSlots * slotPenalty);
    addRow(model, [...startTerms, term(missing)], 1, 1);
  }
  for (let t = first; t < Math.min(slotCount, last + runSlots); t += 1) {
    const covering = starts.filter((s) => s.slot <= t && t < s.slot + runSlots);
    if (covering.length > 0) addRow(model, [term(load.on[t]), ...covering.map((s) => term(s.column, -1))], 0, INFINITY);
  }
}

interface SiteColumns {
  importKw: number[];
  exportKw: number[];
  pvUsedKw: number[];
}

function addSite(model: MilpModel, input: PlannerInput, horizon: Horizon, prices: SlotPrices, peakKw: number | null): SiteColumns {
  const exportLimitKw = input.site.exportLimitW === undefined ? INFINITY : input.site.exportLimitW / 1000;
  const columns: SiteColumns = { importKw: [], exportKw: [], pvUsedKw: [] };
  horizon.slots.forEach((slot, t) => {
    const importKw = addColumn(model, 0, INFINITY, prices.importEurPerKwh[t] * SLOT_HOURS);
    const exportKw = addColumn(model, 0, exportLimitKw, -prices.exportEurPerKwh[t] * SLOT_HOURS);
    columns.importKw.push(importKw);
    columns.exportKw.push(exportKw);
    columns.pvUsedKw.push(addColumn(model, 0, Math.max(0, slot.pvForecastW) / 1000));
    if (input.site.importCapW !== undefined) {
      const overCapKw = addPenalty(model, INFINITY, IMPORT_CAP_PENALTY_EUR_PER_KWH * SLOT_HOURS);
      addRow(model, [term(importKw), term(overCapKw, -1)], -INFINITY, input.site.importCapW / 1000);
    }
    if (peakKw !== null) addRow(model, [term(importKw), term(peakKw, -1)], -INFINITY, 0);
  });
  return columns;
}

/**
 * Import and export at once pays only where export earns more than import costs; only there it
 * needs forbidding. Each side's bound is what the slot allows (import: the house, every load and
 * the battery charging; export: PV and the battery discharging less the house), not one site-wide
 * big M: a tight bound keeps the LP relaxation close, which decides how fast these binaries settle.
 */
function forbidImportWhileExporting(model: MilpModel, site: SiteColumns, prices: SlotPrices, bounds: { importKw: number[]; exportKw: number[] }): void {
  prices.importEurPerKwh.forEach((importPrice, t) => {
    if (prices.exportEurPerKwh[t] <= importPrice) return;
    if (bounds.exportKw[t] <= 0) {
      // Nothing to export in this slot but what comes in: no export at all.
      model.columns[site.exportKw[t]].upper = 0;
      return;
    }
    const importing = addBinary(model, { fromSlot: t, toSlot: t + 1 });
    addRow(model, [term(site.importKw[t]), term(importing, -bounds.importKw[t])], -INFINITY, 0);
    addRow(model, [term(site.exportKw[t]), term(importing, bounds.exportKw[t])], -INFINITY, bounds.exportKw[t]);
  });
}

/** The most a slot can import (house, loads, battery charging) and export (PV and discharging beyond the house, within the limit). */
function siteBounds(input: PlannerInput, horizon: Horizon, loads: Map<string, LoadColumns>): { importKw: number[]; exportKw: number[] } {
  const loadKw = new Map(input.loads.map((l) => [l.id, maxPowerW(l.power) / 1000]));
  const chargeKw = (input.battery?.maxChargeW ?? 0) / 1000;
  const dischargeKw = (input.battery?.maxDischargeW ?? 0) / 1000;
  const exportLimitKw = input.site.exportLimitW === undefined ? INFINITY : input.site.exportLimitW / 1000;
  const importKw = horizon.slots.map((slot, t) => {
    const activeLoadsKw = [...loads].reduce((sum, [id, columns]) => sum + (columns.powerKw[t].length > 0 ? loadKw.get(id)! : 0), 0);
    return slot.baseLoadForecastW / 1000 + activeLoadsKw + chargeKw;
  });
  const exportKw = horizon.slots.map((slot) => Math.min(exportLimitKw, Math.max(0, slot.pvForecastW / 1000 + dischargeKw - slot.baseLoadForecastW / 1000)));
  return { importKw, exportKw };
}

interface BatteryColumns {
  chargeKw: number[];
  dischargeKw: number[];
  storedKwh: number[];
}

function addBattery(model: MilpModel, battery: PlannerBattery, prices: SlotPrices, slotCount: number): BatteryColumns {
  const oneWay = Math.sqrt(battery.roundTripEfficiency);
  const capacityKwh = battery.capacityWh / 1000;
  const startKwh = (capacityKwh * battery.socPct) / 100;
  // A battery already outside its SoC range may stay there; it is not forced back at any price.
  const lowerKwh = Math.min(startKwh, (capacityKwh * battery.minSocPct) / 100);
  const upperKwh = Math.max(startKwh, (capacityKwh * battery.maxSocPct) / 100);
  const meanImport = prices.importEurPerKwh.reduce((s, p) => s + p, 0) / Math.max(1, slotCount);
  const endValue = battery.endValueEurPerKwh ?? meanImport * battery.roundTripEfficiency;
  const wear = battery.wearEurPerKwh ?? 0;
  const columns: BatteryColumns = { chargeKw: [], dischargeKw: [], storedKwh: [] };
  for (let t = 0; t < slotCount; t += 1) {
    const chargeKw = addColumn(model, 0, battery.maxChargeW / 1000);
    const dischargeKw = addColumn(model, 0, battery.maxDischargeW / 1000, wear * SLOT_HOURS);
    const storedKwh = addColumn(model, lowerKwh, upperKwh, t === slotCount - 1 ? -endValue : 0);
    const previous = t === 0 ? [] : [term(columns.storedKwh[t - 1], -1)];
    addRow(model, [term(storedKwh), ...previous, term(chargeKw, -oneWay * SLOT_HOURS), term(dischargeKw, SLOT_HOURS / oneWay)], t === 0 ? startKwh : 0, t === 0 ? startKwh : 0);
    // Charging and discharging at once burns energy through losses, which pays only at a negative import price.
    if (prices.importEurPerKwh[t] < 0) {
      const charging = addBinary(model, { fromSlot: t, toSlot: t + 1 });
      addRow(model, [term(chargeKw), term(charging, -battery.maxChargeW / 1000)], -INFINITY, 0);
      addRow(model, [term(dischargeKw), term(charging, battery.maxDischargeW / 1000)], -INFINITY, battery.maxDischargeW / 1000);
    }
    columns.chargeKw.push(chargeKw);
    columns.dischargeKw.push(dischargeKw);
    columns.storedKwh.push(storedKwh);
  }
  return columns;
}

/** kWh of the battery at a state of charge. */
const socKwh = (battery: PlannerBattery, socPct: number): number => (battery.capacityWh * socPct) / 100_000;

/**
 * What the grid may put into the battery (docs/planner.md, "Battery"): nothing for a hold-only
 * battery, and only up to `gridChargeMaxSocPct` otherwise. Per slot, `gridCharge` is the charging
 * the PV surplus does not cover. The surplus (PV used − house − loads) equals charge + export −
 * import − discharge by the balance row, so while charging, gridCharge ≥ import − export +
 * discharge needs site columns only and leaves the loads' coupling to the balance rows alone. A
 * slot whose PV forecast is below the house's base load has no surplus: there all charging is from
 * the grid. Elsewhere a binary says whether the battery charges, as the rule holds only then.
 */
function addGridChargeRules(model: MilpModel, battery: PlannerBattery, columns: BatteryColumns, site: SiteColumns, horizon: Horizon, importBoundKw: number[]): void {
  const upperKwh = Math.max(socKwh(battery, battery.socPct), socKwh(battery, battery.maxSocPct));
  const gridMaxKwh = socKwh(battery, battery.gridChargeMaxSocPct ?? battery.maxSocPct);
  const capped = battery.holdOnly !== true && gridMaxKwh < upperKwh;
  if (battery.holdOnly !== true && !capped) return;
  const maxChargeKw = battery.maxChargeW / 1000;
  horizon.slots.forEach((slot, t) => {
    const gridChargeKw = addColumn(model, 0, battery.holdOnly === true ? 0 : maxChargeKw);
    addRow(model, [term(gridChargeKw), term(columns.chargeKw[t], -1)], -INFINITY, 0);
    if (slot.pvForecastW <= slot.baseLoadForecastW) {
      addRow(model, [term(gridChargeKw), term(columns.chargeKw[t], -1)], 0, INFINITY);
    } else {
      const charging = addBinary(model, { fromSlot: t, toSlot: t + 1 });
      const bigKw = importBoundKw[t] + battery.maxDischargeW / 1000;
      addRow(model, [term(columns.chargeKw[t]), term(charging, -maxChargeKw)], -INFINITY, 0);
      addRow(model, [term(gridChargeKw), term(site.importKw[t], -1), term(site.exportKw[t]), term(columns.dischargeKw[t], -1), term(charging, -bigKw)], -bigKw, INFINITY);
    }
    if (!capped) return;
    // Grid charging in a slot only if the slot ends at or below the cap.
    const gridCharging = addBinary(model, { fromSlot: t, toSlot: t + 1 });
    addRow(model, [term(gridChargeKw), term(gridCharging, -maxChargeKw)], -INFINITY, 0);
    addRow(model, [term(columns.storedKwh[t]), term(gridCharging, upperKwh - gridMaxKwh)], -INFINITY, upperKwh);
  });
}

/** The target state of charge at the end of the last slot that ends by its time; none when that is before the first slot ends or after the horizon. */
function addTargetSoc(model: MilpModel, battery: PlannerBattery, columns: BatteryColumns, horizon: Horizon): void {
  if (battery.targetSoc === undefined) return;
  const slot = slotsEndingBy(horizon, battery.targetSoc.byMs) - 1;
  if (slot < 0 || slot >= horizon.slots.length) return;
  const targetKwh = socKwh(battery, battery.targetSoc.socPct);
  const shortfallKwh = addPenalty(model, targetKwh, DEADLINE_PENALTY_EUR_PER_KWH);
  addRow(model, [term(columns.storedKwh[slot]), term(shortfallKwh)], targetKwh, INFINITY);
}

export function buildModel(input: PlannerInput, horizon: Horizon, instances: JobInstance[]): BuiltModel {
  const model = emptyModel();
  const prices = slotPrices(horizon.slots);
  const slotCount = horizon.slots.length;
  const demand = input.site.demandCharge;
  const peakKw = demand === undefined ? null : addColumn(model, demand.peakSoFarW / 1000, INFINITY, demand.eurPerKw);
  const site = addSite(model, input, horizon, prices, peakKw);
  const battery = input.battery === undefined ? null : addBattery(model, input.battery, prices, slotCount);
  const loads = new Map<string, LoadColumns>();
  for (const load of input.loads) {
    const own = instances.filter((i) => i.load === load);
    if (own.length > 0) loads.set(load.id, addLoad(model, load, own, horizon));
  }
  horizon.slots.forEach((slot, t) => {
    const loadTerms = [...loads.values()].flatMap((l) => scaled(l.powerKw[t], -1));
    const batteryTerms = battery === null ? [] : [term(battery.dischargeKw[t]), term(battery.chargeKw[t], -1)];
    const baseKw = slot.baseLoadForecastW / 1000;
    addRow(model, [term(site.pvUsedKw[t]), term(site.importKw[t]), term(site.exportKw[t], -1), ...batteryTerms, ...loadTerms], baseKw, baseKw);
  });
  const bounds = siteBounds(input, horizon, loads);
  forbidImportWhileExporting(model, site, prices, bounds);
  if (battery !== null) {
    addGridChargeRules(model, input.battery!, battery, site, horizon, bounds.importKw);
    addTargetSoc(model, input.battery!, battery, horizon);
  }
  return {
    model,
    layout: {
      ...site,
      chargeKw: battery?.chargeKw ?? null,
      dischargeKw: battery?.dischargeKw ?? null,
      storedKwh: battery?.storedKwh ?? null,
      loads,
      prices,
    },
  };
}
