import { SITE_DEFAULTS } from './defaults';
import type { SiteSettings } from './types';

const PHASES = 3;

/** The main fuse's rating as a power on all three phases (3 × fuse × phase voltage); undefined without a rating. */
export function fusePowerW(site: Pick<SiteSettings, 'fuseLimitA' | 'phaseVoltageV'>): number | undefined {
  return site.fuseLimitA === undefined ? undefined : PHASES * site.fuseLimitA * (site.phaseVoltageV ?? SITE_DEFAULTS.phaseVoltageV);
}
