import { describe, expect, it } from 'vitest';
import {
  decideSgReady,
  DEFAULT_SG_READY_SETTINGS as S,
  initialSgReadyMemory,
  relaysFor,
  SG_READY_CONTACTS,
  validateSgReadySettings,
  type SgReadyEvent,
  type SgReadyMemory,
  type SgReadySettings,
} from '../../src/engine/sg-ready';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 8, 0);

/** Runs events at given minutes after T0 and returns every decision. */
function run(events: Array<[number, SgReadyEvent]>, settings: SgReadySettings = S, memory: SgReadyMemory = initialSgReadyMemory(T0 - 60 * MIN)) {
  const decisions = [];
  for (const [minute, event] of events) {
    const d = decideSgReady(settings, memory, event, T0 + minute * MIN);
    decisions.push(d);
    memory = d.memory;
  }
  return decisions;
}
const req = (state: 'lock' | 'normal' | 'recommend' | 'force_on', reason = 'optimiser'): SgReadyEvent => ({ type: 'request', state, reason });

describe('SG Ready contacts and wiring', () => {
  it('encodes the four BWP states as contact 1 : contact 2', () => {
    expect(SG_READY_CONTACTS).toEqual({ lock: [true, false], normal: [false, false], recommend: [false, true], force_on: [true, true] });
  });

  it.each([
    ['NO wiring, contact 1 on relay a', { contact1: { relay: 'a', terminal: 'NO' }, contact2: { relay: 'b', terminal: 'NO' } }, 'lock', { a: true, b: false }],
    ['contacts swapped onto the relays', { contact1: { relay: 'b', terminal: 'NO' }, contact2: { relay: 'a', terminal: 'NO' } }, 'lock', { a: false, b: true }],
    ['contact 2 on an NC terminal', { contact1: { relay: 'a', terminal: 'NO' }, contact2: { relay: 'b', terminal: 'NC' } }, 'normal', { a: false, b: true }],
    ['both NC, forced on', { contact1: { relay: 'a', terminal: 'NC' }, contact2: { relay: 'b', terminal: 'NC' } }, 'force_on', { a: false, b: false }],
  ] as const)('%s', (_what, wiring, state, relays) => {
    expect(relaysFor(state, wiring)).toEqual(relays);
  });

  it('refuses two contacts on one relay, and impossible timings, naming the field', () => {
    expect(validateSgReadySettings({ ...S, minDwellSeconds: 0, maxLocksPerDay: 1.5, wiring: { contact1: { relay: 'a', terminal: 'NO' }, contact2: { relay: 'a', terminal: 'NO' } } })).toEqual([
      'minDwellSeconds 0 must be a number above 0',
      'maxLocksPerDay 1.5 must be a whole number, 0 to never lock',
      'contact 1 and contact 2 are both on relay a: give each contact its own relay',
    ]);
    expect(validateSgReadySettings(S)).toEqual([]);
  });
});

