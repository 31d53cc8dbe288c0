/**
 * The HACS "ENTSO-e Transparency Platform" integration (JaccoR/hass-entso-e): its average-price
 * sensor carries `prices_today`, `prices_tomorrow` and `prices` (both days), each a list of
 * `{ time, price }` with 15- or 60-minute starts; the unit is `unit_of_measurement` ("EUR/kWh").
 */
import { parsePriceTime, parsePriceValue } from './price-time';
import type { Attributes, PriceFormat, RawPricePoint } from './types';

const LISTS = ['prices', 'prices_today', 'prices_tomorrow'] as const;

function isEntsoeItem(item: unknown): boolean {
  return typeof item === 'object' && item !== null && 'time' in item && 'price' in item;
}

function points(attributes: Attributes): RawPricePoint[] {
  return LISTS.flatMap((list) => {
    const items = attributes[list];
    if (!Array.isArray(items)) return [];
    return items.flatMap((item: Record<string, unknown>, i): RawPricePoint[] => {
      const where = `${list}[${i}]`;
      const price = parsePriceValue(item?.price, where);
      return price === undefined ? [] : [{ startMs: parsePriceTime(item.time, where), price }];
    });
  });
}

export const entsoe: PriceFormat = {
  integration: 'entsoe',
  matches: (a) => LISTS.some((list) => Array.isArray(a[list]) && (a[list] as unknown[]).some(isEntsoeItem)),
  points,
  unit: (a) => (typeof a.unit_of_measurement === 'string' ? a.unit_of_measurement : undefined),
};
