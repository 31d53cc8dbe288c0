/**
 * Status texts with values in them, translated where Node-RED runs: a catalogue key whose text has
 * `__name__` placeholders, filled with the values formatted for the language the text came from
 * (German decimal comma). Node-RED's language is `lang` in settings.js, else the system locale.
 * A fixed text stays a bare key in `node.status`: the editor translates that one itself.
 */
import type { NodeAPI } from './node-red';

/** Node-RED files each node's catalogue under "<package>/<type>"; a key names its node type first. */
const PACKAGE = 'node-red-contrib-hems';

/** A number shown with exactly `digits` decimals. */
export interface Decimal {
  decimal: number;
  digits: number;
}
/** A moment (ms since the epoch) shown as HH:MM:SS in the time zone Node-RED runs in. */
export interface Clock {
  clockMs: number;
}
/** Text is shown as it is (an id, a device's or the engine's message); a plain number with up to 3 decimals. */
export type StatusValue = string | number | Decimal | Clock;

export const decimal = (value: number, digits: number): Decimal => ({ decimal: value, digits });
export const clock = (ms: number): Clock => ({ clockMs: ms });

type Translate = Pick<NodeAPI, '_'>;

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatOf(language: string, kind: string, make: () => Intl.NumberFormat | Intl.DateTimeFormat) {
  const id = `${language} ${kind}`;
  let format = formats.get(id);
  if (!format) formats.set(id, (format = make()));
  return format;
}

function shown(value: StatusValue, language: string): string {
  if (typeof value === 'number') return formatOf(language, 'number', () => new Intl.NumberFormat(language, { maximumFractionDigits: 3, useGrouping: false })).format(value);
  // Text, or what a caller typed as text and is not (undefined, null): shown as it is.
  if (typeof value !== 'object' || value === null) return String(value);
  if ('clockMs' in value) {
    return formatOf(language, 'clock', () => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })).format(value.clockMs);
  }
  const { decimal: n, digits } = value;
  return formatOf(language, `decimal ${digits}`, () => new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })).format(n);
}

/** The language i18next answered `key` in; en-US when it names none Intl knows (a locale such as "C."). */
function languageOf(RED: Translate, key: string): string {
  const details = RED._(key, { returnDetails: true }) as { usedLng?: unknown } | string;
  const language = typeof details === 'object' && typeof details.usedLng === 'string' ? details.usedLng : 'en-US';
  try {
    return Intl.getCanonicalLocales(language)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** The text of catalogue `key` ("hems-meter.status.reading") in Node-RED's language, with `values` filled in. */
export function statusText(RED: Translate, key: string, values: Record<string, StatusValue> = {}): string {
  const namespaced = `${PACKAGE}/${key.slice(0, key.indexOf('.'))}:${key}`;
  const language = languageOf(RED, namespaced);
  return String(RED._(namespaced, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, shown(value, language)]))));
}
