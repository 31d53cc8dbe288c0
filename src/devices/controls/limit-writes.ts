/**
 * An active-power limit turned into register writes for one inverter control, and the check of
 * what the device reads back. Pure; the node sends the writes over its Modbus bus.
 */
import { encodeRegister } from '../encode';
import type { RegisterSpec } from '../profile';
import type { ControlRegister, InverterLimitControl } from './inverter-limits';

/** A limit in W (at the inverter output or the grid point, as the control targets), or none. */
export type WantedLimit = { kind: 'limit'; limitW: number } | { kind: 'release' };

/** One write: a single word goes out with FC 06, two words with FC 16. */
export interface RegisterWrite {
  address: number;
  words: number[];
}

export interface LimitPlan {
  writes: RegisterWrite[];
  /** What the device will hold, for the status and Home Assistant. */
  appliedW: number;
  appliedPct: number;
  /** The same plan twice has the same key: a change of key is a change of limit. */
  key: string;
  text: string;
}

function words(register: ControlRegister, value: number): RegisterWrite {
  const spec = { name: 'power_w', table: 'holding', address: register.address, type: register.type, scale: 1 / register.gain } satisfies RegisterSpec;
  return { address: register.address, words: encodeRegister(spec, value, 'big') };
}

/** Percent registers hold tenths; the limit is rounded down so it never allows more than asked. */
function pctOf(limitW: number, ratedPowerW: number): number {
  return Math.floor(Math.min(100, Math.max(0, (limitW / ratedPowerW) * 100)) * 10) / 10;
}

export function planLimit(control: InverterLimitControl, wanted: WantedLimit, ratedPowerW: number): LimitPlan {
  if (wanted.kind === 'release') {
    const writes = control.mode
      ? [words(control.mode.register, control.mode.released)]
      : [words(control.value, control.unit === 'pct' ? 100 : ratedPowerW)];
    return { writes, appliedW: ratedPowerW, appliedPct: 100, key: 'release', text: 'no limit' };
  }
  const limitW = Math.floor(Math.min(ratedPowerW, Math.max(0, wanted.limitW)));
  const pct = pctOf(limitW, ratedPowerW);
  const value = words(control.value, control.unit === 'pct' ? pct : limitW);
  const writes = control.mode ? [value, words(control.mode.register, control.mode.limiting)] : [value];
  const appliedW = control.unit === 'pct' ? Math.round((pct / 100) * ratedPowerW) : limitW;
  const appliedPct = control.unit === 'pct' ? pct : Math.round((limitW / ratedPowerW) * 1000) / 10;
  const where = control.target === 'grid_export' ? 'export' : 'output';
  return { writes, appliedW, appliedPct, key: writes.map((w) => `${w.address}=${w.words.join(',')}`).join(';'), text: `${where} ≤ ${(appliedW / 1000).toFixed(1)} kW (${appliedPct} %)` };
}

/** Why the device does not hold what was written, or undefined when it does. */
export function readBackProblem(write: RegisterWrite, readWords: number[], what = 'the limit; check its remote power control setting'): string | undefined {
  const same = write.words.length === readWords.length && write.words.every((word, i) => word === readWords[i]);
  if (same) return undefined;
  const hex = (ws: number[]) => ws.map((w) => `0x${w.toString(16).padStart(4, '0')}`).join(' ');
  return `register ${write.address} reads back ${hex(readWords)} after ${hex(write.words)} was written: the device refused or changed ${what}`;
}
