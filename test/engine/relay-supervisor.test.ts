import { describe, expect, it } from 'vitest';
import { decideRelay, startState, type RelayEvent, type RelayMemory, type RelaySettings } from '../../src/engine/relay';

const S: RelaySettings = { safeState: 'off', commandTimeoutSeconds: 60, feedbackTimeoutSeconds: 5 };
const T0 = 1_000_000;

function run(events: Array<[number, RelayEvent]>, settings = S, memory: RelayMemory = {}) {
  return events.map(([s, event]) => {
    const d = decideRelay(settings, memory, event, T0 + s * 1000);
    memory = d.memory;
    return d;
  });
}

describe('decideRelay', () => {
  it('writes a command once, and again only when it changes or the relay disagrees', () => {
    const ds = run([
      [0, { type: 'command', on: true, source: 'optimiser' }],
      [1, { type: 'feedback', on: true }],
      [5, { type: 'command', on: true, source: 'optimiser' }],
      [6, { type: 'command', on: false, source: 'optimiser' }],
    ]);
    expect(ds.map((d) => d.write)).toEqual([true, undefined, undefined, false]);
    expect(ds[0].reason).toBe('on: command from optimiser');
  });

  it('raises a mismatch when the relay reports another state after the feedback timeout, and clears it', () => {
    const ds = run([
      [0, { type: 'command', on: true, source: 'ha' }],
      [1, { type: 'feedback', on: false }],
      [4, { type: 'tick' }],
      [6, { type: 'tick' }],
      [7, { type: 'feedback', on: true }],
    ]);
    expect(ds.map((d) => d.mismatch)).toEqual([undefined, undefined, undefined, 'commanded on, relay reports off', undefined]);
  });

  it('raises a mismatch when no read-back comes at all', () => {
    const ds = run([[0, { type: 'command', on: true, source: 'ha' }], [10, { type: 'tick' }]]);
    expect(ds[1].mismatch).toBe('no read-back for 10 s after switching on');
  });

  it.each([
    ['off', false, 'safe state off: no command from optimiser for 61 s'],
    ['on', true, 'safe state on: no command from optimiser for 61 s'],
    ['hold', undefined, 'safe state hold: no command from optimiser for 61 s'],
  ] as const)('applies safe state %s once when the command source falls silent', (safeState, write, reason) => {
    const ds = run([
      [0, { type: 'command', on: safeState === 'off', source: 'optimiser' }],
      [61, { type: 'tick' }],
      [70, { type: 'tick' }],
    ], { ...S, safeState });
    expect(ds[1].write).toBe(write);
    expect(ds[1].reason).toBe(reason);
    expect(ds[2].write).toBeUndefined();
  });

  it('writes the wanted state again when the device comes back', () => {
    const ds = run([[0, { type: 'command', on: true, source: 'ha' }], [3, { type: 'reconnected' }]]);
    expect(ds[1]).toMatchObject({ write: true, reason: 'device back: on again' });
  });

  it('never times out when the command timeout is 0', () => {
    const ds = run([[0, { type: 'command', on: true, source: 'ha' }], [100_000, { type: 'tick' }]], { ...S, commandTimeoutSeconds: 0 });
    expect(ds[1].write).toBeUndefined();
  });
});

describe('startState', () => {
  it.each([
    ['off', 'safe', true, false],
    ['on', 'safe', undefined, true],
    ['off', 'last', true, true],
    ['off', 'last', undefined, false],
    ['hold', 'safe', false, undefined],
  ] as const)('safe %s, start %s, persisted %s → %s', (safeState, start, persisted, expected) => {
    expect(startState({ ...S, safeState }, start, persisted)).toBe(expected);
  });
});
