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
