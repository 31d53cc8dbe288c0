/**
 * A fixed time-of-use tariff, for households without a dynamic price: local clock ranges with
 * their prices, the same every day. `from` after `to` wraps past midnight ("22:00"–"06:00").
 */
import { localMinuteOfDay, parseClockMinutes } from '../local-time';
import { configuredItem } from './known-fields';
import { showValue } from '../show-value';

const TARIFF_FIELDS = ['from', 'to', 'importEurPerKwh', 'exportEurPerKwh'];

export interface TariffPeriod {
  fromMinute: number;
  toMinute: number;
  importEurPerKwh: number;
  exportEurPerKwh?: number;
}

const EXAMPLE_PERIOD = '{ "from": "22:00", "to": "06:00", "importEurPerKwh": 0.22 }';
const EXAMPLE = `[${EXAMPLE_PERIOD}, { "from": "06:00", "to": "22:00", "importEurPerKwh": 0.34 }]`;

function priceField(raw: Record<string, unknown>, field: string, where: string, required: boolean): number | undefined {
  const value = raw[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${where}.${field} = ${showValue(value)}: must be a price in EUR/kWh, e.g. 0.25`);
  return value;
}

/** The tariff typed in the editor; blank means none. Throws naming the field. */
export function parseTariff(text: string): TariffPeriod[] {
  if (text.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    throw new Error(`time-of-use prices are not JSON (${(err as Error).message}): write e.g. ${EXAMPLE}`);
  }
  if (!Array.isArray(list)) throw new Error(`time-of-use prices must be a list, e.g. ${EXAMPLE}`);
  return list.map((item, index) => {
    const where = `tariff[${index}]`;
    const raw = configuredItem(item, TARIFF_FIELDS, where, EXAMPLE_PERIOD);
    const fromMinute = parseClockMinutes(raw.from, `${where}.from`);
    const toMinute = parseClockMinutes(raw.to, `${where}.to`);
    if (fromMinute === toMinute) throw new Error(`${where}: from and to are both ${showValue(raw.from)}: give a range, e.g. "06:00" to "22:00"`);
    const period: TariffPeriod = { fromMinute, toMinute, importEurPerKwh: priceField(raw, 'importEurPerKwh', where, true)! };
    const exportPrice = priceField(raw, 'exportEurPerKwh', where, false);
    if (exportPrice !== undefined) period.exportEurPerKwh = exportPrice;
    return period;
  });
}

function covers(period: TariffPeriod, minute: number): boolean {
  return period.fromMinute < period.toMinute ? minute >= period.fromMinute && minute < period.toMinute : minute >= period.fromMinute || minute < period.toMinute;
}

/** The first period covering the local time of ms; none where the table has a hole. */
export function tariffAt(tariff: readonly TariffPeriod[], ms: number, timeZone: string): TariffPeriod | undefined {
  if (tariff.length === 0) return undefined;
  const minute = localMinuteOfDay(ms, timeZone);
  return tariff.find((period) => covers(period, minute));
}
