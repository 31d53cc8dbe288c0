/**
 * A counter's journal: every new count is appended to `<key>.journal` as one line the moment it
 * changes, with a non-blocking write and no fsync. Once the write returns the kernel has it, so a
 * `kill -9` of Node-RED loses at most the count whose write was under way; the counter's atomic
 * snapshot (CounterStore, fsync'd) still covers power loss. The lines reach the disk with the
 * kernel's own writeback (every few seconds), not one block write per pulse. Once a snapshot on
 * the disk holds every journalled count, the journal is emptied, so it stays a few KiB.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A journal longer than this is emptied as soon as a snapshot covers it. */
const COMPACT_AFTER_BYTES = 4096;

/** The highest whole count in a journal's text; a torn last line (power loss mid-write) is skipped. */
export function journalledCount(text: string): number | undefined {
  let highest: number | undefined;
  for (const line of text.split('\n')) {
    if (!/^\d+$/.test(line)) continue;
    const count = Number(line);
    if (Number.isSafeInteger(count) && (highest === undefined || count > highest)) highest = count;
  }
  return highest;
}

export class CounterJournal {
  /** The count the journal held when it was opened (undefined: none). */
  readonly replayed: number | undefined;
  private handle: Promise<FileHandle> | undefined;
  private writing: Promise<void> | undefined;
  /** The newest count not yet handed to the kernel. */
  private pending: number | undefined;
  private lastWritten: number | undefined;
  /** The highest count a snapshot on the disk holds. */
  private coveredCount = -1;
  private bytes = 0;
  private lastError: string | undefined;

  constructor(
    private readonly file: string,
    private readonly onError: (message: string) => void,
  ) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(`cannot read ${file}: ${(err as Error).message}`);
    }
    this.replayed = journalledCount(text);
    this.bytes = text.length;
  }

  /** Hands `count` to the kernel now, or right after the write under way (only the newest count waits). */
  append(count: number): void {
    this.pending = count;
    if (!this.writing) this.writeNext();
  }

  /** A snapshot holding `durableCount` is on the disk: the journal is emptied once long and every line is covered. */
  covered(durableCount: number): void {
    this.coveredCount = Math.max(this.coveredCount, durableCount);
    if (!this.writing) this.writeNext();
  }

  /** Finishes the write under way and closes the file. */
  async close(): Promise<void> {
    while (this.writing) await this.writing;
    const handle = await this.handle?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private writeNext(): void {
    if (this.pending === undefined) return this.compactIfCovered();
    const count = this.pending;
    this.pending = undefined;
    const line = `${count}\n`;
    this.writing = this.run(async (handle) => {
      await handle.write(line);
      this.bytes += line.length;
      this.lastWritten = count;
    });
  }

  private compactIfCovered(): void {
    // Not again at once after a failed write: the next count or snapshot tries.
    if (this.lastError !== undefined || this.bytes < COMPACT_AFTER_BYTES || (this.lastWritten ?? this.replayed ?? 0) > this.coveredCount) return;
    this.writing = this.run(async (handle) => {
      await handle.truncate(0);
      this.bytes = 0;
    });
  }

  private run(step: (handle: FileHandle) => Promise<void>): Promise<void> {
    // Appends land at the end even after a truncation (O_APPEND).
    this.handle ??= mkdir(dirname(this.file), { recursive: true }).then(() => open(this.file, 'a'));
    const done = this.handle.then(step).then(
      () => {
        this.lastError = undefined;
      },
      (err: Error) => {
        if (err.message !== this.lastError) this.onError(`cannot write ${this.file}: ${err.message}`);
        this.lastError = err.message;
        // A failed open is tried again with the next count.
        this.handle = undefined;
      },
    );
    return done.then(() => {
      this.writing = undefined;
      this.writeNext();
    });
  }
}
