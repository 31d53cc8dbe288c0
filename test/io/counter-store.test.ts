import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterStore, StateKeeper } from '../../src/io/counter-store';

describe('CounterStore', () => {
  it('keeps state across instances (a restart), and leaves no temporary files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hems-store-')), 'counters');
    await new CounterStore(dir).write('grid', { importKwh: 12.5 });
    expect(new CounterStore(dir).load('grid', { importKwh: 0 })).toEqual({ state: { importKwh: 12.5 } });
    expect(readdirSync(dir)).toEqual(['grid.json']);
  });

  it('does not write a state that has not changed since it last wrote it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hems-store-'));
    const store = new CounterStore(dir);
    await store.write('grid', { importKwh: 1 });
    writeFileSync(join(dir, 'grid.json'), '{"importKwh":99}');
    await store.write('grid', { importKwh: 1 });
    expect(store.load('grid', {}).state).toEqual({ importKwh: 99 });
    await store.write('grid', { importKwh: 2 });
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

  it('refuses keys that would escape its folder', async () => {
    await expect(new CounterStore(tmpdir()).write('../etc', 1)).rejects.toThrow('counter store key "../etc" may only contain letters, digits, "_" and "-"');
  });
});

describe('CounterStore.write', () => {
  it('replaces the file whole and leaves no temporary files; a crash leftover is cleared at load', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hems-store-')), 'counters');
    const store = new CounterStore(dir);
    await store.write('pulse', { count: 3 });
    expect(readdirSync(dir)).toEqual(['pulse.json']);
    writeFileSync(join(dir, 'pulse.json.123-4.tmp'), '{"count":');
    expect(new CounterStore(dir).load('pulse', { count: 0 })).toEqual({ state: { count: 3 } });
    expect(readdirSync(dir)).toEqual(['pulse.json']);
  });
});

describe('StateKeeper', () => {
  const slowWrites = () => {
    const written: number[] = [];
    let inFlight = 0;
    let overlapped = false;
    const write = async (state: number) => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      await new Promise((r) => setTimeout(r, 20));
      written.push(state);
      inFlight -= 1;
    };
    return { written, write, overlapped: () => overlapped };
  };

  it('writes the first change at once, then the newest state at most every interval, one write at a time', async () => {
    const disk = slowWrites();
    const keeper = new StateKeeper<number>(disk.write, { minIntervalMs: 100, onError: () => {} });
    const started = Date.now();
    for (let i = 1; i <= 30; i++) {
      keeper.set(i);
      await new Promise((r) => setTimeout(r, 10));
    }
    await keeper.close();
    const elapsedMs = Date.now() - started;
    expect(disk.written.at(-1)).toBe(30);
    expect(disk.written[0]).toBe(1);
    expect(disk.written.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 100) + 1);
    expect(disk.written.length).toBeGreaterThan(1);
    expect(disk.overlapped()).toBe(false);
  });

  it('runs a waiting action only once everything set before it is written', async () => {
    const disk = slowWrites();
    const keeper = new StateKeeper<number>(disk.write, { minIntervalMs: 50, onError: () => {} });
    const seen: Array<[number, number[]]> = [];
    keeper.whenSaved(() => seen.push([0, [...disk.written]]));
    keeper.set(1);
    keeper.whenSaved(() => seen.push([1, [...disk.written]]));
    keeper.set(2);
    keeper.whenSaved(() => seen.push([2, [...disk.written]]));
    await keeper.close();
    expect(seen).toEqual([
      [0, []],
      [1, [1]],
      [2, [1, 2]],
    ]);
  });

  it('says once that writing fails, and still lets what waited go ahead', async () => {
    const errors: string[] = [];
    const keeper = new StateKeeper<number>(() => Promise.reject(new Error('EROFS: read-only file system')), { minIntervalMs: 0, onError: (m) => errors.push(m) });
    let ran = 0;
    for (let i = 0; i < 5; i++) {
      keeper.set(i);
      keeper.whenSaved(() => (ran += 1));
      await keeper.close();
    }
    expect(errors).toEqual(['EROFS: read-only file system']);
    expect(ran).toBe(5);
  });
});
