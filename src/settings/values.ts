/** Values as the editor stores them: Node-RED hands numbers over as typed, often as text. */

/** Blank means "not set" (the default applies); anything else that is not a number is passed on so validation names it. */
export function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const n = Number(value);
  return (Number.isFinite(n) ? n : String(value)) as number;
}
