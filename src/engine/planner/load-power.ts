/** What a load can draw: its rungs for the MILP and its extremes for capacity checks and greedy plans. */
import type { LoadPower } from './types';

export function maxPowerW(power: LoadPower): number {
  return MAX_POWER[power.kind](power as never);
}

export function minRunningPowerW(power: LoadPower): number {
  return MIN_RUNNING_POWER[power.kind](power as never);
}

const MAX_POWER: { [K in LoadPower['kind']]: (p: Extract<LoadPower, { kind: K }>) => number } = {
  on_off: (p) => p.powerW,
  stepped: (p) => p.stagePowersW.reduce((sum, w) => sum + w, 0),
  modulating: (p) => p.maxPowerW,
};

const MIN_RUNNING_POWER: { [K in LoadPower['kind']]: (p: Extract<LoadPower, { kind: K }>) => number } = {
  on_off: (p) => p.powerW,
  stepped: (p) => p.stagePowersW[0],
  modulating: (p) => p.minPowerW,
};

/** The most the load can draw within a limit, or 0 if not even its lowest running power fits. */
export function largestPowerWithin(power: LoadPower, limitW: number): number {
  return LARGEST_WITHIN[power.kind](power as never, limitW);
}

const LARGEST_WITHIN: { [K in LoadPower['kind']]: (p: Extract<LoadPower, { kind: K }>, limitW: number) => number } = {
  on_off: (p, limitW) => (limitW >= p.powerW ? p.powerW : 0),
  stepped: (p, limitW) => {
    let total = 0;
    for (const stage of p.stagePowersW) {
      if (total + stage > limitW) break;
      total += stage;
    }
    return total;
  },
  modulating: (p, limitW) => (limitW >= p.minPowerW ? Math.min(p.maxPowerW, limitW) : 0),
};
