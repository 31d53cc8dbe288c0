/** hems-optimiser: readings of the site's meters; by `msg.topic` run-time settings, ripple-control contacts and prices. */
import type { SiteSettings } from '../../engine/allocator';
import { parsePrices, parseRippleInputs, type TimedPrice } from '../../engine/optimiser';
import type { Reading } from '../../engine/reading';
import { invalid, valid, type Validated } from '../../engine/validation';
import { RUNTIME_SETTINGS, type SiteChange } from '../site-changes';
import type { InputContract, InputRoute } from './gate';
import { readReading } from './reading';

export interface OptimiserInputContext {
  site: SiteSettings;
  /** Ripple-control input names in rule order. */
  rippleNames: readonly string[];
  maxPowerW: number | undefined;
}

function settingChange(setting: string): InputRoute<OptimiserInputContext, SiteChange> {
  return {
    read: (payload, { site }): Validated<SiteChange> => {
      const outcome = RUNTIME_SETTINGS[setting](payload, site);
      return typeof outcome === 'string' ? invalid(`msg.payload: ${outcome}`) : valid(outcome);
    },
  };
}

export const OPTIMISER_INPUTS: InputContract<
  OptimiserInputContext,
  { strategy: SiteChange; exportLimitW: SiteChange; importCapW: SiteChange; ripple: boolean[]; prices: TimedPrice[] },
  Reading
> = {
  topics: {
    strategy: settingChange('strategy'),
    exportLimitW: settingChange('exportLimitW'),
    importCapW: settingChange('importCapW'),
    ripple: { read: (payload, { rippleNames }) => parseRippleInputs(payload, rippleNames) },
    prices: { read: (payload) => parsePrices(payload) },
  },
  otherwise: { read: (payload, { maxPowerW }) => readReading(payload, maxPowerW) },
};
