import { describe, expect, it } from 'vitest';
import type { DemandSpec, DemandState } from '../../src/engine/simulation/demand';
import { plannerJobs, TANK_RESERVE_KWH } from '../../src/engine/simulation/planner-jobs';

const at = (iso: string) => Date.parse(iso);
const MON_NOON = at('2024-06-03T12:00:00Z');
const window = { nowMs: MON_NOON, untilMs: MON_NOON + 36 * 3_600_000 };
const onOff500 = { kind: 'on_off' as const, powerW: 500 };
const charger = { kind: 'modulating' as const, minPowerW: 1380, maxPowerW: 11040 };

describe('scenario demand → planner jobs', () => {
  const cases: Array<[string, DemandSpec, DemandState | undefined, object[]]> = [
    [
      'EV: each session in the horizon, the overnight one due the next morning, on its arrival days only',
      { type: 'ev_sessions', sessions: [{ days: ['mon', 'tue'], arrive: '17:30', depart: '07:00', energyKwh: 10 }] },
      undefined,
      [
        { id: 'session-0@2024-06-03T17:30', energyWh: 10_000, upToWh: 10_345, window: { kind: 'once', earliestStartMs: at('2024-06-03T17:30:00Z'), deadlineMs: at('2024-06-04T07:00:00Z') } },
        { id: 'session-0@2024-06-04T17:30', energyWh: 10_000, window: { deadlineMs: at('2024-06-05T07:00:00Z') } },
      ],
    ],
    [
      'EV under way with a simulated car: what it still needs',
      { type: 'ev_sessions', sessions: [{ arrive: '10:00', depart: '16:00', energyKwh: 8 }] },
      { job: { energyKwh: 8, remainingKwh: 3, departMs: at('2024-06-03T16:00:00Z') }, met: 0, missed: 0 },
      [{ id: 'session-0@2024-06-03T10:00', energyWh: 8000, doneWh: 5000 }, { id: 'session-0@2024-06-04T10:00', energyWh: 8000 }],
    ],
    [
      'EV under way but no car in the simulation (it came for another session): nothing now',
      { type: 'ev_sessions', sessions: [{ arrive: '10:00', depart: '16:00', energyKwh: 8 }] },
      { met: 0, missed: 0 },
      [{ id: 'session-0@2024-06-04T10:00' }],
    ],
    [
      'tank: before each draw what it will lack, plus a reserve; more up to full is welcome',
      { type: 'hot_water_tank', capacityKwh: 3, initialPct: 100, lossKwhPerDay: 0, reheatBelowPct: 100, draws: [{ at: '18:00', kwh: 2 }] },
      { storedKwh: 1, met: 0, missed: 0 },
      [
        { id: 'draw@2024-06-03T18:00', energyWh: (2 + TANK_RESERVE_KWH - 1) * 1000, upToWh: 2000, window: { earliestStartMs: MON_NOON, deadlineMs: at('2024-06-03T18:00:00Z') } },
        { id: 'draw@2024-06-04T18:00', energyWh: 2000, window: { earliestStartMs: at('2024-06-03T18:00:00Z') } },
        { id: 'draw@2024-06-05T18:00' },
      ],
    ],
    [
      'tank full enough: nothing needed for the next draw',
      { type: 'hot_water_tank', capacityKwh: 8, initialPct: 100, lossKwhPerDay: 0, reheatBelowPct: 100, draws: [{ at: '20:00', kwh: 3 }] },
      undefined,
      [{ id: 'draw@2024-06-03T20:00', energyWh: 0 }, { id: 'draw@2024-06-04T20:00', energyWh: 0 }, { id: 'draw@2024-06-05T20:00' }],
    ],
    [
      'daily runtime: the window under way counts what ran; tomorrow’s is whole',
      { type: 'daily_runtime', hours: 6, from: '07:00', by: '19:00' },
      { runSeconds: 7200, windowEndMs: at('2024-06-03T19:00:00Z'), met: 0, missed: 0 },
      [
        { id: 'runtime@2024-06-03T07:00', kind: 'runtime', runtimeMinutes: 360, interruptible: true, doneMinutes: 120 },
        { id: 'runtime@2024-06-04T07:00', runtimeMinutes: 360, window: { earliestStartMs: at('2024-06-04T07:00:00Z'), deadlineMs: at('2024-06-04T19:00:00Z') } },
      ],
    ],
    ['always: no deadline, no job', { type: 'always' }, undefined, []],
  ];

  it.each(cases)('%s', (_name, demand, state, expected) => {
    const power = demand.type === 'ev_sessions' ? charger : onOff500;
    const jobs = plannerJobs(demand, power, window, state);
    expect(jobs).toHaveLength(expected.length);
    expected.forEach((job, i) => expect(jobs[i]).toMatchObject(job));
  });

  it('plans a job a slot before it is due when asked to, but not once that slot is the last one left', () => {
    const demand: DemandSpec = { type: 'daily_runtime', hours: 1, from: '07:00', by: '19:00' };
    const early = { ...window, finishEarlyMs: 15 * 60_000 };
    expect(plannerJobs(demand, onOff500, early)[0].window).toMatchObject({ deadlineMs: at('2024-06-03T18:45:00Z') });
    const lastSlot = { ...early, nowMs: at('2024-06-03T18:45:00Z') };
    expect(plannerJobs(demand, onOff500, lastSlot)[0].window).toMatchObject({ deadlineMs: at('2024-06-03T19:00:00Z') });
  });
});
