import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterStore } from '../../src/io/counter-store';

describe('CounterStore', () => {
  it('keeps state across instances (a restart), and leaves no temporary files', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hems-store-')), 'counters');
    new CounterStore(dir).save('grid', { importKwh: 12.5 });
    expect(new CounterStore(dir).load('grid', { importKwh: 0 })).toEqual({ state: { importKwh: 12.5 } });
    expect(readdirSync(dir)).toEqual(['grid.json']);
  });

  it('does not write a state that has not changed since it last wrote it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hems-store-'));
    const store = new CounterStore(dir);
    store.save('grid', { importKwh: 1 });
    writeFileSync(join(dir, 'grid.json'), '{"importKwh":99}');
    store.save('grid', { importKwh: 1 });
    expect(store.load('grid', {}).state).toEqual({ importKwh: 99 });
    store.save('grid', { importKwh: 2 });
    expect(store.load('grid', {}).state).toEqual({ importKwh: 2 });
  });

  it('falls back when nothing is stored, and says why when the file is damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hems-store-'));
    const store = new CounterStore(dir);
    expect(store.load('none', 7)).toEqual({ state: 7 });
    writeFileSync(join(dir, 'bad.json'), '{torn');
    const { state, problem } = store.load('bad', 7);
    expect(state).toBe(7);
    expect(problem).toMatch(/cannot read .*bad\.json: /);
  });

  it('refuses keys that would escape its folder', () => {
    expect(() => new CounterStore('/tmp').save('../etc', 1)).toThrow('counter store key "../etc" may only contain letters, digits, "_" and "-"');
  });
});
