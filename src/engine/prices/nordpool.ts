/**
 * The HACS "Nord Pool" integration (custom-components/nordpool): `raw_today` / `raw_tomorrow` are
 * lists of `{ start, end, value }` with local ISO times; `today` / `tomorrow` are the same prices
 * as bare numbers from local midnight (null where the exchange gave none). The unit is in
 * `unit_of_measurement` ("EUR/kWh", "c/kWh" …), or in `currency`, `unit` and `price_in_cents`.
 */
import { bareListStepMs, parsePriceTime, parsePriceValue } from './price-time';
import type { Attributes, DayStarts, PriceFormat, RawPricePoint } from './types';

const RAW_DAYS = ['raw_today', 'raw_tomorrow'] as const;
const BARE_DAYS = [
  ['today', 'todayStartMs'],
  ['tomorrow', 'tomorrowStartMs'],
] as const;

function rawPoints(attributes: Attributes): RawPricePoint[] {
  return RAW_DAYS.flatMap((day) => {
    const list = attributes[day];
    if (!Array.isArray(list)) return [];
    return list.flatMap((item: Record<string, unknown>, i): RawPricePoint[] => {
      const where = `${day}[${i}]`;
      const price = parsePriceValue(item?.value, where);
      if (price === undefined) return [];
      return [{ startMs: parsePriceTime(item.start, where), endMs: parsePriceTime(item.end, where), price }];
    });
  });
}

function barePoints(attributes: Attributes, days: DayStarts): RawPricePoint[] {
  return BARE_DAYS.flatMap(([day, startKey]) => {
    const list = attributes[day];
    if (!Array.isArray(list)) return [];
    const stepMs = bareListStepMs(list.length);
    return list.flatMap((value, i): RawPricePoint[] => {
      const price = parsePriceValue(value, `${day}[${i}]`);
      const startMs = days[startKey] + i * stepMs;
      return price === undefined ? [] : [{ startMs, endMs: startMs + stepMs, price }];
    });
  });
}

export const nordPool: PriceFormat = {
  integration: 'nordpool',
  matches: (a) => Array.isArray(a.raw_today) || (Array.isArray(a.today) && a.today.every((v) => v === null || typeof v === 'number')),
  // The raw lists carry times; the bare lists only make sense counted from our idea of midnight.
  points: (a, days) => (Array.isArray(a.raw_today) ? rawPoints(a) : barePoints(a, days)),
  unit: (a) => {
    if (typeof a.unit_of_measurement === 'string') return a.unit_of_measurement;
    if (typeof a.currency !== 'string') return undefined;
    return `${a.price_in_cents === true ? 'c' : a.currency}/${typeof a.unit === 'string' ? a.unit : 'kWh'}`;
  },
};
