import { describe, expect, it } from 'vitest';
import { SHED_WARNING_EVERY_MS, ShedCounter } from '../../src/engine/shed-counter';

describe('ShedCounter', () => {
  it('warns at the first shed item, then at most once a minute with the count since and the total', () => {
    const counter = new ShedCounter((since, total) => `${since} dropped (${total} since start)`);
    const warnings = Array.from({ length: 1000 }, (_, i) => counter.shed(i * 100)).filter(Boolean);
    expect(warnings).toEqual(['1 dropped (1 since start)', '600 dropped (601 since start)']);
    expect(counter.shed(1000 * 100 + SHED_WARNING_EVERY_MS)).toBe('400 dropped (1001 since start)');
    expect(counter.total).toBe(1001);
  });
});
