/**
 * Run-time changes (from Home Assistant or messages) kept across restarts, together with the
 * configured values they replaced. A redeploy with a different configured value means the user
 * changed the setting in the editor on purpose, so that value wins over an older run-time change.
 */

/** Values are JSON: `null` stands for "no limit". */
export type SettingValues = Record<string, string | number | boolean | null>;

export interface KeptChanges {
  configured: SettingValues;
  changed: SettingValues;
}

function sameValues(a: SettingValues, b: SettingValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** The kept changes that still apply on top of `configured`; none when the configuration moved on. */
export function changesToRestore(kept: Partial<KeptChanges> | undefined, configured: SettingValues): SettingValues {
  if (!kept?.configured || !kept.changed || !sameValues(kept.configured, configured)) return {};
  return Object.fromEntries(Object.entries(kept.changed).filter(([key]) => Object.hasOwn(configured, key)));
}

/** What to store after a change: only the values that differ from the configuration. */
export function keptChanges(configured: SettingValues, current: SettingValues): KeptChanges {
  const changed = Object.fromEntries(Object.entries(current).filter(([key, value]) => configured[key] !== value));
  return { configured, changed };
}
