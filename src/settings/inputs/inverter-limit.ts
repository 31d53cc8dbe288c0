/**
 * hems-inverter-limit: the optimiser's cycle message (docs/architecture.md "Optimiser cycle"):
 * null `inverterLimitW` releases; a grid-point control takes the feed-in limit `maxExportW`.
 */
import type { InverterLimitControl } from '../../devices/controls/inverter-limits';
import type { WantedLimit } from '../../devices/controls/limit-writes';
import { valid } from '../../engine/validation';
import { isRecord, refuse, type InputContract } from './gate';

export interface InverterLimitInputContext {
  control: InverterLimitControl;
}

export const INVERTER_LIMIT_INPUTS: InputContract<InverterLimitInputContext, Record<never, never>, WantedLimit> = {
  topics: {},
  otherwise: {
    read: (payload, { control }) => {
      const site = isRecord(payload) ? payload.site : undefined;
      if (!isRecord(site) || !('inverterLimitW' in site)) {
        return refuse('msg.payload.site', site, 'expected the optimiser cycle message { payload: { site: { inverterLimitW, maxExportW } } }: wire the hems-optimiser output here');
      }
      if (site.inverterLimitW === null) return valid({ kind: 'release' });
      const field = control.target === 'grid_export' ? 'maxExportW' : 'inverterLimitW';
      const limitW = site[field];
      if (typeof limitW !== 'number' || !Number.isFinite(limitW) || limitW < 0) {
        return refuse(`msg.payload.site.${field}`, limitW, 'must be a power in W, 0 or more; update the hems-optimiser that sends it');
      }
      return valid({ kind: 'limit', limitW });
    },
  },
};
