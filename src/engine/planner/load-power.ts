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
