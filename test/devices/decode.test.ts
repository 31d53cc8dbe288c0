import { describe, expect, it } from 'vitest';
import { decodeRegister } from '../../src/devices/decode';
import { encodeRegister } from '../../src/devices/encode';
import type { RegisterSpec } from '../../src/devices/profile';

const reg = (over: Partial<RegisterSpec>): RegisterSpec => ({ name: 'power_w', table: 'input', address: 0, type: 'uint16', ...over });

describe('decodeRegister', () => {
  // Words written out by hand from the IEEE-754 / two's-complement encodings.
  it.each([
    ['uint16', [0xfffe], 'big', 65534],
    ['int16', [0xfffe], 'big', -2],
    ['uint32', [0x0001, 0x0002], 'big', 65538],
    ['uint32', [0x0002, 0x0001], 'little', 65538],
    ['int32', [0xffff, 0xfb2e], 'big', -1234],
    ['int32', [0xfb2e, 0xffff], 'little', -1234],
    ['float32', [0x4366, 0x199a], 'big', 230.1],
    ['float32', [0x199a, 0x4366], 'little', 230.1],
    ['float32', [0xc49a, 0x1000], 'big', -1232.5],
    ['uint64', [0x0000, 0x0001, 0x0000, 0x0000], 'big', 4294967296],
    ['uint64', [0x0000, 0x0000, 0x0001, 0x0000], 'little', 4294967296],
  ] as const)('%s %j (%s word order) → %d', (type, words, order, expected) => {
    expect(decodeRegister(reg({ type }), words, order)).toBe(expected);
  });

  it('applies scale and then the sign rule', () => {
    expect(decodeRegister(reg({ type: 'int32', scale: 0.1 }), [0x0000, 0x08fd], 'big')).toBe(230.1);
    expect(decodeRegister(reg({ type: 'int32', scale: 0.1, sign: 'negate' }), [0x0000, 0x08fd], 'big')).toBe(-230.1);
    expect(decodeRegister(reg({ type: 'int16', scale: 0.001, sign: 'abs' }), [0xfc4a], 'big')).toBe(0.95);
  });

  it('clamps PV-style registers at zero', () => {
    expect(decodeRegister(reg({ type: 'int32', sign: 'non_negative' }), [0xffff, 0xfff6], 'big')).toBe(0);
    expect(decodeRegister(reg({ type: 'int32', sign: 'non_negative' }), [0x0000, 0x0bb8], 'big')).toBe(3000);
  });

  it("reads the device's no-value marker as no value", () => {
    expect(decodeRegister(reg({ type: 'int32', scale: 0.01 }), [0x7fff, 0xffff], 'big', 0x7fffffff)).toBeUndefined();
    expect(decodeRegister(reg({ type: 'uint16' }), [0xffff], 'big', 0xffff)).toBeUndefined();
    expect(decodeRegister(reg({ type: 'uint16' }), [0xfffe], 'big', 0xffff)).toBe(0xfffe);
  });

  it('a register-level word order wins over the profile default', () => {
    expect(decodeRegister(reg({ type: 'uint32', wordOrder: 'little' }), [0x0002, 0x0001], 'big')).toBe(65538);
  });

  it('NaN and infinity are no value, not a number to publish', () => {
    expect(decodeRegister(reg({ type: 'float32' }), [0x7fc0, 0x0000], 'big')).toBeUndefined();
    expect(decodeRegister(reg({ type: 'float32' }), [0x7f80, 0x0000], 'big')).toBeUndefined();
  });

  it('rejects a word count that does not fit the type', () => {
    expect(() => decodeRegister(reg({ type: 'float32' }), [1], 'big')).toThrow(/float32 needs 2 registers, got 1/);
  });
});

describe('encodeRegister is the inverse of decodeRegister', () => {
  it.each([
    ['int32', 0.1, undefined, 'little', -230.1],
    ['uint32', 0.01, undefined, 'big', 4021.37],
    ['float32', 1, 'negate', 'big', 1234.5],
    ['int16', 0.001, undefined, 'big', -0.5],
    ['uint64', 0.001, undefined, 'big', 123456789.123],
  ] as const)('%s scale %d %s %s: %d', (type, scale, sign, order, value) => {
    const spec = reg({ type, scale, ...(sign ? { sign } : {}) });
    expect(decodeRegister(spec, encodeRegister(spec, value, order), order)).toBeCloseTo(value, 6);
  });
});
