/**
 * Tibber price sensors: the custom integrations around the official one (e.g. "Tibber Future
 * Prices") list `today` / `tomorrow` as `{ startsAt, total }`; a `prices` list of
 * `{ start_time, price }` is what Tibber's `tibber.get_prices` action returns and what template
 * sensors copy into attributes. Tibber prices are per kWh; the unit is often only the currency.
 */
import { parsePriceTime, parsePriceValue } from './price-time';
import type { Attributes, PriceFormat, RawPricePoint } from './types';

const LISTS = ['today', 'tomorrow', 'prices'] as const;

function isTibberItem(item: unknown): boolean {
  return typeof item === 'object' && item !== null && ('startsAt' in item || 'start_time' in item);
}

function points(attributes: Attributes): RawPricePoint[] {
  return LISTS.flatMap((list) => {
    const items = attributes[list];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item: Record<string, unknown>, i): RawPricePoint[] => {
      const where = `${list}[${i}]`;
      const price = parsePriceValue(item?.total ?? item?.price, where);
      return price === undefined ? [] : [{ startMs: parsePriceTime(item.startsAt ?? item.start_time, where), price }];
    });
  });
}

export const tibber: PriceFormat = {
  integration: 'tibber',
  matches: (a) => LISTS.some((list) => Array.isArray(a[list]) && (a[list] as unknown[]).some(isTibberItem)),
  points,
  unit: (a) => (typeof a.unit_of_measurement === 'string' ? a.unit_of_measurement : typeof a.currency === 'string' ? a.currency : undefined),
};
