/** A small house for planner tests: two days, hourly; cheap (negative) import 02:00–04:00, negative feed-in 11:00–13:00. */
export const NEGATIVE_IMPORT_HOURS = [2, 3];
export const NEGATIVE_EXPORT_HOURS = [11, 12];

export const PLANNER_SERIES = [
  'timestamp,base_load_w,pv_w,import_price_eur_per_kwh,export_price_eur_per_kwh',
  ...Array.from({ length: 48 }, (_, i) => {
    const h = i % 24;
    const importPrice = NEGATIVE_IMPORT_HOURS.includes(h) ? -0.05 : 0.3;
    const exportPrice = NEGATIVE_EXPORT_HOURS.includes(h) ? -0.02 : 0.08;
    return `2024-06-${String(3 + Math.floor(i / 24)).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z,400,${h >= 9 && h < 17 ? 5000 : 0},${importPrice},${exportPrice}`;
  }),
].join('\n');

export const PLANNER_SCENARIO = {
  name: 'planner test home',
  strategy: 'planner',
  site: { pv_peak_w: 6000 },
  loads: [
    {
      id: 'ev',
      name: 'EV',
      kind: 'modulating',
      control: 'current',
      min_current_a: 6,
      max_current_a: 16,
      phases: 1,
      priority: 1,
      mode: 'min_surplus',
      demand: { type: 'ev_sessions', sessions: [{ arrive: '18:00', depart: '07:00', energy_kwh: 10 }] },
    },
    {
      id: 'boat',
      name: 'Boat',
      kind: 'on_off',
      power_w: 2000,
      priority: 2,
      mode: 'surplus',
      // 30 kWh in 2 h at 2 kW cannot be done: a promise the plan must break, with its reason.
      demand: { type: 'ev_sessions', sessions: [{ arrive: '19:00', depart: '21:00', energy_kwh: 30 }] },
    },
  ],
};

/**
 * Issue #14's case, one day, hourly: PV from 07:00, the feed-in price high in the morning (0.08
 * EUR/kWh 07:00–09:00) and lowest at midday (0.006 EUR/kWh 11:00–13:00); a heat pump needs 2 h
 * between 06:00 and 18:00.
 */
export const MORNING_EXPORT_HOURS = [7, 8];
export const MIDDAY_EXPORT_HOURS = [11, 12];
const VARIABLE_EXPORT: Record<number, number> = { 7: 0.08, 8: 0.08, 9: 0.04, 10: 0.02, 11: 0.006, 12: 0.006, 13: 0.02, 14: 0.04 };

export function surplusSeries(flatExportEurPerKwh?: number): string {
  return [
    'timestamp,base_load_w,pv_w,import_price_eur_per_kwh,export_price_eur_per_kwh',
    ...Array.from({ length: 24 }, (_, h) => {
      const pvW = h >= 7 && h < 9 ? 3000 : h >= 9 && h < 15 ? 5000 : 0;
      const exportPrice = flatExportEurPerKwh ?? VARIABLE_EXPORT[h] ?? 0.05;
      return `2024-06-03T${String(h).padStart(2, '0')}:00:00Z,300,${pvW},0.3,${exportPrice}`;
    }),
  ].join('\n');
}

export const SURPLUS_SCENARIO = {
  name: 'heat pump under a variable feed-in price',
  strategy: 'planner',
  site: { pv_peak_w: 6000 },
  loads: [
    {
      id: 'heatpump',
      name: 'Heat pump',
      kind: 'on_off',
      power_w: 2000,
      priority: 1,
      mode: 'surplus',
      demand: { type: 'daily_runtime', hours: 2, from: '06:00', by: '18:00' },
    },
  ],
};
