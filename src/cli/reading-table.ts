import { DISPLAY_PRECISION, MEASUREMENTS } from '../engine/measurements';
import type { InstallationFinding } from '../devices/installation-check';
import type { Reading } from '../engine/reading';

/** Rows of the installation table: one quantity per row, phases side by side, as an installer reads them. */
const ROWS: ReadonlyArray<{ label: string; names: [string?, string?, string?, string?] }> = [
  { label: 'P (W)', names: ['power_l1_w', 'power_l2_w', 'power_l3_w', 'power_w'] },
  { label: 'Q (var)', names: ['reactive_power_l1_var', 'reactive_power_l2_var', 'reactive_power_l3_var', 'reactive_power_var'] },
  { label: 'S (VA)', names: ['apparent_power_l1_va', 'apparent_power_l2_va', 'apparent_power_l3_va', 'apparent_power_va'] },
  { label: 'PF', names: ['power_factor_l1', 'power_factor_l2', 'power_factor_l3', 'power_factor'] },
  { label: 'I (A)', names: ['current_l1_a', 'current_l2_a', 'current_l3_a', 'current_n_a'] },
  { label: 'V L-N (V)', names: ['voltage_l1_v', 'voltage_l2_v', 'voltage_l3_v'] },
  { label: 'V L-L (V)', names: ['voltage_l1_l2_v', 'voltage_l2_l3_v', 'voltage_l3_l1_v'] },
  { label: 'THD V (%)', names: ['thd_voltage_l1_pct', 'thd_voltage_l2_pct', 'thd_voltage_l3_pct'] },
  { label: 'THD I (%)', names: ['thd_current_l1_pct', 'thd_current_l2_pct', 'thd_current_l3_pct'] },
  { label: 'Import (kWh)', names: ['energy_import_l1_kwh', 'energy_import_l2_kwh', 'energy_import_l3_kwh', 'energy_import_kwh'] },
  { label: 'Export (kWh)', names: ['energy_export_l1_kwh', 'energy_export_l2_kwh', 'energy_export_l3_kwh', 'energy_export_kwh'] },
  { label: 'Q import (kvarh)', names: [undefined, undefined, undefined, 'reactive_energy_import_kvarh'] },
  { label: 'Q export (kvarh)', names: [undefined, undefined, undefined, 'reactive_energy_export_kvarh'] },
  { label: 'Hz', names: [undefined, undefined, undefined, 'frequency_hz'] },
];
const HEADER = ['', 'L1', 'L2', 'L3', 'Total/N'];

function format(name: string | undefined, values: Record<string, number>): string {
  if (!name || values[name] === undefined) return '';
  const quantity = MEASUREMENTS[name]?.quantity;
  return values[name].toFixed(quantity ? DISPLAY_PRECISION[quantity] : 3);
}

/** A fixed-width table of the values the reading has (rows with nothing are left out), then what looks miswired. */
export function formatReadingTable(reading: Reading, findings: readonly InstallationFinding[] = []): string {
  const listed = new Set(ROWS.flatMap((r) => r.names).filter(Boolean));
  const rows = ROWS.map((r) => [r.label, ...[0, 1, 2, 3].map((i) => format(r.names[i], reading.values))]).filter((cells) =>
    cells.slice(1).some((c) => c !== ''),
  );
  // Anything a profile provides beyond the table still shows, one per row.
  for (const name of Object.keys(reading.values).filter((n) => !listed.has(n))) {
    const unit = MEASUREMENTS[name]?.unit;
    rows.push([unit ? `${name} (${unit})` : name, '', '', '', format(name, reading.values)]);
  }
  const table = [HEADER, ...rows];
  const widths = HEADER.map((_, col) => Math.max(...table.map((row) => row[col].length)));
  const lines = table.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd());
  const missing = Object.entries(reading.quality ?? {}).map(([name, why]) => `  missing ${name}: ${why}`);
  const check = findings.length === 0 ? ['installation check: nothing suspicious'] : findings.map((f) => `  check: ${f.message}`);
  return [`${reading.device} at ${reading.timestamp}`, ...lines, ...missing, ...check].join('\n');
}
