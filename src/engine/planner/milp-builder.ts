/** Appending columns and rows to a MilpModel; indices are positions, so the model stays plain data. */
import type { MilpColumnScope, MilpModel } from './types';

export interface LinearTerm {
  column: number;
  coefficient: number;
}

export function emptyModel(): MilpModel {
  return { columns: [], rows: [] };
}

export function addColumn(model: MilpModel, lower: number, upper: number, cost = 0, integer = false): number {
  model.columns.push({ lower, upper, cost, integer });
  return model.columns.length - 1;
}

/** A 0/1 decision over the slots of its scope. */
export function addBinary(model: MilpModel, scope: MilpColumnScope, cost = 0, penalty = false): number {
  model.columns.push({ lower: 0, upper: 1, cost, integer: true, scope, ...(penalty ? { penalty } : {}) });
  return model.columns.length - 1;
}

/** How far a promise is broken, priced at its penalty. */
export function addPenalty(model: MilpModel, upper: number, cost: number): number {
  model.columns.push({ lower: 0, upper, cost, integer: false, penalty: true });
  return model.columns.length - 1;
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
