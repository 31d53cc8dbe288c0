/**
 * What an installer sets per device, applied to the decoded values: a CT ratio, an inverted
 * direction, which physical phase is L1/L2/L3, and which values to publish. Pure.
 */
import { MEASUREMENTS } from '../engine/measurements';
import { showValue } from '../engine/show-value';

export type Phase = 'l1' | 'l2' | 'l3';

export interface DeviceOptions {
  /** External current transformers: primary / secondary, e.g. 100/5 = 20. Scales currents, powers, energies. */
  ctRatio: number;
  /** The meter is mounted the other way round: powers change sign and import/export swap. */
  inverted: boolean;
  /** Which canonical phase each meter phase is: { l1: 'l2', … } when the meter's L1 is the site's L2. */
  phaseMap: Record<Phase, Phase>;
  /** Publish only these names; empty = everything the profile reads. */
  publish: readonly string[];
}

export const DEFAULT_DEVICE_OPTIONS: DeviceOptions = {
  ctRatio: 1,
  inverted: false,
  phaseMap: { l1: 'l1', l2: 'l2', l3: 'l3' },
  publish: [],
};

const CT_SCALED = new Set(['current', 'power', 'reactive_power', 'apparent_power', 'energy', 'reactive_energy']);
const SIGNED_BY_DIRECTION = new Set(['power', 'reactive_power']);
const SWAPPED_BY_DIRECTION: Record<string, string> = { import: 'export', export: 'import' };

/** `voltage_l1_l2_v` style names carry two phases; both are remapped. */
function remapPhases(name: string, map: Record<Phase, Phase>): string {
  return name.replace(/_(l[123])(?=_|$)/g, (_m, p: Phase) => `_${map[p]}`);
}

function swapDirection(name: string): string {
  return name.replace(/(^|_)(import|export)(_|$)/, (_m, a: string, word: string, b: string) => `${a}${SWAPPED_BY_DIRECTION[word]}${b}`);
}

export function applyDeviceOptions(values: Readonly<Record<string, number>>, options: DeviceOptions): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, raw] of Object.entries(values)) {
    const quantity = MEASUREMENTS[name]?.quantity;
    let value = quantity && CT_SCALED.has(quantity) ? raw * options.ctRatio : raw;
    let target = remapPhases(name, options.phaseMap);
    if (options.inverted) {
      if (quantity && SIGNED_BY_DIRECTION.has(quantity)) value = -value;
      target = swapDirection(target);
    }
    out[target] = Math.round(value * 1e9) / 1e9 + 0;
  }
  if (options.publish.length === 0) return out;
  const wanted = new Set(options.publish);
  return Object.fromEntries(Object.entries(out).filter(([name]) => wanted.has(name)));
}

/** Errors that name the field, the offending value and the fix. */
export function validateDeviceOptions(options: DeviceOptions): string[] {
  const errors: string[] = [];
  if (!(Number.isFinite(options.ctRatio) && options.ctRatio > 0)) errors.push(`CT ratio ${options.ctRatio} must be a number above 0 (primary ÷ secondary, e.g. 100/5 = 20)`);
  const targets = Object.values(options.phaseMap);
  if (new Set(targets).size !== 3 || targets.some((t) => !['l1', 'l2', 'l3'].includes(t))) {
    errors.push(`phase mapping ${showValue(options.phaseMap)} must send L1, L2 and L3 to three different phases`);
  }
  const unknown = options.publish.filter((n) => !(n in MEASUREMENTS));
  if (unknown.length > 0) errors.push(`cannot publish ${unknown.join(', ')}: not canonical measurement names`);
  return errors;
}
