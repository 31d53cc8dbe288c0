/**
 * Which reading feeds which part of the site state. The grid meter is named by its device id
 * (its `power_w` is ambiguous otherwise); PV and battery by device id too, or, when left blank,
 * by the canonical names only they use (`pv_power_w`, `battery_power_w`, `battery_soc_pct`).
 */
import type { Reading } from '../reading';
import type { SiteState } from '../allocator';

export interface SiteSources {
  gridDevice: string;
  /** Blank: `pv_power_w` from any reading. */
  pvDevice?: string;
  /** Blank: `battery_power_w` and `battery_soc_pct` from any reading. */
  batteryDevice?: string;
}

type SiteValueName = 'gridPowerW' | 'pvPowerW' | 'batteryPowerW' | 'batterySocPct' | 'currentL1A' | 'currentL2A' | 'currentL3A';

/** A site value with the time it was measured. */
export interface TimedValue {
  value: number;
  atMs: number;
}

export type SiteValues = Partial<Record<SiteValueName, TimedValue>>;

/** Canonical currents are unsigned; the phase power's sign says whether the phase imports. */
function signedCurrent(values: Record<string, number>, phase: 1 | 2 | 3): number | undefined {
  const current = values[`current_l${phase}_a`];
  if (current === undefined) return undefined;
  const power = values[`power_l${phase}_w`];
  return power !== undefined && power < 0 ? -Math.abs(current) : Math.abs(current);
}

type Extractor = (values: Record<string, number>) => Partial<Record<SiteValueName, number | undefined>>;

const FROM_GRID: Extractor = (v) => ({
  gridPowerW: v.power_w,
  currentL1A: signedCurrent(v, 1),
  currentL2A: signedCurrent(v, 2),
  currentL3A: signedCurrent(v, 3),
});
const FROM_PV_DEVICE: Extractor = (v) => ({ pvPowerW: v.pv_power_w ?? v.power_w });
const FROM_ANY_PV: Extractor = (v) => ({ pvPowerW: v.pv_power_w });
const FROM_BATTERY_DEVICE: Extractor = (v) => ({ batteryPowerW: v.battery_power_w ?? v.power_w, batterySocPct: v.battery_soc_pct });
const FROM_ANY_BATTERY: Extractor = (v) => ({ batteryPowerW: v.battery_power_w, batterySocPct: v.battery_soc_pct });

function extractorsFor(sources: SiteSources, device: string): Extractor[] {
  return [
    device === sources.gridDevice ? FROM_GRID : undefined,
    sources.pvDevice ? (device === sources.pvDevice ? FROM_PV_DEVICE : undefined) : FROM_ANY_PV,
    sources.batteryDevice ? (device === sources.batteryDevice ? FROM_BATTERY_DEVICE : undefined) : FROM_ANY_BATTERY,
  ].filter((e): e is Extractor => e !== undefined);
}

/** The reading's own timestamp; the arrival time when it has none worth trusting. */
export function readingTimeMs(reading: Reading, receivedAtMs: number): number {
  const atMs = Date.parse(reading.timestamp);
  return Number.isFinite(atMs) ? atMs : receivedAtMs;
}

/** The site values with this reading applied, and the names it supplied (empty: not a site reading). */
export function applySiteReading(
  current: SiteValues,
  sources: SiteSources,
  reading: Reading,
  receivedAtMs: number,
): { values: SiteValues; used: SiteValueName[] } {
  const atMs = readingTimeMs(reading, receivedAtMs);
  const next: SiteValues = { ...current };
  const used: SiteValueName[] = [];
  for (const extract of extractorsFor(sources, reading.device)) {
    for (const [name, value] of Object.entries(extract(reading.values)) as Array<[SiteValueName, number | undefined]>) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      next[name] = { value, atMs };
      used.push(name);
    }
  }
  return { values: next, used };
}

/** The sources that must keep reporting; one that falls silent makes the whole site stale. */
function requiredTimes(values: SiteValues, sources: SiteSources, startedAtMs: number): number[] {
  return [
    values.gridPowerW?.atMs ?? startedAtMs,
    sources.pvDevice ? (values.pvPowerW?.atMs ?? startedAtMs) : undefined,
    sources.batteryDevice ? (values.batteryPowerW?.atMs ?? startedAtMs) : undefined,
  ].filter((t): t is number => t !== undefined);
}

/**
 * The allocator's site state (without load readings). Before the first grid reading it counts from
 * when the optimiser started, so a meter that never answers still leads to the safe state.
 * Optional values older than `staleAfterMs` are left out rather than passed on as current.
 */
export function siteStateAt(values: SiteValues, sources: SiteSources, nowMs: number, startedAtMs: number, staleAfterMs: number): Omit<SiteState, 'loads'> {
  const fresh = (name: SiteValueName) => {
    const timed = values[name];
    return timed && nowMs - timed.atMs <= staleAfterMs ? timed.value : undefined;
  };
  const optional = (['batteryPowerW', 'batterySocPct', 'currentL1A', 'currentL2A', 'currentL3A'] as const)
    .map((name) => [name, fresh(name)] as const)
    .filter(([, value]) => value !== undefined);
  return {
    readingsTimestampMs: Math.min(...requiredTimes(values, sources, startedAtMs)),
    gridPowerW: values.gridPowerW?.value ?? 0,
    pvPowerW: Math.max(0, fresh('pvPowerW') ?? 0),
    ...Object.fromEntries(optional),
  };
}
