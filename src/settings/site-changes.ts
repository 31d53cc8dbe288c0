/** Site settings that a message (`msg.topic`) or Home Assistant (entity key) may change at run time. */
import { validateSiteSettings, type SiteSettings } from '../engine/allocator';
import { isStrategyName, strategyProblem, type OptimiserSettings, type StrategyName } from '../engine/optimiser';
import { HA_LIMIT_MAX_W } from '../ha-discovery/devices/optimiser';

/** A change as the session takes it, or why the value was refused (naming the setting and value). */
export type SiteChange = Partial<OptimiserSettings>;

export const RUNTIME_SETTINGS: Record<string, (value: unknown, site: SiteSettings) => SiteChange | string> = {
  strategy: (value) => (isStrategyName(value) ? { strategy: value as StrategyName } : strategyProblem(value)),
  exportLimitW: (value, site) => limitChange('exportLimitW', value, site),
  importCapW: (value, site) => limitChange('importCapW', value, site),
};

/** null, blank or the HA maximum removes the limit; anything else must pass the site checks. */
function limitChange(field: 'exportLimitW' | 'importCapW', value: unknown, site: SiteSettings): SiteChange | string {
  if (value === null || value === '' || (typeof value === 'number' && value >= HA_LIMIT_MAX_W)) return { site: { [field]: undefined } };
  const errors = validateSiteSettings({ ...site, [field]: value });
  return errors.length > 0 ? errors.map((e) => e.message).join('; ') : { site: { [field]: value as number } };
}
