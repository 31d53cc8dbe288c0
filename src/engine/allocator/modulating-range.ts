/**
 * Power ranges of modulating loads. An EV charger is set in whole amperes per phase (the smallest
 * step every charger accepts), so its power is snapped down to a whole current: rounding down
 * never draws more than the surplus it was given.
 */
import type { ModulatingLoadConfig, PhaseCount } from './types';

export interface PowerRange {
  minW: number;
  maxW: number;
}

export interface SnappedPower {
  powerW: number;
  currentA?: number;
}

const PHASE_OPTIONS: Record<PhaseCount | 'auto', readonly PhaseCount[]> = { 1: [1], 3: [3], auto: [1, 3] };

/** Phase counts the load can use; a power-controlled load has no choice and reports [1]. */
export function phaseOptions(cfg: ModulatingLoadConfig): readonly PhaseCount[] {
  return PHASE_OPTIONS[cfg.control === 'power' ? 1 : cfg.phases];
}

export function powerRangeW(cfg: ModulatingLoadConfig, phases: PhaseCount, voltageV: number): PowerRange {
  if (cfg.control === 'power') return { minW: cfg.minPowerW, maxW: cfg.maxPowerW };
  const wattsPerAmp = voltageV * phases;
  return { minW: cfg.minCurrentA * wattsPerAmp, maxW: cfg.maxCurrentA * wattsPerAmp };
}

/** Clamps into the range for `phases`, then rounds an EV current down to whole amperes. */
export function snapPowerW(cfg: ModulatingLoadConfig, powerW: number, phases: PhaseCount, voltageV: number): SnappedPower {
  const range = powerRangeW(cfg, phases, voltageV);
  const clampedW = Math.min(range.maxW, Math.max(range.minW, powerW));
  if (cfg.control === 'power') return { powerW: clampedW };
  const currentA = Math.max(cfg.minCurrentA, Math.floor(clampedW / (voltageV * phases) + 1e-9));
  return { powerW: currentA * voltageV * phases, currentA };
}

export function mostPhases(cfg: ModulatingLoadConfig): PhaseCount {
  const options = phaseOptions(cfg);
  return options[options.length - 1] ?? 1;
}

export function fewestPhases(cfg: ModulatingLoadConfig): PhaseCount {
  return phaseOptions(cfg)[0] ?? 1;
}

/** With automatic switching, three phases once the surplus covers the three-phase minimum. */
export function phasesForSurplus(cfg: ModulatingLoadConfig, surplusW: number, voltageV: number): PhaseCount {
  const most = mostPhases(cfg);
  return surplusW >= powerRangeW(cfg, most, voltageV).minW ? most : fewestPhases(cfg);
}