describe('decideSgReady', () => {
  it('follows the optimiser, with its reason', () => {
    const [d] = run([[0, req('recommend', 'surplus 3.2 kW ≥ 3.0 kW')]]);
    expect(d).toMatchObject({ state: 'recommend', changed: true, relays: { a: false, b: true }, reason: 'recommend (3): surplus 3.2 kW ≥ 3.0 kW' });
  });

  it('holds every state for the minimum dwell, and then changes', () => {
    const ds = run([[0, req('recommend')], [4, req('normal')], [10, req('normal')]]);
    expect(ds.map((d) => [d.state, d.reason])).toEqual([
      ['recommend', 'recommend (3): optimiser'],
      ['recommend', 'held recommend (3): minimum dwell, 6 min left (wants normal (2))'],
      ['normal', 'normal (2): optimiser'],
    ]);
  });

  it('a burst of conflicting commands changes the contacts at most once per dwell', () => {
    const states = ['lock', 'normal', 'recommend', 'force_on'] as const;
    const events: Array<[number, SgReadyEvent]> = Array.from({ length: 600 }, (_, i) => [i * 0.1, req(states[(i * 7) % 4])]);
    const ds = run(events);
    const changes = ds.map((d, i) => ({ d, at: events[i][0] })).filter(({ d }) => d.changed);
    for (let i = 1; i < changes.length; i++) expect(changes[i].at - changes[i - 1].at).toBeGreaterThanOrEqual(10);
    expect(changes.length).toBeGreaterThan(2);
  });

  it('ends a lock after 2 h whatever is asked, and keeps normal as long as the lock lasted', () => {
    const ds = run([[0, { type: 'mode', mode: 'lock' }], [119, { type: 'tick' }], [120, { type: 'tick' }], [150, { type: 'tick' }], [241, { type: 'tick' }]]);
    expect(ds.map((d) => [d.state, d.reason])).toEqual([
      ['lock', 'lock (1): manual lock'],
      ['lock', 'lock (1): manual lock'],
      ['normal', 'normal (2): lock ended after 2 h (limit 2 h)'],
      ['normal', 'normal (2): lock refused, normal for 1 h 30 min more after the last lock'],
      ['lock', 'lock (1): manual lock'],
    ]);
    expect(ds[3].lockLimit).toBe('normal for 1 h 30 min more after the last lock');
  });

  it('allows at most the configured number of locks in 24 h', () => {
    const settings = { ...S, maxLocksPerDay: 2, minGapBetweenLocksSeconds: 600 };
    const ds = run([
      [0, req('lock')], [20, req('normal')], [40, req('lock')], [60, req('normal')], [80, req('lock')], [24 * 60 + 1, req('lock')],
    ], settings);
    expect(ds.map((d) => d.state)).toEqual(['lock', 'normal', 'lock', 'normal', 'normal', 'lock']);
    expect(ds[4].reason).toBe('normal (2): lock refused, 2 locks in 24 h already (limit 2)');
  });

  it('goes back to normal when the optimiser falls silent, and says why', () => {
    const ds = run([[0, req('force_on')], [5, { type: 'tick' }], [16, { type: 'tick' }]]);
    expect(ds.map((d) => [d.state, d.reason])).toEqual([
      ['force_on', 'force on (4): optimiser'],
      ['force_on', 'force on (4): optimiser'],
      ['normal', 'normal (2): control lost: no command for 16 min'],
    ]);
  });

  it('a manual mode from HA wins over the optimiser until set back to auto', () => {
    const ds = run([[0, { type: 'mode', mode: 'force' }], [1, req('lock')], [20, { type: 'mode', mode: 'auto' }], [21, req('recommend')]]);
    expect(ds.map((d) => d.state)).toEqual(['force_on', 'force_on', 'normal', 'normal']);
    expect(ds[2].reason).toBe('normal (2): control lost: no command for 19 min');
    expect(ds[3].reason).toBe('held normal (2): minimum dwell, 9 min left (wants recommend (3))');
  });

  it('holds normal for the minimum dwell after start too', () => {
    const [d] = run([[0, req('force_on')]], S, initialSgReadyMemory(T0));
    expect(d.reason).toBe('held normal (2): minimum dwell, 10 min left (wants force on (4))');
  });

  it('counts the time spent in each state', () => {
    const ds = run([[0, req('recommend')], [15, req('normal')], [20, { type: 'tick' }]], S, initialSgReadyMemory(T0 - 10 * MIN));
    expect(ds.at(-1)!.memory.timeInStateMs).toEqual({ lock: 0, normal: 15 * MIN, recommend: 15 * MIN, force_on: 0 });
  });

  it('keeps its memory as plain JSON', () => {
    const [d] = run([[0, req('lock')]]);
    expect(JSON.parse(JSON.stringify(d.memory))).toEqual(d.memory);
  });
});
