/**
 * Keeps small JSON state (counters, the highest counter values seen) in files, so it survives
 * Node-RED restarts. Writes go to a temporary file that is renamed over the old one: a crash
 * mid-write leaves the previous state, never a torn file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class CounterStore {
  /** What this store last wrote per key, so an unchanged state costs no write (SD cards wear out). */
  private readonly written = new Map<string, string>();

  constructor(private readonly directory: string) {}

  private file(key: string): string {
    if (!/^[a-zA-Z0-9_-]+$/.test(key)) throw new Error(`counter store key "${key}" may only contain letters, digits, "_" and "-"`);
    return join(this.directory, `${key}.json`);
  }

  /** The stored state, or `fallback` when there is none or it cannot be read (said in `problem`). */
  load<T>(key: string, fallback: T): { state: T; problem?: string } {
    try {
      return { state: JSON.parse(readFileSync(this.file(key), 'utf8')) as T };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return { state: fallback };
      return { state: fallback, problem: `cannot read ${this.file(key)}: ${e.message}` };
    }
  }

  /** Writes the state unless it is what was last written for this key; throws when it cannot. */
  save(key: string, state: unknown): void {
    const text = JSON.stringify(state);
    if (this.written.get(key) === text) return;
    mkdirSync(this.directory, { recursive: true });
    const target = this.file(key);
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
    this.written.set(key, text);
  }
}
