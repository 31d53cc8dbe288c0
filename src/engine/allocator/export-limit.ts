/**
 * Feed-in limits (a fixed export limit, a percentage of PV peak, ripple control) are enforced by
 * curtailing the inverter, and only after the loads have taken what they can: the limit is
 * computed from the export projected after this cycle's load commands.
 *
 * Once curtailing, PV power no longer shows what the panels could give, so the limit is fed back
 * from the last one: current PV plus the headroom left under the export limit. It rises as loads
 * take more and is released once it would reach the PV peak.
 */
import type { SiteSettings } from './types';
import { siteReason } from './reasons';

export interface InverterLimit {
  limitW: number;
  limitPct: number | null;
  siteReason: string;
}

function pctOfPeakW(pct: number | undefined, pvPeakW: number | undefined): number | undefined {
  return pct === undefined || pvPeakW === undefined ? undefined : (pct / 100) * pvPeakW;
}

/** The strictest of all feed-in limits, or null when feed-in is not limited (rippleFeedInPct 100: no ripple-control cut). */
export function maxExportW(settings: Pick<SiteSettings, 'exportLimitW' | 'exportLimitPctOfPvPeak' | 'pvPeakW'>, rippleFeedInPct = 100): number | null {
  const candidates = [
    settings.exportLimitW,
    pctOfPeakW(settings.exportLimitPctOfPvPeak, settings.pvPeakW),
    rippleFeedInPct < 100 ? pctOfPeakW(rippleFeedInPct, settings.pvPeakW) : undefined,
  ].filter((limitW): limitW is number => limitW !== undefined);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

function limitFor(limitW: number, maxExport: number, pvPeakW: number | undefined): InverterLimit {
  const limitPct = pvPeakW === undefined ? null : (limitW / pvPeakW) * 100;
  return {
    limitW,
    limitPct,
    siteReason: siteReason('siteInverterLimit', { limitW, limitPct, maxExportW: maxExport }),
  };
}

export function inverterLimit(
  pvPowerW: number,
  projectedGridPowerW: number,
  maxExport: number | null,
  pvPeakW: number | undefined,
  previousLimitW: number | null,
): InverterLimit | null {
  if (maxExport === null) return null;
  const headroomW = maxExport + projectedGridPowerW;
  if (previousLimitW === null && headroomW >= 0) return null;
  const limitW = Math.max(0, pvPowerW + headroomW);
  // Without a PV peak there is no point at which the limit is known to be harmless, so it stays.
  if (pvPeakW !== undefined && limitW >= pvPeakW) return null;
  return limitFor(limitW, maxExport, pvPeakW);
}

/** With stale readings nothing is known about consumption: PV may produce only what may be exported. */
export function staleInverterLimit(maxExport: number | null, pvPeakW: number | undefined): InverterLimit | null {
  if (maxExport === null) return null;
  const limit = limitFor(maxExport, maxExport, pvPeakW);
  return { ...limit, siteReason: siteReason('siteStaleInverter', { limitW: maxExport }) };
}
