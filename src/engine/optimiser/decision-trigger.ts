/**
 * When a site reading calls for a decision before the next periodic cycle: it takes the site over a
 * limit the allocator enforces (import cap, main fuse per phase, export limit), or far further
 * over it, or makes stale site data fresh. Pure: the session keeps the baselines. The rule and why
 * it is so: docs/allocator.md, "Decisions between cycles".
 */
import { maxExportW, type SiteSettings, type SiteState } from '../allocator';
import { evaluateRippleControl } from '../allocator/ripple-control';

export type LimitName = 'importCap' | 'fuseL1' | 'fuseL2' | 'fuseL3' | 'exportLimit';

/** What made a decision due at once: a limit, a ripple-control change, or site data fresh again. */
export type DecisionCause = LimitName | 'ripple' | 'fresh';

type SiteNow = Omit<SiteState, 'loads'>;

/** How far a reading is over each configured limit (W or A; at or below 0: within it). */
export type LimitExcess = Partial<Record<LimitName, number>>;

interface LimitRule {
  /**
   * Hysteresis: a limit counts as left only once the site is this far within it, and while over
   * (or hovering at it) only a reading this much further over calls for another decision.
   */
  step: number;
  excess(site: SiteNow, settings: SiteSettings, rippleInputs: boolean[] | undefined): number | undefined;
}

/** 500 W is about 2 A on one phase at 230 V: the same size of change for both kinds of limit. */
const POWER_STEP_W = 500;
const CURRENT_STEP_A = 2;

/** Phase currents are signed like grid power: only importing current counts against the fuse. */
function fuseRule(phase: 'currentL1A' | 'currentL2A' | 'currentL3A'): LimitRule {
  return {
    step: CURRENT_STEP_A,
    excess: (site, settings) => {
      const currentA = site[phase];
      return settings.fuseLimitA === undefined || currentA === undefined ? undefined : currentA - settings.fuseLimitA;
    },
  };
}

const LIMITS: Record<LimitName, LimitRule> = {
  importCap: {
    step: POWER_STEP_W,
    excess: (site, settings) => (settings.importCapW === undefined ? undefined : site.gridPowerW - settings.importCapW),
  },
  fuseL1: fuseRule('currentL1A'),
  fuseL2: fuseRule('currentL2A'),
  fuseL3: fuseRule('currentL3A'),
  exportLimit: {
    step: POWER_STEP_W,
    excess: (site, settings, rippleInputs) => {
      const maxW = maxExportW(settings, evaluateRippleControl(settings.rippleControl?.rules, rippleInputs).feedInPct);
      return maxW === null ? undefined : -site.gridPowerW - maxW;
    },
  },
};

const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** The excess over every limit that is configured and measured now. */
export function limitExcess(site: SiteNow, settings: SiteSettings, rippleInputs: boolean[] | undefined): LimitExcess {
  const entries = LIMIT_NAMES.map((name) => [name, LIMITS[name].excess(site, settings, rippleInputs)] as const);
  return Object.fromEntries(entries.filter(([, excess]) => excess !== undefined));
}

/**
 * The excess a reading must pass to call for a decision, given the limit's baseline: the excess the
 * last decision saw, lowered by any reading since that was further within the limit. Unknown or
 * well within: any excess. Otherwise: a step beyond the baseline (or beyond the limit, if under it).
 */
function triggerAbove(name: LimitName, baseline: number | undefined): number {
  const { step } = LIMITS[name];
  if (baseline === undefined || baseline <= -step) return 0;
  return Math.max(baseline, 0) + step;
}

/** The first limit this reading's excess calls a decision for, if any. */
export function limitCrossed(baseline: LimitExcess, now: LimitExcess): LimitName | undefined {
  return LIMIT_NAMES.find((name) => {
    const excess = now[name];
    return excess !== undefined && excess > 0 && excess > triggerAbove(name, baseline[name]);
  });
}

/** After a reading: each baseline falls to the reading's excess when that is lower. */
export function lowerBaselines(baseline: LimitExcess, now: LimitExcess): LimitExcess {
  const lowered: LimitExcess = { ...baseline };
  for (const name of LIMIT_NAMES) {
    const excess = now[name];
    if (excess !== undefined) lowered[name] = Math.min(baseline[name] ?? excess, excess);
  }
  return lowered;
}
