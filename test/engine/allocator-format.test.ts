/** Numbers in reasons are formatted one way everywhere; these rows pin that way down. */
import { describe, expect, it } from 'vitest';
import { formatCurrentA, formatDuration, formatPowerKw } from '../../src/engine/allocator/format';

describe('reason number formats', () => {
  it.each([
    [2400, '2.4 kW'],
    [2449, '2.4 kW'],
    [2450, '2.5 kW'],
    [-30, '0.0 kW'],
    [-1200, '-1.2 kW'],
  ])('power %d W reads %s', (powerW, text) => expect(formatPowerKw(powerW)).toBe(text));

  it.each([
    [16, '16 A'],
    [27.39, '27.4 A'],
  ])('current %d A reads %s', (currentA, text) => expect(formatCurrentA(currentA)).toBe(text));

  it.each([
    [0, '0 s'],
    [0.2, '1 s'],
    [120, '120 s'],
    [121, '3 min'],
    [480, '8 min'],
    [3599, '1 h'],
    [3600, '1 h'],
    [3900, '1 h 5 min'],
  ])('%d s reads %s (rounded up, so "left" never reads 0 too early)', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});
