/**
 * Loads with a few fixed power levels (on/off, heating-rod stages, SG Ready states) are a ladder
 * of rungs. Each rung says what it draws and what surplus it needs to be climbed to or stayed on.
 */
import type { OnOffLoadConfig, SgReadyLoadConfig, SteppedLoadConfig } from './types';

export interface Rung {
  label: string;
  powerW: number;
  /** Surplus needed to climb to this rung. */
  upThresholdW: number;
  /** Below this surplus the load leaves this rung. */
  downThresholdW: number;
}

export type Thresholds = { enableThresholdW: number; disableThresholdW: number };

const OFF_RUNG: Rung = { label: 'off', powerW: 0, upThresholdW: 0, downThresholdW: Number.NEGATIVE_INFINITY };

export function onOffRungs(cfg: OnOffLoadConfig, thresholds: Thresholds): Rung[] {
  return [
    OFF_RUNG,
    { label: 'on', powerW: cfg.powerW, upThresholdW: thresholds.enableThresholdW, downThresholdW: thresholds.disableThresholdW },
  ];
}

/**
 * The thresholds are given for stage 1; higher stages keep the same headroom above (to climb) and
 * below (to stay) their cumulative power, so a 3 × 2 kW rod with enable 2.2 kW climbs to stage 2
 * at 4.2 kW.
 */
export function steppedRungs(cfg: SteppedLoadConfig, thresholds: Thresholds): Rung[] {
  const firstStageW = cfg.stagePowersW[0] ?? 0;
  const climbHeadroomW = thresholds.enableThresholdW - firstStageW;
  const stayHeadroomW = firstStageW - thresholds.disableThresholdW;
  const stageCount = cfg.stagePowersW.length;
  let cumulativeW = 0;
  const stages = cfg.stagePowersW.map((stageW, index) => {
    cumulativeW += stageW;
    return {
      label: `stage ${index + 1} of ${stageCount}`,
      powerW: cumulativeW,
      upThresholdW: cumulativeW + climbHeadroomW,
      downThresholdW: cumulativeW - stayHeadroomW,
    };
  });
  return [OFF_RUNG, ...stages];
}

export const SG_READY_LADDER_STATES = ['normal', 'recommend', 'force_on'] as const;

export function sgReadyRungs(cfg: SgReadyLoadConfig): Rung[] {
  return [
    { ...OFF_RUNG, label: 'normal' },
    {
      label: 'recommend',
      powerW: cfg.boostPowerW,
      upThresholdW: cfg.recommendThresholdW,
      downThresholdW: cfg.recommendThresholdW,
    },
    {
      label: 'force_on',
      powerW: cfg.boostPowerW,
      upThresholdW: cfg.forceOnThresholdW,
      downThresholdW: cfg.forceOnThresholdW,
    },
  ];
}

/** Highest rung drawing at most `powerW` (half a watt of slack for float sums). */
export function rungAtOrBelow(rungs: Rung[], powerW: number): number {
  let found = 0;
  rungs.forEach((rung, index) => {
    if (rung.powerW <= powerW + 0.5) found = index;
  });
  return found;
}
