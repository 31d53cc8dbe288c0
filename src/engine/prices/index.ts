/**
 * Price forecasts from Home Assistant sensor attributes, in the styles the common integrations
 * use. Pure: the caller passes the attributes and where its days begin.
 */
import { entsoe } from './entsoe';
import { nordPool } from './nordpool';
import { eurPerKwhFactor } from './price-unit';
import { toSlots } from './slots';
import { tibber } from './tibber';
import type { Attributes, DayStarts, PriceForecast, PriceFormat } from './types';

export { localMidnightMs } from './price-time';
export { eurPerKwhFactor } from './price-unit';
export type { PriceForecast, PriceSlot, PriceIntegration } from './types';

/** Tried in order; ENTSO-E and Tibber both may use `prices`, told apart by their item keys. */
export const PRICE_FORMATS: readonly PriceFormat[] = [nordPool, entsoe, tibber];

export interface PriceParseOptions extends DayStarts {
  /** The sensor's entity id, carried into `source`. */
  entity?: string;
  /** Overrides the unit the attributes state (or fail to state). */
  unit?: string;
}

export function parsePriceForecast(attributes: Attributes, options: PriceParseOptions): PriceForecast {
  const format = PRICE_FORMATS.find((f) => f.matches(attributes));
  if (!format) {
    const keys = Object.keys(attributes).join(', ') || 'none';
    throw new Error(
      `no price forecast in the attributes (${keys}): pick a sensor with Nord Pool raw_today/raw_tomorrow, Tibber today/tomorrow (startsAt, total) or ENTSO-E prices_today/prices`,
    );
  }
  const unit = options.unit || format.unit(attributes);
  if (!unit) {
    throw new Error(`the ${format.integration} sensor states no price unit: pick the unit (EUR/kWh, ct/kWh, EUR/MWh) in the node`);
  }
  const slots = toSlots(format.points(attributes, options), eurPerKwhFactor(unit));
  const source: PriceForecast['source'] = { integration: format.integration };
  if (options.entity) source.entity = options.entity;
  return { unit: 'EUR/kWh', slots, source };
}
