import { describe, expect, it } from 'vitest';
import { SHOWN_VALUE_MAX_CHARS, showValue } from '../../src/engine/show-value';

describe('showValue', () => {
  it('shows plain values as JSON would', () => {
    expect(showValue('boost')).toBe('"boost"');
    expect(showValue(12.5)).toBe('12.5');
    expect(showValue(Number.NaN)).toBe('NaN');
    expect(showValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(showValue(null)).toBe('null');
    expect(showValue(undefined)).toBe('missing');
    expect(showValue({ on: true, powerW: [1, 2] })).toBe('{"on":true,"powerW":[1,2]}');
    expect(showValue(10n)).toBe('10n');
  });

  it('never throws on values JSON.stringify and String cannot take', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(showValue(circular)).toBe('{"a":1,"self":[circular]}');
    expect(showValue({ toString: 1, valueOf: 'x' })).toBe('{"toString":1,"valueOf":"x"}');
    const bare = Object.create(null) as Record<string, unknown>;
    bare.mode = 'on';
    expect(showValue(bare)).toBe('{"mode":"on"}');
    const throwing = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(showValue(throwing)).toBe('{"boom":unreadable}');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(showValue(revoked.proxy)).toBe('an unreadable value');
    expect(showValue(() => 1)).toBe('a function');
    expect(showValue(Symbol('s'))).toBe('a symbol');
  });

  it('cuts huge and deep values short', () => {
    const shown = showValue(Array.from({ length: 100_000 }, (_, i) => i));
    expect(shown).toBe('[0,1,2,3,4,5,6,7,… 100000 items]');
    expect(showValue('x'.repeat(1_000_000)).length).toBe(SHOWN_VALUE_MAX_CHARS);
    expect(showValue({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{…}}}}');
  });
});
