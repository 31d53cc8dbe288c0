import type { PriceSlot, RawPricePoint } from './types';

const HOUR_MS = 3_600_000;
/** Markets quote to 0.01 EUR/MWh; six decimals of EUR/kWh keep that and drop float noise from unit factors. */
const EUR_PER_KWH_DECIMALS = 1e6;

/** The shortest gap between starts up to an hour: the series' slot length where no end is given. */
function seriesStepMs(starts: number[]): number {
  const gaps = starts.slice(1).map((s, i) => s - starts[i]).filter((g) => g > 0 && g <= HOUR_MS);
  return gaps.length > 0 ? Math.min(...gaps) : HOUR_MS;
}

/** Sorted, one slot per start (the first listed wins), ends filled in, prices in EUR/kWh. */
export function toSlots(points: RawPricePoint[], eurPerKwhFactor: number): PriceSlot[] {
  const byStart = new Map<number, RawPricePoint>();
  for (const p of points) if (!byStart.has(p.startMs)) byStart.set(p.startMs, p);
  const sorted = [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
  const stepMs = seriesStepMs(sorted.map((p) => p.startMs));
  return sorted.map((p, i) => {
    const next = sorted[i + 1]?.startMs;
    const endMs = p.endMs ?? (next !== undefined && next - p.startMs <= stepMs ? next : p.startMs + stepMs);
    return {
      start: new Date(p.startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      importEurPerKwh: Math.round(p.price * eurPerKwhFactor * EUR_PER_KWH_DECIMALS) / EUR_PER_KWH_DECIMALS,
    };
  });
}
