/** Values as the editor stores them: Node-RED hands numbers over as typed, often as text. */
import { showValue } from '../engine/show-value';

/** Blank means "not set" (the default applies); anything else that is not a number is passed on so validation names it. */
export function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const n = Number(value);
  return (Number.isFinite(n) ? n : String(value)) as number;
}

/**
 * A number setting: blank means the default; anything else that is not a number is refused,
 * naming the setting and the value (never silently the default: the user typed something).
 */
export function numberSetting(value: unknown, fallback: number, setting: string): number {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (Number.isFinite(n)) return n;
  const usual = Number.isFinite(fallback) ? `, or leave it empty for ${fallback}` : '';
  throw new Error(`${setting} = ${showValue(value)}: must be a number${usual}`);
}
