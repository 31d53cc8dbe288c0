/** A field a person mistyped ("days" for "weekdays") must not be ignored in silence: the job would quietly do something else. */
export function refuseUnknownFields(raw: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(raw).filter((field) => !known.includes(field));
  if (unknown.length > 0) throw new Error(`${where}: ${unknown.map((f) => JSON.stringify(f)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not known here: use ${known.join(', ')}`);
}
