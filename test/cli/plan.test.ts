import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { PLANNER_SCENARIO, PLANNER_SERIES } from '../simulation/fixtures';

let scenario: string;
let series: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'hems-plan-'));
  scenario = join(dir, 'scenario.json');
  series = join(dir, 'series.csv');
  writeFileSync(scenario, JSON.stringify(PLANNER_SCENARIO));
  writeFileSync(series, PLANNER_SERIES);
});

const AT = '2024-06-03T17:00:00Z';

describe('hems plan', () => {
  it('prints the plan as JSON with kept and broken promises', async () => {
    const { code, stdout } = await hems('plan', '--scenario', scenario, '--data', series, '--at', AT, '--json');
    expect(code).toBe(0);
    const { plan, input } = JSON.parse(stdout);
    expect(input.nowMs).toBe(Date.parse(AT));
    expect(plan.planner).toBe('milp');
    const ev = plan.loads.find((l: { loadId: string }) => l.loadId === 'ev');
    const boat = plan.loads.find((l: { loadId: string }) => l.loadId === 'boat');
    expect(ev.jobs[0]).toMatchObject({ kept: true, reason: 'EV: 10.0 of 10.0 kWh by 07:00' });
    expect(boat.jobs[0]).toMatchObject({ kept: false, reason: 'Boat: 4.0 of 30.0 kWh by 21:00 — only 2 h between 19:00 and 21:00 at 2.0 kW' });
    // The negative import price draws the EV to 02:00–04:00.
    expect(ev.slots.filter((s: { startMs: number; powerW: number }) => s.powerW > 0 && [2, 3].includes(new Date(s.startMs).getUTCHours()))).toHaveLength(8);
  });

  it('prints a timeline with the slots as bars, next start and finish, and each promise', async () => {
    const { code, stdout } = await hems('plan', '--scenario', scenario, '--data', series, '--at', AT, '--horizon-hours', '24');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^plan at 2024-06-03 17:00Z for 24 h \(highs, \d+ ms\)/);
    // From 17:00 one mark per hour: the boat runs 19:00–21:00, the EV in the cheap hours 02:00–04:00 and after.
    expect(lines.find((l) => l.startsWith('Boat'))).toMatch(/^Boat {18}··██·+ {2}next start 06-03 19:00, finish 06-03 21:00$/);
    expect(lines.find((l) => l.startsWith('EV'))).toMatch(/^EV {20}·{9}██/);
    expect(stdout).toContain('    kept   EV: 10.0 of 10.0 kWh by 07:00');
    expect(stdout).toContain('    BROKEN Boat: 4.0 of 30.0 kWh by 21:00 — only 2 h between 19:00 and 21:00 at 2.0 kW');
    expect(stdout).toMatch(/site: cost -?\d+\.\d\d € \(import .* €, export −.* €\), import \d+\.\d kWh, export \d+\.\d kWh/);
  });

  it.each([
    [['--data', 'SERIES', '--at', AT], '--scenario FILE is required'],
    [['--scenario', 'SCENARIO', '--at', AT], '--data FILE is required'],
    [['--scenario', 'SCENARIO', '--data', 'SERIES'], '--at TIMESTAMP is required'],
    [['--scenario', 'SCENARIO', '--data', 'SERIES', '--at', 'tomorrow'], '--at tomorrow: must be an ISO 8601 time in UTC'],
    [['--scenario', 'SCENARIO', '--data', 'SERIES', '--at', '2030-01-01T00:00:00Z'], '--at 2030-01-01T00:00:00Z: is outside the series, which runs from 2024-06-03T00:00:00.000Z to 2024-06-05T00:00:00.000Z'],
    [['--scenario', 'SCENARIO', '--data', 'SERIES', '--at', AT, '--horizon-hours', '72'], '--horizon-hours 72: must be a whole number of hours from 24 to 48'],
    [['--scenario', 'SCENARIO', '--data', 'SERIES', '--at', AT, '--forecast', 'crystal'], '--forecast crystal: must be one of perfect, persistence'],
    [['--scenario', 'missing.json', '--data', 'SERIES', '--at', AT], '--scenario missing.json: cannot read it (ENOENT)'],
  ])('usage error %j', async (args, message) => {
    const resolved = args.map((a) => (a === 'SCENARIO' ? scenario : a === 'SERIES' ? series : a));
    const { code, stderr } = await hems('plan', ...resolved);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
