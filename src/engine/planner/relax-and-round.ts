/**
 * Relax and round: the planner's first try, before branch and cut (docs/planner.md, "Relax and
 * round"); large sites it settles in a fraction of branch and cut's time. The LP relaxation gives a lower bound on the cost and each slot's marginal
 * energy price (the duals of the rows that couple loads, the per-slot balances). Each load whose
 * relaxed schedule is fractional is then rounded on its own: a small MILP over its own columns and
 * rows, pricing its energy at those duals and steering its power towards the relaxed one, less what
 * the loads rounded before it already over- or under-shot in that slot. Finally the site (grid,
 * battery, PV) is re-optimised with every load fixed. The result is feasible by construction and
 * comes with its distance from the bound, so the caller knows whether it is optimal within the gap.
 */
import { SLOT_HOURS } from './horizon';
import type { LoadColumns, ModelLayout } from './build-model';
import type { MilpModel, MilpSolveOptions, MilpSolver } from './types';

/** What a kWh off the relaxed schedule costs beyond its dual price: steers rounding errors of later loads to cancel earlier ones. */
export const MISMATCH_EUR_PER_KWH = 0.03;
/** Integer columns within this many slots of a fractional one stay free when a load is rounded; the rest keep their relaxed 0 or 1. */
export const ROUNDING_RADIUS_SLOTS = 4;

const INTEGRALITY_TOLERANCE = 1e-6;
/** Penalties are tens of EUR per kWh or slot; a cent more means a promise broke further. */
const PENALTY_TOLERANCE_EUR = 0.01;

export interface RoundedPlan {
  values: number[];
  objective: number;
  /** The LP relaxation's objective: no plan costs less. */
  lowerBound: number;
}

/** The gaps and limits every solve of the rounding runs with. */
export type RoundingOptions = Pick<MilpSolveOptions, 'relativeGap' | 'absoluteGap' | 'timeLimitMs' | 'nodeLimit'>;

export function objectiveOf(model: MilpModel, values: ArrayLike<number>): number {
  return model.columns.reduce((sum, column, j) => sum + column.cost * values[j], 0);
}

function isFractional(value: number): boolean {
  return Math.abs(value - Math.round(value)) > INTEGRALITY_TOLERANCE;
}

/** Rows by column, for the columns of one block: which outside rows each touches and how. */
type Coupling = Map<number, { column: number; coefficient: number }[]>;

function couplingRows(model: MilpModel, columns: [number, number], ownRows: [number, number]): Coupling {
  const coupling: Coupling = new Map();
  model.rows.forEach((row, i) => {
    if (i >= ownRows[0] && i < ownRows[1]) return;
    row.indices.forEach((j, k) => {
      if (j < columns[0] || j >= columns[1]) return;
      if (!coupling.has(i)) coupling.set(i, []);
      coupling.get(i)!.push({ column: j, coefficient: row.values[k] });
    });
  });
  return coupling;
}

/** Free the integer columns near a fractional one; fix the others at their relaxed 0 or 1. */
function neighbourhoodBounds(model: MilpModel, block: [number, number], relaxed: ArrayLike<number>): { lower: number; upper: number }[] {
  const fractional = [];
  for (let j = block[0]; j < block[1]; j += 1) if (model.columns[j].integer && isFractional(relaxed[j])) fractional.push(model.columns[j].scope!);
  const bounds = [];
  for (let j = block[0]; j < block[1]; j += 1) {
    const column = model.columns[j];
    const scope = column.scope;
    const near = scope !== undefined && fractional.some((f) => scope.fromSlot < f.toSlot + ROUNDING_RADIUS_SLOTS && scope.toSlot > f.fromSlot - ROUNDING_RADIUS_SLOTS);
    bounds.push(!column.integer || near || isFractional(relaxed[j]) ? { lower: column.lower, upper: column.upper } : { lower: Math.round(relaxed[j]), upper: Math.round(relaxed[j]) });
  }
  return bounds;
}

/**
 * One load's rounding problem: its own columns and rows, the coupling rows' duals added to its
 * costs (the Lagrangian price of its energy), and per coupling row a penalised mismatch between
 * the block's contribution and the relaxed one less the carry of the loads before it.
 */
