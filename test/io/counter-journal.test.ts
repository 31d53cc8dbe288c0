import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterJournal, journalledCount } from '../../src/io/counter-journal';

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'hems-journal-')), 'state', 'pulse-water.journal');
const noErrors = (message: string) => expect.fail(message);

describe('a counter journal', () => {
  it('reads the highest whole count, skipping a torn or garbled line', () => {
    expect(journalledCount('1\n2\n3\n')).toBe(3);
    expect(journalledCount('17\n18\n1')).toBe(18);
    expect(journalledCount('5\n\0\0\n-3\n1e3\n')).toBe(5);
    expect(journalledCount('')).toBeUndefined();
  });

  it('hands every count to the file as it comes (the newest waits while one is written), and replays it on start', async () => {
    const file = fileIn();
    const journal = new CounterJournal(file, noErrors);
    expect(journal.replayed).toBeUndefined();
    for (let count = 1; count <= 50; count++) journal.append(count);
    await journal.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    // The first count was written at once, the next ones merged into the newest while it was.
    expect(lines[0]).toBe('1');
    expect(lines.at(-1)).toBe('50');
    expect(new CounterJournal(file, noErrors).replayed).toBe(50);
  });

  it('is emptied once long and covered by a snapshot, never before', async () => {
    const file = fileIn();
    mkdirSync(dirname(file));
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join(''));
    const long = statSync(file).size;
    expect(long).toBeGreaterThan(4096);
    const behind = new CounterJournal(file, noErrors);
    behind.append(2001);
    behind.covered(2000);
    await behind.close();
    expect(statSync(file).size).toBe(long + '2001\n'.length);
    const caughtUp = new CounterJournal(file, noErrors);
    expect(caughtUp.replayed).toBe(2001);
    caughtUp.append(2002);
    caughtUp.covered(2002);
    await caughtUp.close();
    expect(readFileSync(file, 'utf8')).toBe('');
    const next = new CounterJournal(file, noErrors);
    next.append(2003);
    await next.close();
    expect(readFileSync(file, 'utf8')).toBe('2003\n');
  });

  it('says when it cannot write, and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hems-journal-'));
    writeFileSync(join(dir, 'state'), 'a file where the folder should be');
    const problems: string[] = [];
    const journal = new CounterJournal(join(dir, 'state', 'pulse-water.journal'), (m) => problems.push(m));
    journal.append(1);
    journal.append(2);
    await journal.close();
    // Said once each, though both counts failed.
    expect(problems, problems.join('\n')).toHaveLength(2);
    expect(problems[0]).toMatch(/^cannot read .*pulse-water\.journal: ENOTDIR/);
    expect(problems[1]).toMatch(/^cannot write .*pulse-water\.journal: /);
  });
});
