/** The optional `--out` file: one row per series interval, averages in W. */
import type { IntervalResult } from './simulate';

export function resultCsv(intervals: readonly IntervalResult[], loadIds: readonly string[]): string {
  const header = ['timestamp', 'base_load_w', 'pv_w', 'grid_w', 'battery_w', 'battery_soc_pct', ...loadIds.map((id) => `${id}_w`)];
  const rows = intervals.map((r) =>
    [
      new Date(r.startMs).toISOString(),
      Math.round(r.baseLoadW),
      Math.round(r.pvW),
      Math.round(r.gridW),
      Math.round(r.batteryW),
      r.batterySocPct === null ? '' : r.batterySocPct.toFixed(1),
      ...loadIds.map((id) => Math.round(r.loadW[id])),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
