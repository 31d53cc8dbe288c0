import { isCounter } from './measurements';

export interface CounterDrop {
  name: string;
  previous: number;
  value: number;
}

export interface GuardedValues {
  values: Record<string, number>;
  dropped: CounterDrop[];
  /** Highest value accepted so far per counter; the next call's `highest`. */
  highest: Record<string, number>;
}

/**
 * Lifetime counters never go backwards: a decrease is a bad read (or a swapped meter), and HA's
 * energy dashboard would read it as a reset and double-count. Drop it and keep the last good value.
 */
export function guardCounters(highest: Readonly<Record<string, number>>, values: Readonly<Record<string, number>>): GuardedValues {
  const kept: Record<string, number> = {};
  const nextHighest: Record<string, number> = { ...highest };
  const dropped: CounterDrop[] = [];
  for (const [name, value] of Object.entries(values)) {
    const previous = highest[name];
    if (isCounter(name) && (value < 0 || (previous !== undefined && value < previous))) {
      dropped.push({ name, previous: previous ?? 0, value });
      continue;
    }
    kept[name] = value;
    if (isCounter(name)) nextHighest[name] = value;
  }
  return { values: kept, dropped, highest: nextHighest };
}
