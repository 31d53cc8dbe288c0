/**
 * statusText with Node-RED's own i18n and our catalogues: the values are formatted for the language
 * the text was found in, whichever language is asked for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clock, decimal, statusText } from '../../nodes/lib/status-text';
import { catalogues, i18n } from '../helpers/node-red-helper';

/** Node-RED's RED._ as it is when Node-RED runs in `lang`. */
const runtimeIn = (lang: string) => ({ _: (key: string, options?: Record<string, unknown>) => i18n._(key, { ...options, lng: lang }) });

// The tests' Node-RED runs in en-US: German is loaded besides.
beforeAll(async () => {
  await catalogues;
  await i18n.i.loadLanguages(['de']);
});

describe('statusText', () => {
  it.each([
    ['de', 'Überschuss 1,2 kW, 3 Verbraucher'],
    ['en-US', 'surplus 1.2 kW, 3 load(s)'],
    // No catalogue in French: the English text, with English numbers.
    ['fr', 'surplus 1.2 kW, 3 load(s)'],
    // A system locale that is no language ("C.UTF-8" gives "C."): English.
    ['C.', 'surplus 1.2 kW, 3 load(s)'],
  ])('%s: %s', (lang, text) => {
    expect(statusText(runtimeIn(lang), 'hems-optimiser.status.surplus', { kw: decimal(1.24, 1), loads: 3 })).toBe(text);
  });

  it('shows a plain number with up to 3 decimals, no grouping, and text as it is', () => {
    const values = { total: 1234.56789, unit: 'm³', count: 1234567 };
    expect(statusText(runtimeIn('de'), 'hems-pulse.status.counted', values)).toBe('1234,568 m³ (1234567 Impulse)');
    expect(statusText(runtimeIn('en-US'), 'hems-pulse.status.counted', values)).toBe('1234.568 m³ (1234567 pulses)');
  });

  it('shows a moment as HH:MM:SS in the local time zone, and names a catalogue by the key', () => {
    const at = new Date(2026, 0, 15, 7, 5, 9).getTime();
    expect(statusText(runtimeIn('de'), 'hems-meter.status.reading', { headline: '-210 W', time: clock(at) })).toBe('-210 W · 07:05:09');
    // A text of hems-site shown by any node: the key, not the caller, names the catalogue.
    expect(statusText(runtimeIn('de'), 'hems-site.status.badSetting', { problem: 'pvPeakW = missing' })).toBe('Einstellung prüfen: pvPeakW = missing');
  });
});
