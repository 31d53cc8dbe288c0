import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const HEMS = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** Ten days of each real data file, under the full files' names (test/fixtures/README.md). */
const DATA_SLICE = join(ROOT, 'test', 'fixtures', 'data');

async function hems(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [HEMS, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const SERIES = [
  'timestamp,base_load_w,pv_w,import_price_eur_per_kwh,export_price_eur_per_kwh',
  ...Array.from({ length: 48 }, (_, i) => {
    const h = i % 24;
    return `2024-06-${String(3 + Math.floor(i / 24)).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z,400,${h >= 9 && h < 17 ? 5000 : 0},0.30,0.08`;
  }),
].join('\n');

const VALID = {
  name: 'test home',
  site: { pv_peak_w: 6000 },
  battery: { capacity_kwh: 5, max_charge_w: 2500, max_discharge_w: 2500, efficiency: 0.9, min_soc_pct: 10, max_soc_pct: 100, initial_soc_pct: 50 },
  loads: [
    { id: 'ev', kind: 'modulating', control: 'current', min_current_a: 6, max_current_a: 16, phases: 1, priority: 1, mode: 'min_surplus',
      demand: { type: 'ev_sessions', sessions: [{ arrive: '08:00', depart: '18:00', energy_kwh: 10 }] } },
    { id: 'boiler', kind: 'on_off', power_w: 2000, priority: 2, mode: 'surplus',
      demand: { type: 'hot_water_tank', capacity_kwh: 6, draws: [{ at: '19:00', kwh: 3 }] } },
  ],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hems-simulate-'));
});

describe('hems simulate', () => {
  it('prints every KPI as JSON and writes the per-interval CSV', async () => {
    const out = join(dir, 'result.csv');
    const { code, stdout, stderr } = await hems('simulate', '--scenario', file('ok.json', JSON.stringify(VALID)), '--data', file('ok.csv', SERIES), '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const kpis = JSON.parse(stdout);
    for (const key of ['import_kwh', 'export_kwh', 'self_consumption_pct', 'self_sufficiency_pct', 'cost_eur', 'peak_import_w', 'deadlines_met', 'deadlines_missed']) {
      expect(typeof kpis[key], key).toBe('number');
    }
    expect(kpis.days).toBe(2);
    expect(kpis.deadlines_met + kpis.deadlines_missed).toBe(4);
    expect(Object.keys(kpis.switches_per_load_per_day.per_load)).toEqual(['ev', 'boiler']);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('timestamp,base_load_w,pv_w,grid_w,battery_w,battery_soc_pct,ev_w,boiler_w');
    expect(csv).toHaveLength(49);
  });

  const broken = (mutate: (s: any) => void) => {
    const scenario = structuredClone(VALID) as any;
    mutate(scenario);
    return scenario;
  };

  it.each([
    ['strategy', broken((s) => (s.strategy = 'greedy')), 'strategy = "greedy": must be one of pv_surplus, no_control'],
    ['step_seconds', broken((s) => (s.step_seconds = 7)), 'step_seconds = 7: must be a whole number of seconds from 5 to 900 that divides an hour'],
    ['unknown top-level field', broken((s) => (s.weather = 'sunny')), 'weather: unknown field'],
    ['site.import_cap_w', broken((s) => (s.site.import_cap_w = -1)), 'site.import_cap_w = -1: must be a power in W above 0'],
    ['site.export_limit_w without pv_peak_w', broken((s) => (s.site = { export_limit_w: 0 })), 'site.pv_peak_w = missing: must be the installed PV peak power in W'],
    ['site.fuse_limit_a', broken((s) => (s.site.fuse_limit_a = 35)), 'site.fuse_limit_a: the series has no per-phase currents'],
    ['site.battery_policy.soc_pct', broken((s) => (s.site.battery_policy = { kind: 'battery_first_until_soc', soc_pct: 120 })), 'site.battery_policy.soc_pct = 120: must be a state of charge in % between 0 and 100'],
    ['battery.capacity_kwh', broken((s) => (s.battery.capacity_kwh = 0)), 'battery.capacity_kwh = 0: must be the usable capacity in kWh, above 0'],
    ['battery.efficiency', broken((s) => (s.battery.efficiency = 1.2)), 'battery.efficiency = 1.2: must be the round-trip efficiency between 0 and 1'],
    ['battery.initial_soc_pct', broken((s) => (s.battery.initial_soc_pct = 5)), 'battery.initial_soc_pct = 5: must be a state of charge in % between min_soc_pct and max_soc_pct'],
    ['prices.import_eur_per_kwh', broken((s) => (s.prices = { import_eur_per_kwh: 'cheap' })), 'prices.import_eur_per_kwh = "cheap": must be a price in €/kWh'],
    ['loads', broken((s) => (s.loads = {})), 'loads = {}: must be a list of loads'],
    ['loads[].max_current_a', broken((s) => (s.loads[0].max_current_a = 40)), 'loads[0].max_current_a = 40:'],
    ['loads[].power_w', broken((s) => (s.loads[1].power_w = 0)), 'loads[1].power_w = 0: must be the load’s power in W, above 0'],
    ['loads[].mode', broken((s) => (s.loads[1].mode = 'min_surplus')), 'loads[1].mode = "min_surplus":'],
    ['loads[].kind', broken((s) => (s.loads[1].kind = 'toaster')), 'loads[1].kind = "toaster": must be one of on_off, stepped, modulating, sg_ready'],
    ['loads[].id duplicate', broken((s) => (s.loads[1].id = 'ev')), 'loads[1].id = "ev": is used by more than one load'],
    ['loads[].demand', broken((s) => delete s.loads[0].demand), 'loads[0].demand = missing: must be one of ev_sessions, hot_water_tank, daily_runtime, always'],
    ['demand session time', broken((s) => (s.loads[0].demand.sessions[0].depart = '25:00')), 'loads[0].demand.sessions[0].depart = "25:00": must be a time of day "HH:MM" in UTC'],
    ['demand session days', broken((s) => (s.loads[0].demand.sessions[0].days = ['monday'])), 'loads[0].demand.sessions[0].days = ["monday"]: must be a list of weekdays'],
    ['demand draw too large', broken((s) => (s.loads[1].demand.draws[0].kwh = 9)), 'loads[1].demand.draws[0].kwh = 9: must be the energy drawn in kWh, above 0 and at most capacity_kwh'],
    ['demand unknown field', broken((s) => (s.loads[1].demand.litres = 200)), 'loads[1].demand.litres: unknown field for hot_water_tank'],
    ['daily runtime hours', broken((s) => (s.loads[1].demand = { type: 'daily_runtime', hours: 30, from: '08:00', by: '18:00' })), 'loads[1].demand.hours = 30: must be the hours it must run per day'],
  ])('refuses a scenario with a bad %s, naming the field', async (_what, scenario, message) => {
    const { code, stderr, stdout } = await hems('simulate', '--scenario', file('bad.json', JSON.stringify(scenario)), '--data', file('ok.csv', SERIES));
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([
    ['a missing column', SERIES.replace('pv_w', 'solar_w'), 'lacks column(s) pv_w'],
    ['a bad timestamp', SERIES.replace('2024-06-03T05:00:00Z', '2024-06-03 05:00'), 'line 7: timestamp = "2024-06-03 05:00": must be ISO 8601 in UTC'],
    ['an empty cell', SERIES.replace('2024-06-03T05:00:00Z,400', '2024-06-03T05:00:00Z,'), 'line 7: base_load_w = "": must be the average household power in W over the interval, 0 or more; fill gaps'],
    ['negative PV', SERIES.replace('2024-06-03T10:00:00Z,400,5000', '2024-06-03T10:00:00Z,400,-5'), 'line 12: pv_w = "-5": must be the average PV power in W'],
    ['a gap over an hour', SERIES.replace(/\n2024-06-03T05:00:00Z[^\n]*/, ''), 'line 7: timestamp 2024-06-03T06:00:00Z is 120 min after the previous row'],
    ['a bad price', SERIES.replace('0.30,0.08', 'free,0.08'), 'line 2: import_price_eur_per_kwh = "free": must be a price in €/kWh'],
  ])('refuses a series with %s, naming line and column', async (_what, series, message) => {
    const { code, stderr } = await hems('simulate', '--scenario', file('ok.json', JSON.stringify(VALID)), '--data', file('bad.csv', series));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('takes the planner budget as options and reports the plans that fell back to greedy', async () => {
    const run = (...budget: string[]) => hems('simulate', '--scenario', file('ok.json', JSON.stringify(VALID)), '--data', file('ok.csv', SERIES), '--strategy', 'planner', ...budget);
    const milp = JSON.parse((await run('--node-limit', '50')).stdout).planning;
    expect(milp.plans).toBeGreaterThan(0);
    expect(milp.greedy_fallbacks).toBe(0);
    expect(milp.stopped_at_work_limit).toBe(0);
    const greedy = JSON.parse((await run('--time-limit', '0')).stdout).planning;
    expect(greedy.greedy_fallbacks).toBe(greedy.plans);
    const bad = await run('--node-limit', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--node-limit 0: must be a whole number of branch-and-cut nodes, 1 or more, e.g. 500 (the planner's default)");
    expect((await run('--time-limit', 'soon')).stderr).toContain('--time-limit soon: must be seconds, 0 or more');
  });

  it('says which file it cannot read or parse', async () => {
    expect((await hems('simulate', '--scenario', join(dir, 'nope.json'), '--data', 'x.csv')).stderr).toContain('--scenario');
    expect((await hems('simulate', '--scenario', file('broken.json', '{ "loads": ['), '--data', 'x.csv')).stderr).toContain('not valid JSON');
    expect((await hems('simulate', '--data', 'x.csv')).stderr).toContain('--scenario FILE is required');
  });
});

describe('hems simulate on a slice of the real data', () => {
  it('builds gapless series with scripts/make-series.mjs and runs an example scenario on them', async () => {
    const out = join(dir, 'series');
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'make-series.mjs'), '--data', DATA_SLICE, '--out', out]);
    // 2016-05-16 to 2016-05-25 hourly, the DST-free slice of the Konstanz house: every hour listed once.
    expect(readFileSync(join(out, 'konstanz-hourly.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 240);
    const { code, stdout, stderr } = await hems('simulate', '--scenario', join(ROOT, 'scenarios', 'small-home-ev-water-heater.json'), '--data', join(out, 'france-30min.csv'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const kpis = JSON.parse(stdout);
    expect(kpis.days).toBe(10);
    expect(kpis.pv_kwh).toBeGreaterThan(150);
    expect(kpis.loads.ev.deadlines_missed).toBe(0);
  }, 120_000);

  it('make-series without a data folder says what it needs', async () => {
    const run = promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'make-series.mjs'), '--out', join(dir, 'none')], { env: { ...process.env, HEMS_DATA_DIR: '' } });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('HEMS_DATA_DIR') });
  });
});
