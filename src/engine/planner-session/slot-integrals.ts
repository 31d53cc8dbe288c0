/**
 * A measured value integrated per 15-minute slot: readings come every few seconds at uneven
 * times, forecasts and job progress want "average W in that slot" or "Wh since then". Each value
 * holds until the next one, but never longer than `maxHoldMs`: a silent source leaves a gap
 * rather than a made-up plateau.
 */
import type { MeasuredSeries } from '../forecast';
import { SLOT_MS } from '../planner';

interface SlotTotal {
  /** ∫ value dt over the covered part, in value·ms. */
  integralMs: number;
  coveredMs: number;
}

/** Plain JSON for the state file: [slot start, integral, covered ms] per slot. */
export type SlotIntegralsJson = Array<[number, number, number]>;

export const DEFAULT_MAX_HOLD_MS = 5 * 60_000;

export class SlotIntegrals {
  private readonly slots = new Map<number, SlotTotal>();
  private last: { atMs: number; value: number } | undefined;

  constructor(private readonly maxHoldMs = DEFAULT_MAX_HOLD_MS) {}

  static fromJson(json: unknown, maxHoldMs = DEFAULT_MAX_HOLD_MS): SlotIntegrals {
    const integrals = new SlotIntegrals(maxHoldMs);
    if (!Array.isArray(json)) return integrals;
    for (const row of json) {
      if (Array.isArray(row) && row.length === 3 && row.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        integrals.slots.set(row[0], { integralMs: row[1], coveredMs: row[2] });
      }
    }
    return integrals;
  }

  toJson(): SlotIntegralsJson {
    return [...this.slots].map(([startMs, t]) => [startMs, t.integralMs, t.coveredMs]);
  }

  /** The value measured at atMs; the previous one is counted up to here. Older samples are ignored. */
  add(atMs: number, value: number): void {
    const last = this.last;
    if (last !== undefined && atMs <= last.atMs) return;
    if (last !== undefined && atMs - last.atMs <= this.maxHoldMs) this.accumulate(last.atMs, atMs, last.value);
    this.last = { atMs, value };
  }

  /** The last value added, if any. */
  latestValue(): number | undefined {
    return this.last?.value;
  }

  /** Forgets slots that start before sinceMs. */
  prune(sinceMs: number): void {
    for (const startMs of this.slots.keys()) if (startMs < sinceMs) this.slots.delete(startMs);
  }

  /** Average per slot, as the forecasts take it. */
  series(): MeasuredSeries {
    const samples = [...this.slots]
      .filter(([, t]) => t.coveredMs > 0)
      .sort(([a], [b]) => a - b)
      .map(([startMs, t]) => ({ startMs, powerW: t.integralMs / t.coveredMs }));
    return { samples, stepMs: SLOT_MS };
  }

  /** ∫ value dt in value·hours over the slots from the one holding fromMs up to toMs. */
  integralHours(fromMs: number, toMs: number): number {
    const firstSlotMs = Math.floor(fromMs / SLOT_MS) * SLOT_MS;
    let sum = 0;
    for (const [startMs, t] of this.slots) if (startMs >= firstSlotMs && startMs < toMs) sum += t.integralMs;
    return sum / 3_600_000;
  }

  private accumulate(fromMs: number, toMs: number, value: number): void {
    let atMs = fromMs;
    while (atMs < toMs) {
      const slotMs = Math.floor(atMs / SLOT_MS) * SLOT_MS;
      const untilMs = Math.min(toMs, slotMs + SLOT_MS);
      const total = this.slots.get(slotMs) ?? { integralMs: 0, coveredMs: 0 };
      total.integralMs += value * (untilMs - atMs);
      total.coveredMs += untilMs - atMs;
      this.slots.set(slotMs, total);
      atMs = untilMs;
    }
  }
}
