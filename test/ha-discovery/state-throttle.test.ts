import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntitySpec, SensorSpec } from '../../src/ha-discovery/entities';
import { plannerDevice } from '../../src/ha-discovery/devices/planner';
import { measurementSensor } from '../../src/ha-discovery/measurement-entities';
import {
  deviceThrottleRules,
  parseStateRate,
  StateThrottle,
  THROTTLE_RULES,
  throttleKind,
  type ThrottleClock,
  type ThrottleKind,
} from '../../src/ha-discovery/state-throttle';

/** A clock the test moves by hand; due timers fire as it passes them. */
function manualClock() {
  let nowMs = 0;
  let timers: Array<{ atMs: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const clock: ThrottleClock = {
    now: () => nowMs,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ atMs: nowMs + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advanceTo = (ms: number) => {
    for (;;) {
      const due = timers.filter((t) => t.atMs <= ms).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      nowMs = due.atMs;
      due.fn();
    }
    nowMs = ms;
  };
  return { clock, advanceTo, pending: () => timers.length };
}

function throttled(kind: ThrottleKind) {
  const { clock, advanceTo, pending } = manualClock();
  const sent: Array<[number, string | number]> = [];
  const throttle = new StateThrottle((_topic, value) => sent.push([clock.now(), value]), clock);
  /** Offers each [timeMs, value] in turn, then lets the clock run to `untilMs`. */
  const feed = (steps: Array<[number, string | number]>, untilMs: number) => {
    for (const [atMs, value] of steps) {
      advanceTo(atMs);
      throttle.offer('t', value, THROTTLE_RULES[kind]);
    }
    advanceTo(untilMs);
    return sent;
  };
  return { feed, throttle, sent, pending };
}

describe('state throttle rules per entity kind', () => {
  it('power: drift at most every 10 s, a step of ≥ 50 W (or 2 %) within 5 s', () => {
    const { feed } = throttled('power');
    const steps: Array<[number, number]> = [
      [0, 1000],
      [1000, 1010], // drift: held
      [2000, 1020], // drift: replaces the held one
      [11_000, 1030], // due at 10 s already went out; this one waits for 20 s
      [12_000, 2000], // a step: 5 s after the last send
    ];
    expect(feed(steps, 60_000)).toEqual([
      [0, 1000],
      [10_000, 1020],
      [15_000, 2000],
    ]);
  });

  it('power: the deadband is the larger of 50 W and 2 % of the last value', () => {
    const { feed } = throttled('power');
    // At 10 kW 2 % is 200 W: a 150 W move is drift, a 250 W move a step.
    expect(feed([[0, 10_000], [6000, 10_150], [6500, 10_250]], 30_000)).toEqual([
      [0, 10_000],
      [6500, 10_250],
    ]);
  });

  it('current: a step of ≥ 0.5 A within 5 s, drift every 30 s', () => {
    const { feed } = throttled('current');
    expect(feed([[0, 4], [6000, 4.2], [7000, 5]], 60_000)).toEqual([
      [0, 4],
      [7000, 5],
    ]);
    const drift = throttled('current').feed([[0, 4], [6000, 4.2]], 60_000);
    expect(drift).toEqual([[0, 4], [30_000, 4.2]]);
  });

  it('voltage: a move of ≥ 2 % (4.6 V at 230 V, 8 V between phases) after 10 s, drift every minute', () => {
    const { feed } = throttled('voltage');
    expect(feed([[0, 230], [3000, 236], [4000, 233]], 120_000)).toEqual([
      [0, 230],
      [60_000, 233], // the 6 V step was replaced by drift before its 10 s were up
    ]);
    expect(throttled('voltage').feed([[0, 230], [3000, 236]], 120_000)).toEqual([[0, 230], [10_000, 236]]);
    expect(throttled('voltage').feed([[0, 400], [3000, 406]], 120_000)).toEqual([[0, 400], [60_000, 406]]);
  });

  it('frequency: a move of ≥ 0.05 Hz after 10 s, drift every minute', () => {
    expect(throttled('frequency').feed([[0, 50], [1000, 49.94]], 100_000)).toEqual([[0, 50], [10_000, 49.94]]);
    expect(throttled('frequency').feed([[0, 50], [1000, 50.01]], 100_000)).toEqual([[0, 50], [60_000, 50.01]]);
  });

  it('energy counters: when they moved ≥ 0.01 kWh (at most once a minute), else every 5 min', () => {
    const { feed } = throttled('counter');
    const steps: Array<[number, number]> = [
      [0, 100],
      [30_000, 100.005], // below the deadband: waits for 5 min
      [90_000, 100.012], // moved 0.012 and a minute is up: at once
      [100_000, 100.03], // moved, but within the minute: at 150 s
    ];
    expect(feed(steps, 600_000)).toEqual([
      [0, 100],
      [90_000, 100.012],
      [150_000, 100.03],
    ]);
    expect(throttled('counter').feed([[0, 100], [1000, 100.001]], 600_000)).toEqual([[0, 100], [300_000, 100.001]]);
  });

  it('level (battery, percentages): a move of ≥ 1 after 10 s, drift every minute', () => {
    expect(throttled('level').feed([[0, 50], [1000, 52]], 100_000)).toEqual([[0, 50], [10_000, 52]]);
    expect(throttled('level').feed([[0, 50], [1000, 50.5]], 100_000)).toEqual([[0, 50], [60_000, 50.5]]);
  });

  it('entities HA hides by default: once a minute whatever the change', () => {
    expect(throttled('hidden').feed([[0, 0.9], [1000, 0.5], [2000, 0.95]], 200_000)).toEqual([[0, 0.9], [60_000, 0.95]]);
  });

  it('sends a text among numbers (unknown) at once, and nothing for a value equal to the last sent', () => {
    const { feed, pending } = throttled('power');
    expect(feed([[0, 1000], [1000, 1001], [2000, 1000], [3000, 'unknown']], 100_000)).toEqual([
      [0, 1000],
      [3000, 'unknown'],
    ]);
    expect(pending()).toBe(0);
  });

  it('flush sends every held state now and stops the timer', () => {
    const { feed, throttle, sent, pending } = throttled('counter');
    feed([[0, 1], [1000, 1.001]], 2000);
    throttle.flush();
    expect(sent).toEqual([[0, 1], [2000, 1.001]]);
    expect(pending()).toBe(0);
  });

  it('keeps one timer for many held topics and sends each when due', () => {
    const { clock, advanceTo, pending } = manualClock();
    const sent: string[] = [];
    const throttle = new StateThrottle((topic, value) => sent.push(`${clock.now()} ${topic}=${value}`), clock);
    throttle.offer('p', 100, THROTTLE_RULES.power);
    throttle.offer('e', 1, THROTTLE_RULES.counter);
    advanceTo(1000);
    throttle.offer('p', 101, THROTTLE_RULES.power);
    throttle.offer('e', 1.001, THROTTLE_RULES.counter);
    expect(pending()).toBe(1);
    advanceTo(400_000);
    expect(sent).toEqual(['0 p=100', '0 e=1', '10000 p=101', '300000 e=1.001']);
  });
});

describe('state throttle, for any sequence of values', () => {
  const kinds = Object.keys(THROTTLE_RULES) as ThrottleKind[];
  const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.oneof(fc.integer({ min: -5000, max: 5000 }), fc.constant('unknown'))), { minLength: 1, maxLength: 60 });

  it('sends the latest value in the end, never two numbers closer than the minimum interval, and nothing twice in a row', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), steps, (kind, gaps) => {
        const { feed } = throttled(kind);
        let atMs = 0;
        const timed = gaps.map(([gapMs, value]): [number, string | number] => [(atMs += gapMs), value]);
        const sent = feed(timed, atMs + 400_000);
        expect(sent.at(-1)![1]).toBe(timed.at(-1)![1]);
        for (let i = 1; i < sent.length; i++) {
          expect(sent[i][1]).not.toBe(sent[i - 1][1]);
          if (typeof sent[i][1] === 'number' && typeof sent[i - 1][1] === 'number') {
            expect(sent[i][0] - sent[i - 1][0]).toBeGreaterThanOrEqual(THROTTLE_RULES[kind].minIntervalMs);
          }
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});

describe('which rule an entity follows', () => {
  const cases: Array<[EntitySpec, ThrottleKind | undefined]> = [
    [measurementSensor('power_w'), 'power'],
    [measurementSensor('power_l2_w'), 'power'],
    [measurementSensor('current_l1_a'), 'current'],
    [measurementSensor('voltage_l1_v'), 'voltage'],
    [measurementSensor('frequency_hz'), 'frequency'],
    [measurementSensor('energy_import_kwh'), 'counter'],
    [measurementSensor('battery_soc_pct'), 'level'],
    [measurementSensor('reactive_power_var'), 'hidden'],
    [measurementSensor('power_factor'), 'hidden'],
    [{ kind: 'sensor', key: 'pulse_total', name: 'Water', deviceClass: 'water', stateClass: 'total_increasing', unit: 'm³' }, 'counter'],
    [{ kind: 'sensor', key: 'starts_today', name: 'Starts', stateClass: 'total_increasing' }, 'counter'],
    [{ kind: 'sensor', key: 'reason', name: 'Reason' }, undefined],
    [{ kind: 'sensor', key: 'limit_w', name: 'Applied limit', deviceClass: 'power', stateClass: 'measurement', unit: 'W', everyChange: true }, undefined],
    [{ kind: 'sensor', key: 'next', name: 'Next start', deviceClass: 'timestamp' }, undefined],
    // A plan changes when it is replanned: each new one goes out at once.
    [plannerDevice('planner', 'Planner', []).entities.find((e) => e.key === 'plan')!, undefined],
    [{ kind: 'binary_sensor', key: 'alarm', name: 'Alarm', deviceClass: 'problem' }, undefined],
    [{ kind: 'select', key: 'mode', name: 'Mode', options: ['auto', 'off'] }, undefined],
    [{ kind: 'number', key: 'priority', name: 'Priority', min: 0, max: 10, step: 1 }, undefined],
    [{ kind: 'switch', key: 'relay', name: 'Relay' }, undefined],
  ];
  it.each(cases)('%j → %s', (entity, kind) => {
    expect(throttleKind(entity)).toBe(kind);
  });

  it('a device set to "all" throttles nothing; "quiet" (the default) its measurements', () => {
    const entities: SensorSpec[] = [measurementSensor('power_w'), { kind: 'sensor', key: 'reason', name: 'Reason' }];
    expect([...deviceThrottleRules({ deviceId: 'm', name: 'M', entities }).keys()]).toEqual(['power_w']);
    expect(deviceThrottleRules({ deviceId: 'm', name: 'M', entities, states: 'all' }).size).toBe(0);
  });

  it('reads the node setting, blank meaning quiet, and names a wrong one', () => {
    expect(parseStateRate(undefined)).toBe('quiet');
    expect(parseStateRate('')).toBe('quiet');
    expect(parseStateRate('all')).toBe('all');
    expect(() => parseStateRate('loud')).toThrow('Home Assistant states "loud" is not one of quiet, all');
  });
});
