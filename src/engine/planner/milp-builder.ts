/** Appending columns and rows to a MilpModel; indices are positions, so the model stays plain data. */
import type { MilpColumnScope, MilpModel } from './types';

export interface LinearTerm {
  column: number;
  coefficient: number;
}

export function emptyModel(): MilpModel {
  return { columns: [], rows: [] };
}

function push(model: MilpModel, column: MilpModel['columns'][number]): number {
  return model.columns.push(column) - 1;
}

/** A continuous quantity (kW, kWh) within its bounds. */
export function addColumn(model: MilpModel, lower: number, upper: number, cost = 0): number {
  return push(model, { lower, upper, cost, integer: false });
}

/** A 0/1 decision over the slots of its scope; `penalty` when choosing it breaks a promise (a late run). */
export function addBinary(model: MilpModel, scope: MilpColumnScope, cost = 0, penalty = false): number {
  return push(model, { lower: 0, upper: 1, cost, integer: true, scope, ...(penalty ? { penalty } : {}) });
}

/** How far a promise is broken, priced at its penalty. */
export function addPenalty(model: MilpModel, upper: number, cost: number): number {
  return push(model, { lower: 0, upper, cost, integer: false, penalty: true });
}

/** lower ≤ Σ terms ≤ upper; repeated columns are merged because solvers refuse duplicates in a row. */
export function addRow(model: MilpModel, terms: LinearTerm[], lower: number, upper: number): void {
  const merged = new Map<number, number>();
  for (const term of terms) merged.set(term.column, (merged.get(term.column) ?? 0) + term.coefficient);
  const entries = [...merged].filter(([, value]) => value !== 0);
  model.rows.push({ lower, upper, indices: entries.map(([column]) => column), values: entries.map(([, value]) => value) });
}

export function term(column: number, coefficient = 1): LinearTerm {
  return { column, coefficient };
}

export function scaled(terms: LinearTerm[], factor: number): LinearTerm[] {
  return terms.map((t) => ({ column: t.column, coefficient: t.coefficient * factor }));
}
