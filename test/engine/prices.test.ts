import { describe, expect, it } from 'vitest';
import { eurPerKwhFactor, localMidnightMs, parsePriceForecast, type PriceForecast } from '../../src/engine/prices';

/** 15 January 2026 in Berlin (UTC+1): today starts 2026-01-14T23:00Z, tomorrow 2026-01-15T23:00Z. */
const DAYS = { todayStartMs: Date.UTC(2026, 0, 14, 23), tomorrowStartMs: Date.UTC(2026, 0, 15, 23) };

const slot = (start: string, end: string, importEurPerKwh: number) => ({ start, end, importEurPerKwh });

const CASES: Array<[string, Record<string, unknown>, PriceForecast]> = [
  [
    'Nord Pool raw lists in c/kWh, tomorrow after today, unsorted and with a duplicate',
    {
      unit_of_measurement: 'c/kWh',
      currency: 'EUR',
      price_in_cents: true,
      raw_today: [
        { start: '2026-01-15T01:00:00+01:00', end: '2026-01-15T02:00:00+01:00', value: 9.87 },
        { start: '2026-01-15T00:00:00+01:00', end: '2026-01-15T01:00:00+01:00', value: 10.5 },
        { start: '2026-01-15T00:00:00+01:00', end: '2026-01-15T01:00:00+01:00', value: 10.5 },
        { start: '2026-01-15T02:00:00+01:00', end: '2026-01-15T03:00:00+01:00', value: null },
      ],
      raw_tomorrow: [{ start: '2026-01-16T00:00:00+01:00', end: '2026-01-16T01:00:00+01:00', value: -0.3 }],
      today: [10.5, 9.87, null],
      tomorrow: [-0.3],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-14T23:00:00.000Z', '2026-01-15T00:00:00.000Z', 0.105),
        slot('2026-01-15T00:00:00.000Z', '2026-01-15T01:00:00.000Z', 0.0987),
        slot('2026-01-15T23:00:00.000Z', '2026-01-16T00:00:00.000Z', -0.003),
      ],
      source: { integration: 'nordpool', entity: 'sensor.price' },
    },
  ],
  [
    'Nord Pool 15-minute raw list in EUR/MWh',
    {
      currency: 'EUR',
      unit: 'MWh',
      price_in_cents: false,
      raw_today: [
        { start: '2026-01-15T00:00:00+01:00', end: '2026-01-15T00:15:00+01:00', value: 101.2 },
        { start: '2026-01-15T00:15:00+01:00', end: '2026-01-15T00:30:00+01:00', value: 99.99 },
      ],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-14T23:00:00.000Z', '2026-01-14T23:15:00.000Z', 0.1012),
        slot('2026-01-14T23:15:00.000Z', '2026-01-14T23:30:00.000Z', 0.09999),
      ],
      source: { integration: 'nordpool', entity: 'sensor.price' },
    },
  ],
  [
    'Nord Pool bare lists only, counted from local midnight',
    { unit_of_measurement: 'EUR/kWh', today: [0.2, 0.25], tomorrow: [0.3] },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-14T23:00:00.000Z', '2026-01-15T00:00:00.000Z', 0.2),
        slot('2026-01-15T00:00:00.000Z', '2026-01-15T01:00:00.000Z', 0.25),
        slot('2026-01-15T23:00:00.000Z', '2026-01-16T00:00:00.000Z', 0.3),
      ],
      source: { integration: 'nordpool', entity: 'sensor.price' },
    },
  ],
  [
    'Tibber today/tomorrow with startsAt and total, unit only the currency',
    {
      unit_of_measurement: 'EUR',
      today: [
        { startsAt: '2026-01-15T00:00:00.000+01:00', total: 0.2871, energy: 0.11, tax: 0.1771 },
        { startsAt: '2026-01-15T01:00:00.000+01:00', total: 0.2795, energy: 0.1, tax: 0.1795 },
      ],
      tomorrow: [{ startsAt: '2026-01-16T00:00:00.000+01:00', total: 0.301 }],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-14T23:00:00.000Z', '2026-01-15T00:00:00.000Z', 0.2871),
        slot('2026-01-15T00:00:00.000Z', '2026-01-15T01:00:00.000Z', 0.2795),
        slot('2026-01-15T23:00:00.000Z', '2026-01-16T00:00:00.000Z', 0.301),
      ],
      source: { integration: 'tibber', entity: 'sensor.price' },
    },
  ],
  [
    'Tibber prices list (get_prices style) in ct/kWh, quarter hours',
    {
      unit_of_measurement: 'ct/kWh',
      prices: [
        { start_time: '2026-01-15T10:15:00+01:00', price: 25.5 },
        { start_time: '2026-01-15T10:00:00+01:00', price: 24.1 },
      ],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-15T09:00:00.000Z', '2026-01-15T09:15:00.000Z', 0.241),
        slot('2026-01-15T09:15:00.000Z', '2026-01-15T09:30:00.000Z', 0.255),
      ],
      source: { integration: 'tibber', entity: 'sensor.price' },
    },
  ],
  [
    'ENTSO-E prices_today/prices_tomorrow and the overlapping prices list',
    {
      unit_of_measurement: 'EUR/kWh',
      prices_today: [
        { time: '2026-01-15T00:00:00+01:00', price: 0.0912 },
        { time: '2026-01-15T01:00:00+01:00', price: 0.0854 },
      ],
      prices_tomorrow: [{ time: '2026-01-16T00:00:00+01:00', price: 0.1003 }],
      prices: [
        { time: '2026-01-15T00:00:00+01:00', price: 0.0912 },
        { time: '2026-01-15T01:00:00+01:00', price: 0.0854 },
        { time: '2026-01-16T00:00:00+01:00', price: 0.1003 },
      ],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-14T23:00:00.000Z', '2026-01-15T00:00:00.000Z', 0.0912),
        slot('2026-01-15T00:00:00.000Z', '2026-01-15T01:00:00.000Z', 0.0854),
        slot('2026-01-15T23:00:00.000Z', '2026-01-16T00:00:00.000Z', 0.1003),
      ],
      source: { integration: 'entsoe', entity: 'sensor.price' },
    },
  ],
  [
    'ENTSO-E quarter hours, times in UTC',
    {
      unit_of_measurement: '€/kWh',
      prices_today: [
        { time: '2026-01-15T12:00:00Z', price: 0.05 },
        { time: '2026-01-15T12:15:00Z', price: 0.04 },
        { time: '2026-01-15T12:30:00Z', price: 0.03 },
      ],
    },
    {
      unit: 'EUR/kWh',
      slots: [
        slot('2026-01-15T12:00:00.000Z', '2026-01-15T12:15:00.000Z', 0.05),
        slot('2026-01-15T12:15:00.000Z', '2026-01-15T12:30:00.000Z', 0.04),
        slot('2026-01-15T12:30:00.000Z', '2026-01-15T12:45:00.000Z', 0.03),
      ],
      source: { integration: 'entsoe', entity: 'sensor.price' },
    },
  ],
];

