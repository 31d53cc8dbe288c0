/**
 * A planner's timeline as the editor's HEMS sidebar draws it: the last 24 h as measured and the
 * plan ahead, one row per 15-minute slot (import price, PV, the house besides the managed loads,
 * battery state of charge, grid) and each planned load's measured and planned power. Pure: made
 * from what the plan was made of (the request and the planner's input) and the plan.
 */
import type { TimedPrice } from '../engine/optimiser';
import { SLOT_MS, type Plan, type PlannerInput } from '../engine/planner';
import type { LoadPlanView, PlanRequest, PromiseState } from '../engine/planner-session';

/** How far back the timeline reaches. */
export const PAST_MS = 24 * 3_600_000;

export interface TimelineSlot {
  startMs: number;
  /** Measured (before now) or forecast and planned (from now on). */
  measured: boolean;
  importEurPerKwh: number | null;
  pvW: number | null;
  /** What the house draws besides the optimiser's loads (the planner's base load). */
  houseW: number | null;
  /** Planned state of charge at the slot's end; null without a battery or before now. */
  socPct: number | null;
  /** Planned grid power (+ = import); null before now. */
  gridW: number | null;
}

export interface TimelineLoad {
  id: string;
  name: string;
  promise: PromiseState;
  reason: string;
  planned: Array<{ startMs: number; endMs: number; powerW: number }>;
  /** Average power per past slot in which the load was seen. */
  measured: Array<{ startMs: number; powerW: number }>;
}

export interface TimelineView {
  plannerId: string;
  name: string;
  siteKey: string;
  /** The zone the plan's clock times are in, for the editor to show times in. */
  timeZone: string;
  nowMs: number;
  slotMs: number;
  planner: Plan['planner'];
  costEur: number;
  slots: TimelineSlot[];
  loads: TimelineLoad[];
}

export interface TimelineSource {
  plannerId: string;
  name: string;
  siteKey: string;
  request: PlanRequest;
  input: PlannerInput;
  plan: Plan;
  views: LoadPlanView[];
}

const round = (value: number | null | undefined): number | null => (value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value));

function priceAt(prices: readonly TimedPrice[], atMs: number): number | null {
  return prices.find((p) => p.startMs <= atMs && atMs < p.endMs)?.importEurPerKwh ?? null;
}

/** Slot start → average power, from a measured series or the [start, integral, covered] rows of a load. */
function byStart(samples: ReadonlyArray<{ startMs: number; powerW: number }>): Map<number, number> {
  return new Map(samples.map((s) => [s.startMs, s.powerW]));
}

function pastSlots(request: PlanRequest, firstFutureMs: number): TimelineSlot[] {
  const pv = byStart(request.pvHistory.samples);
  const house = byStart(request.baseLoadHistory.samples);
  const slots: TimelineSlot[] = [];
  for (let startMs = firstFutureMs - PAST_MS; startMs < firstFutureMs; startMs += SLOT_MS) {
    slots.push({ startMs, measured: true, importEurPerKwh: priceAt(request.prices, startMs), pvW: round(pv.get(startMs)), houseW: round(house.get(startMs)), socPct: null, gridW: null });
  }
  return slots;
}

function futureSlots(input: PlannerInput, plan: Plan): TimelineSlot[] {
  const site = new Map(plan.site.map((s) => [s.startMs, s]));
  return input.slots.map((slot) => {
    const planned = site.get(slot.startMs);
    return {
      startMs: slot.startMs,
      measured: false,
      importEurPerKwh: slot.importEurPerKwh,
      pvW: round(slot.pvForecastW),
      houseW: round(slot.baseLoadForecastW),
      socPct: planned?.socPct === null || planned?.socPct === undefined ? null : Math.round(planned.socPct * 10) / 10,
      gridW: round(planned?.gridW),
    };
  });
}

function measuredLoad(request: PlanRequest, loadId: string, fromMs: number, toMs: number): TimelineLoad['measured'] {
  const rows = request.progress[loadId]?.energy ?? [];
  return rows
    .filter(([startMs, , coveredMs]) => startMs >= fromMs && startMs < toMs && coveredMs > 0)
    .sort(([a], [b]) => a - b)
    .map(([startMs, integralMs, coveredMs]) => ({ startMs, powerW: Math.round(integralMs / coveredMs) }));
}

export function timelineView(source: TimelineSource): TimelineView {
  const { request, input, plan } = source;
  const firstFutureMs = input.slots[0]?.startMs ?? Math.floor(input.nowMs / SLOT_MS) * SLOT_MS;
  const names = new Map(input.loads.map((l) => [l.id, l.name ?? l.id]));
  return {
    plannerId: source.plannerId,
    name: source.name,
    siteKey: source.siteKey,
    timeZone: input.timeZone,
    nowMs: input.nowMs,
    slotMs: SLOT_MS,
    planner: plan.planner,
    costEur: Math.round(plan.cost.totalEur * 100) / 100,
    slots: [...pastSlots(request, firstFutureMs), ...futureSlots(input, plan)],
    loads: source.views.map((v) => ({
      id: v.loadId,
      name: names.get(v.loadId) ?? v.loadId,
      promise: v.promise,
      reason: v.reason,
      planned: v.slots.map((s) => ({ startMs: s.startMs, endMs: s.endMs, powerW: Math.round(s.powerW) })),
      measured: measuredLoad(request, v.loadId, firstFutureMs - PAST_MS, firstFutureMs),
    })),
  };
}
