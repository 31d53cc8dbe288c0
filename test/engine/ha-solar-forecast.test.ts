/** HA's energy/solar_forecast answer → 15-minute PV slots: periods, night gaps, several roofs, and the errors people see. */
import { describe, expect, it } from 'vitest';
import { pvForecastFromHa } from '../../src/engine/forecast';

const slotsOf = (answer: unknown, entries: string[] = []) => {
  const parsed = pvForecastFromHa(answer, entries);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value.slots.map((s) => [s.start.slice(11, 16), s.pvW]);
};

describe('PV forecast from Home Assistant', () => {
  it('spreads the Wh of each hour over its four slots as mean power', () => {
    const answer = { roof: { wh_hours: { '2026-06-01T10:00:00+00:00': 2000, '2026-06-01T11:00:00+00:00': 1000 } } };
    expect(slotsOf(answer)).toEqual([
      ['10:00', 2000], ['10:15', 2000], ['10:30', 2000], ['10:45', 2000],
      ['11:00', 1000], ['11:15', 1000], ['11:30', 1000], ['11:45', 1000],
    ]);
  });

  it('reads local times with offsets, ends a period at the next one, and keeps the night at 0 W', () => {
    // Forecast.Solar lists sunrise as its own point and nothing between sunset and sunrise.
    const answer = {
      roof: {
        wh_hours: {
          '2026-06-01T20:00:00+02:00': 400, // 18:00Z, an hour
          '2026-06-02T06:30:00+02:00': 100, // 04:30Z, half an hour until 05:00Z
          '2026-06-02T07:00:00+02:00': 800,
        },
      },
    };
    const slots = slotsOf(answer);
    expect(slots.slice(0, 5)).toEqual([['18:00', 400], ['18:15', 400], ['18:30', 400], ['18:45', 400], ['19:00', 0]]);
    expect(slots.filter(([time]) => time >= '04:30' && time < '06:00')).toEqual([
      ['04:30', 200], ['04:45', 200], ['05:00', 800], ['05:15', 800], ['05:30', 800], ['05:45', 800],
    ]);
  });

  it('adds up several roofs, or takes the ones asked for', () => {
    const answer = {
      east: { wh_hours: { '2026-06-01T08:00:00Z': 1200 } },
      west: { wh_hours: { '2026-06-01T08:00:00Z': 400 } },
      stale: null,
    };
    expect(slotsOf(answer)[0]).toEqual(['08:00', 1600]);
    expect(slotsOf(answer, ['west'])[0]).toEqual(['08:00', 400]);
    expect(pvForecastFromHa(answer)).toMatchObject({ ok: true, value: { entries: ['east', 'west'] } });
  });

  it.each([
    [{}, [], 'Home Assistant has no solar forecast: add Forecast.Solar or Solcast and pick it under the solar panels of the Energy dashboard'],
    [{ east: { wh_hours: {} } }, ['west'], 'no forecast for config entry west: Home Assistant lists east'],
    [{ east: { wh_hours: { tomorrow: 5 } } }, [], 'entry east: "tomorrow" is not an ISO time'],
    [{ east: { wh_hours: { '2026-06-01T08:00:00Z': -3 } } }, [], 'entry east: 2026-06-01T08:00:00Z = -3 is not an energy in Wh'],
    [{ east: { wh_hours: {} } }, [], 'the forecast of east lists no periods yet: wait for the integration\'s first update'],
    [[1, 2], [], 'Home Assistant answered energy/solar_forecast with [1,2], not a forecast per config entry'],
  ])('refuses %j (entries %j): %s', (answer, entries, error) => {
    expect(pvForecastFromHa(answer, entries)).toEqual({ ok: false, error });
  });
});
