/**
 * HiGHS (WebAssembly, npm `highs`) behind the MilpSolver interface. Loading compiles the bundled
 * highs.wasm from node_modules once (asynchronous, no network); solving is synchronous and pure.
 */
import loadHighs from 'highs';
import type { Highs } from 'highs';
import type { MilpModel, MilpResult, MilpSolver, MilpStatus } from './types';

/** HiGHS model status codes (HighsModelStatus) that come with a usable point; 16 is how HiGHS reports its node limit. */
const STATUS_BY_CODE: Record<number, MilpStatus> = { 7: 'optimal', 13: 'time_limit', 14: 'work_limit', 16: 'work_limit' };
const FEASIBLE_PRIMAL = 2;

/**
 * A fixed seed, and the wasm build runs HiGHS on one thread (it refuses the `threads` option), so the
 * same model takes the same path on any machine. Presolve off unless asked: on
 * whole plans it costs more than it saves (5 loads × 96 slots: median 165 → 89 ms, docs/planner.md);
 * sub-problems with most columns fixed shrink to a fraction with it.
 */
const HIGHS_OPTIONS = { output_flag: false, random_seed: 0 } as const;

/** Row-wise (CSR) arrays as HiGHS takes them. */
function modelData(highs: Highs, model: MilpModel) {
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of model.rows) {
    indices.push(...row.indices);
    values.push(...row.values);
    starts.push(indices.length);
  }
  const bound = (v: number): number => (v === Number.POSITIVE_INFINITY ? highs.infinity : v === Number.NEGATIVE_INFINITY ? -highs.infinity : v);
  const type = highs.constants.variableType;
  return {
    numCols: model.columns.length,
    numRows: model.rows.length,
    colCost: model.columns.map((c) => c.cost),
    colLower: model.columns.map((c) => bound(c.lower)),
    colUpper: model.columns.map((c) => bound(c.upper)),
    rowLower: model.rows.map((r) => bound(r.lower)),
    rowUpper: model.rows.map((r) => bound(r.upper)),
    integrality: model.columns.map((c) => (c.integer ? type.integer : type.continuous)),
    matrix: { format: 'csr' as const, numRows: model.rows.length, numCols: model.columns.length, starts, indices, values },
  };
}

export function highsSolver(highs: Highs): MilpSolver {
  return {
    name: 'highs',
    solve(model, { timeLimitMs, nodeLimit, relativeGap, absoluteGap, start, presolve = false }): MilpResult {
      return highs.withModel(modelData(highs, model), (m): MilpResult => {
        m.options.set({ ...HIGHS_OPTIONS, presolve: presolve ? 'on' : 'off', time_limit: timeLimitMs / 1000, mip_max_nodes: nodeLimit, mip_rel_gap: relativeGap, mip_abs_gap: absoluteGap });
        if (start !== undefined) m.setSolution({ colValue: Array.from(start) });
        const { modelStatus } = m.run();
        const status = STATUS_BY_CODE[modelStatus];
        const feasible = Number(m.info.get('primal_solution_status')) === FEASIBLE_PRIMAL;
        if (status === undefined || !feasible) return { status: 'failed', message: `HiGHS ended with model status ${modelStatus}` };
        const solution = m.getSolution();
        const isLp = model.columns.every((c) => !c.integer);
        return { status, values: Array.from(solution.colValue), ...(isLp ? { rowDuals: Array.from(solution.rowDual) } : {}) };
      });
    },
  };
}

/** Loads HiGHS once per process; every planner shares it. */
let loading: Promise<MilpSolver> | undefined;
export function loadHighsSolver(): Promise<MilpSolver> {
  if (loading === undefined) loading = loadHighs().then(highsSolver);
  return loading;
}
