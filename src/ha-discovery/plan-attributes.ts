/**
 * The plan as Home Assistant sees it: the attributes of the planner's `plan` sensor, one column per
 * series over the slots of the horizon (docs/home-assistant.md, *The plan in Home Assistant*).
 * Columns, not one object per slot, because HA's recorder stores no attributes at all above
 * 16 384 bytes (MAX_STATE_ATTRS_BYTES): a 48-hour plan of 192 slots with a few loads fits as
 * columns and would not as rows. Pure: the planner node publishes what this returns.
 */
import type { Plan, PlannerInput } from '../engine/planner';

/** The shape's version: a dashboard can check it; raised when a key changes meaning or goes. */
export const PLAN_ATTRIBUTES_SHAPE = 1;

/**
 * HA's recorder drops the attributes of a state whose JSON exceeds 16 384 bytes; HA adds its own
 * (friendly_name, icon, device_class, unit_of_measurement), so ours stop well below.
 */
export const PLAN_ATTRIBUTES_MAX_BYTES = 15_000;

/** A type, not an interface, so it is the plain record publishAttributes takes. */
export type PlanAttributes = {
  shape: number;
  planned_at: string;
  planner: string;
  solver: string;
  fallback_reason: string | null;
  solve_ms: number;
  cost_eur: { import: number; export: number; demand_charge: number; wear: number; total: number };
  slot_minutes: number;
  /** Slot starts, ISO 8601 UTC. */
  start: string[];
  /** Import price per slot; null where none is known. */
  price_eur_per_kwh: Array<number | null>;
  pv_forecast_w: number[];
  /** Planned power per load id, per slot. */
  load_w: Record<string, number[]>;
  /** State of charge at the end of each slot; only with a battery. */
  battery_soc_pct?: number[];
  /** Slots at the end of the horizon left out to stay below PLAN_ATTRIBUTES_MAX_BYTES. */
  slots_omitted: number;
};

const SLOT_MINUTES = 15;
const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
};
/** "2026-12-05T12:00:00Z": a slot starts on the minute, so no milliseconds. */
const isoMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16) + ':00Z';

function columns(plan: Plan, input: PlannerInput, count: number): Pick<PlanAttributes, 'start' | 'price_eur_per_kwh' | 'pv_forecast_w' | 'load_w' | 'battery_soc_pct'> {
  const slots = input.slots.slice(0, count);
  const loadW = Object.fromEntries(
    plan.loads.map((load) => {
      const byStart = new Map(load.slots.map((s) => [s.startMs, s.powerW]));
      return [load.loadId, slots.map((s) => Math.round(byStart.get(s.startMs) ?? 0))];
    }),
  );
  const socByStart = new Map(plan.site.map((s) => [s.startMs, s.socPct]));
  return {
    start: slots.map((s) => isoMinute(s.startMs)),
    price_eur_per_kwh: slots.map((s) => (s.importEurPerKwh === null ? null : round(s.importEurPerKwh, 4))),
    pv_forecast_w: slots.map((s) => Math.round(s.pvForecastW)),
    load_w: loadW,
    ...(input.battery ? { battery_soc_pct: slots.map((s) => round(socByStart.get(s.startMs) ?? 0, 1)) } : {}),
  };
}

const bytesOf = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** The plan's attributes, the horizon shortened from its end only as far as the size limit asks. */
export function planAttributes(plan: Plan, input: PlannerInput, plannedAtMs: number, maxBytes = PLAN_ATTRIBUTES_MAX_BYTES): PlanAttributes {
  const total = input.slots.length;
  const build = (count: number): PlanAttributes => ({
    shape: PLAN_ATTRIBUTES_SHAPE,
    planned_at: new Date(plannedAtMs).toISOString(),
    planner: plan.planner,
    solver: plan.solver,
    fallback_reason: plan.fallbackReason ?? null,
    solve_ms: Math.round(plan.solveMs),
    cost_eur: {
      import: round(plan.cost.importEur, 2),
      export: round(plan.cost.exportEur, 2),
      demand_charge: round(plan.cost.demandChargeEur, 2),
      wear: round(plan.cost.wearEur, 2),
      total: round(plan.cost.totalEur, 2),
    },
    slot_minutes: SLOT_MINUTES,
    ...columns(plan, input, count),
    slots_omitted: total - count,
  });
  const whole = build(total);
  if (bytesOf(whole) <= maxBytes) return whole;
  // The most slots that fit: slots differ in size (a running load writes more digits), so a search.
  let fits = 0;
  let tooMany = total;
  while (tooMany - fits > 1) {
    const count = Math.floor((fits + tooMany) / 2);
    if (bytesOf(build(count)) <= maxBytes) fits = count;
    else tooMany = count;
  }
  return build(fits);
}