describe('parsePriceForecast', () => {
  it.each(CASES)('%s', (_name, attributes, expected) => {
    expect(parsePriceForecast(attributes, { ...DAYS, entity: 'sensor.price' })).toEqual(expected);
  });

  it('takes the unit from the node when the sensor states none', () => {
    const forecast = parsePriceForecast({ prices_today: [{ time: '2026-01-15T12:00:00Z', price: 120 }] }, { ...DAYS, unit: 'EUR/MWh' });
    expect(forecast.slots).toEqual([slot('2026-01-15T12:00:00.000Z', '2026-01-15T13:00:00.000Z', 0.12)]);
    expect(forecast.source).toEqual({ integration: 'entsoe' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no forecast', { friendly_name: 'Price' }, 'no price forecast in the attributes (friendly_name): pick a sensor with Nord Pool raw_today/raw_tomorrow'],
    ['no unit', { prices_today: [{ time: '2026-01-15T12:00:00Z', price: 1 }] }, 'the entsoe sensor states no price unit: pick the unit (EUR/kWh, ct/kWh, EUR/MWh) in the node'],
    ['other currency', { unit_of_measurement: 'NOK/kWh', today: [1] }, 'price unit "NOK/kWh" is not one hems converts (EUR/kWh, ct/kWh, EUR/MWh)'],
    [
      'time without offset',
      { unit_of_measurement: 'EUR/kWh', prices_today: [{ time: '2026-01-15 12:00', price: 1 }] },
      'prices_today[0]: time "2026-01-15 12:00" is not an ISO 8601 time with a UTC offset',
    ],
    ['price not a number', { unit_of_measurement: 'EUR/kWh', today: [{ startsAt: '2026-01-15T12:00:00Z', total: 'n/a' }] }, 'today[0]: price "n/a" is not a number'],
  ])('%s is refused with the reason', (_name, attributes, message) => {
    expect(() => parsePriceForecast(attributes, DAYS)).toThrow(message);
  });
});

describe('eurPerKwhFactor', () => {
  it.each([
    ['EUR/kWh', 1],
    ['€/kWh', 1],
    ['EUR', 1],
    ['ct/kWh', 0.01],
    ['c/kWh', 0.01],
    ['Cent/kWh', 0.01],
    ['EUR/MWh', 0.001],
  ])('%s × %d', (unit, factor) => expect(eurPerKwhFactor(unit)).toBe(factor));
});

describe('localMidnightMs', () => {
  it.each([
    ['a winter day in Berlin', Date.UTC(2026, 0, 15, 12), 'Europe/Berlin', 0, '2026-01-14T23:00:00.000Z'],
    ['the next day', Date.UTC(2026, 0, 15, 12), 'Europe/Berlin', 1, '2026-01-15T23:00:00.000Z'],
    ['just after local midnight', Date.UTC(2026, 0, 14, 23, 30), 'Europe/Berlin', 0, '2026-01-14T23:00:00.000Z'],
    ['the day after the spring switch', Date.UTC(2026, 2, 29, 12), 'Europe/Berlin', 1, '2026-03-29T22:00:00.000Z'],
    ['the spring switch day itself', Date.UTC(2026, 2, 29, 12), 'Europe/Berlin', 0, '2026-03-28T23:00:00.000Z'],
    ['UTC', Date.UTC(2026, 0, 15, 12), 'UTC', 0, '2026-01-15T00:00:00.000Z'],
  ])('%s', (_name, nowMs, zone, offset, expected) => {
    expect(new Date(localMidnightMs(nowMs, zone, offset)).toISOString()).toBe(expected);
  });
});
