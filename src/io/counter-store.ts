/**
 * Keeps small JSON state (counters, the highest counter values seen) in files, so it survives
 * Node-RED restarts, `kill -9` and power cuts. Every write goes to a temporary file that is
 * flushed to the disk (fsync) and renamed over the old one, then the folder is flushed too: after
 * a crash at any moment the file holds the previous state or the new one, never a torn or empty one.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CounterJournal } from './counter-journal';

/** Counters change with every pulse: at most this many writes per second per key spares SD cards. */
export const DEFAULT_MIN_WRITE_INTERVAL_MS = 250;

let temporaries = 0;

export class CounterStore {
  /** What this store last wrote per key, so an unchanged state costs no write (SD cards wear out). */
  private readonly written = new Map<string, string>();

  constructor(private readonly directory: string) {}

  private file(key: string): string {
    if (!/^[a-zA-Z0-9_-]+$/.test(key)) throw new Error(`counter store key "${key}" may only contain letters, digits, "_" and "-"`);
    return join(this.directory, `${key}.json`);
  }

  /** A unique temporary name: an old node instance closing and its successor may write the same key. */
  private temporaryFor(target: string): string {
    temporaries += 1;
    return `${target}.${process.pid}-${temporaries}.tmp`;
  }

  /**
   * The stored state, or `fallback` when there is none or it cannot be read (said in `problem`).
   * Temporary files a crash left behind are removed.
   */
  load<T>(key: string, fallback: T): { state: T; problem?: string } {
    const target = this.file(key);
    this.removeTemporaries(key);
    try {
      const text = readFileSync(target, 'utf8');
      const state = JSON.parse(text) as T;
      this.written.set(key, text);
      return { state };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return { state: fallback };
      return { state: fallback, problem: `cannot read ${target}: ${e.message}` };
    }
  }

  private removeTemporaries(key: string): void {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return;
    }
    for (const name of names) if (name.startsWith(`${key}.json.`) && name.endsWith('.tmp')) rmSync(join(this.directory, name), { force: true });
  }

  /**
   * Writes the state unless it is what was last written for this key, without blocking Node-RED:
   * the promise settles once the disk has it, and rejects when it cannot. Nodes write through `keeper`.
   */
  async write(key: string, state: unknown): Promise<void> {
    const text = JSON.stringify(state);
    if (this.written.get(key) === text) return;
    await mkdir(this.directory, { recursive: true });
    const target = this.file(key);
    const temporary = this.temporaryFor(target);
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    await syncDirectory(this.directory);
    this.written.set(key, text);
  }

  /** The journal beside a counter's snapshot: every change handed to the kernel at once (see `CounterJournal`). */
  journal(key: string, onError: (message: string) => void): CounterJournal {
    this.file(key);
    return new CounterJournal(join(this.directory, `${key}.journal`), onError);
  }

  /** A keeper that writes one key's state on every change, coalesced (see `StateKeeper`). */
  keeper<T>(key: string, options: KeeperOptions): StateKeeper<T> {
    this.file(key);
    return new StateKeeper<T>((state) => this.write(key, state), options);
  }
}

/** The rename is only durable once the folder's entry is on the disk too (not possible on Windows: skipped). */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

export interface KeeperOptions {
  /** Least time between the starts of two writes (default 250 ms: at most 4 writes a second). */
  minIntervalMs?: number;
  /** Told once when writing starts failing, and again whenever the reason changes. */
  onError: (message: string) => void;
}

interface Waiter {
  version: number;
  action: () => void;
}

/**
 * Writes a state on every change without blocking and without wearing out an SD card: the first
 * change is written at once, later ones at most every `minIntervalMs`, always the newest state,
 * one write at a time. `whenSaved` runs an action once everything set so far is on the disk: a
 * counter published only after that can never be seen to go backwards after a crash.
 */
export class StateKeeper<T> {
  private version = 0;
  private savedVersion = 0;
  private latest: T | undefined;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastStartMs = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private waiters: Waiter[] = [];
  private closing = false;
  private readonly minIntervalMs: number;

  constructor(
    private readonly writeState: (state: T) => Promise<void>,
    private readonly options: KeeperOptions,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_WRITE_INTERVAL_MS;
  }

  set(state: T): void {
    this.latest = state;
    this.version += 1;
    this.schedule();
  }

  /** Runs `action` once every state set so far is written (at once when it already is). */
  whenSaved(action: () => void): void {
    if (this.savedVersion >= this.version) return action();
    this.waiters.push({ version: this.version, action });
  }

  /** Writes what is still unwritten now and resolves once the disk has it (a node's close). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing || this.savedVersion < this.version) {
      if (this.writing) await this.writing;
      else this.start();
    }
  }

  private schedule(): void {
    if (this.writing || this.timer || this.savedVersion >= this.version) return;
    const waitMs = this.lastStartMs + this.minIntervalMs - Date.now();
    if (waitMs <= 0 || this.closing) return this.start();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, waitMs);
  }

  private start(): void {
    const version = this.version;
    this.lastStartMs = Date.now();
    this.writing = this.writeState(this.latest as T).then(
      () => {
        this.lastError = undefined;
        this.settle(version);
      },
      (err: Error) => {
        if (err.message !== this.lastError) this.options.onError(err.message);
        this.lastError = err.message;
        // A disk that refuses writes must not stop the node: what waited goes ahead, unsaved (warned).
        this.settle(version);
      },
    );
    void this.writing.then(() => {
      this.writing = undefined;
      this.schedule();
    });
  }

  private settle(version: number): void {
    this.savedVersion = version;
    const due = this.waiters.filter((w) => w.version <= version);
    this.waiters = this.waiters.filter((w) => w.version > version);
    for (const waiter of due) waiter.action();
  }
}
