/**
 * What a measured or asked-for power can physically be at this site: a value beyond it is a
 * fault (a unit mix-up, a garbled sender) and is refused, never stored or acted on.
 */
import { fusePowerW, type SiteSettings } from '../../engine/allocator';

/**
 * A gG fuse carries 1.6 × its rating for up to an hour before it must blow (the conventional
 * fusing current, IEC 60269-1): a real reading can exceed the rating, not this.
 */
const CONVENTIONAL_FUSING_FACTOR = 1.6;

/** The most power the site's main fuse lets through on three phases; none without a fuse rating. */
export function siteMaxPowerW(site: Pick<SiteSettings, 'fuseLimitA' | 'phaseVoltageV'>): number | undefined {
  const ratedW = fusePowerW(site);
  return ratedW === undefined ? undefined : ratedW * CONVENTIONAL_FUSING_FACTOR;
}

/** Why a power is out of range (undefined: within it). */
export function powerProblem(powerW: number, maxPowerW: number | undefined): string | undefined {
  if (maxPowerW === undefined || Math.abs(powerW) <= maxPowerW) return undefined;
  return `beyond what the site's main fuse lets through (${Math.round(maxPowerW)} W): check the sender's unit (W, not mW), or the site's fuse rating`;
}