function roundingModel(model: MilpModel, load: LoadColumns, coupling: Coupling, relaxed: ArrayLike<number>, duals: ArrayLike<number>, carry: Map<number, number>, withNeighbourhood: boolean): MilpModel {
  const [from, to] = load.block.columns;
  const bounds = withNeighbourhood ? neighbourhoodBounds(model, load.block.columns, relaxed) : model.columns.slice(from, to);
  const columns = model.columns.slice(from, to).map((column, k) => ({ ...column, lower: bounds[k].lower, upper: bounds[k].upper }));
  const rows = model.rows.slice(load.block.rows[0], load.block.rows[1]).map((row) => ({ ...row, indices: row.indices.map((j) => j - from) }));
  const mismatchCost = MISMATCH_EUR_PER_KWH * SLOT_HOURS;
  for (const [i, entries] of coupling) {
    let relaxedActivity = 0;
    for (const { column, coefficient } of entries) {
      columns[column - from].cost -= coefficient * duals[i];
      relaxedActivity += coefficient * relaxed[column];
    }
    const over = columns.push({ lower: 0, upper: Number.POSITIVE_INFINITY, cost: mismatchCost, integer: false }) - 1;
    const under = columns.push({ lower: 0, upper: Number.POSITIVE_INFINITY, cost: mismatchCost, integer: false }) - 1;
    const target = relaxedActivity - (carry.get(i) ?? 0);
    rows.push({ lower: target, upper: target, indices: [...entries.map((e) => e.column - from), over, under], values: [...entries.map((e) => e.coefficient), -1, 1] });
  }
  return { columns, rows };
}

/** What the block's broken promises cost at these values (offset: where the block starts in them). */
function penaltyCost(model: MilpModel, block: [number, number], values: ArrayLike<number>, offset: number): number {
  let cost = 0;
  for (let j = block[0]; j < block[1]; j += 1) if (model.columns[j].penalty === true) cost += model.columns[j].cost * values[j - offset];
  return cost;
}

function largestPowerKw(load: LoadColumns): number {
  return Math.max(0, ...load.powerKw.map((terms) => terms.reduce((sum, t) => sum + Math.abs(t.coefficient), 0)));
}

/** Fix a load's integer columns at these values (offset: where its block starts in them). */
function fixRounded(fixed: MilpModel['columns'], load: LoadColumns, values: ArrayLike<number>, offset: number): void {
  for (let j = load.block.columns[0]; j < load.block.columns[1]; j += 1) {
    if (!fixed[j].integer) continue;
    fixed[j].lower = Math.round(values[j - offset]);
    fixed[j].upper = fixed[j].lower;
  }
}

/** The relaxed plan rounded load by load, or undefined when the solver gives no duals or fails. */
export function relaxAndRound(model: MilpModel, layout: ModelLayout, solver: MilpSolver, options: RoundingOptions): RoundedPlan | undefined {
  const solve = (m: MilpModel, presolve: boolean) => solver.solve(m, { ...options, presolve });
  const relaxation = solve({ columns: model.columns.map((c) => ({ ...c, integer: false })), rows: model.rows }, false);
  if (relaxation.values === undefined || relaxation.rowDuals === undefined) return undefined;
  const relaxed = relaxation.values;
  const fixed = model.columns.map((c) => ({ ...c }));
  // How far the loads rounded so far moved each coupling row from the relaxation.
  const carry = new Map<number, number>();
  // Small loads first: measured a little closer to the optimum than large first (docs/planner.md).
  const loads = [...layout.loads.values()].sort((a, b) => largestPowerKw(a) - largestPowerKw(b));
  for (const load of loads) {
    const from = load.block.columns[0];
    if (!fixed.slice(...load.block.columns).some((c, k) => c.integer && isFractional(relaxed[from + k]))) {
      fixRounded(fixed, load, relaxed, 0);
      continue;
    }
    const coupling = couplingRows(model, load.block.columns, load.block.rows);
    let result = solve(roundingModel(model, load, coupling, relaxed, relaxation.rowDuals, carry, true), true);
    // Fixing the far slots can leave a promise no way to be kept that the relaxation had: then free them all.
    const brokeMore = (r: typeof result): boolean => r.values !== undefined && penaltyCost(model, load.block.columns, r.values, from) > penaltyCost(model, load.block.columns, relaxed, 0) + PENALTY_TOLERANCE_EUR;
    if (result.values === undefined || brokeMore(result)) {
      result = solve(roundingModel(model, load, coupling, relaxed, relaxation.rowDuals, carry, false), true);
    }
    if (result.values === undefined) return undefined;
    const values = result.values;
    for (const [i, entries] of coupling) {
      carry.set(i, (carry.get(i) ?? 0) + entries.reduce((sum, e) => sum + e.coefficient * (values[e.column - from] - relaxed[e.column]), 0));
    }
    fixRounded(fixed, load, values, from);
  }
  const final = solve({ columns: fixed, rows: model.rows }, true);
  if (final.values === undefined) return undefined;
  const values = Array.from(final.values);
  return { values, objective: objectiveOf(model, values), lowerBound: objectiveOf(model, relaxed) };
}
