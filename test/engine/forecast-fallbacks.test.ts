/** PV persistence and the base-load profile on hand-made histories with known answers. */
import { describe, expect, it } from 'vitest';
import { baseLoadProfileForecast, pvNowcastForecast, pvPersistenceForecast, type MeasuredSeries } from '../../src/engine/forecast';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-02T00:00:00Z'); // Monday 01:00 in Berlin

function hourly(fromMs: number, days: number, powerW: (ms: number) => number | undefined): MeasuredSeries {
  const samples = Array.from({ length: days * 24 }, (_, h) => fromMs + h * HOUR).flatMap((ms) => {
    const w = powerW(ms);
    return w === undefined ? [] : [{ startMs: ms, powerW: w }];
  });
  return { samples, stepMs: HOUR };
}

describe('PV persistence', () => {
  it('is the highest of the last seven days at the same UTC time', () => {
    const noonW = [5000, 1000, 3000, 2000, 1500, 1200, 1100, 900]; // eight days ago … yesterday
    const history = hourly(NOW - 8 * DAY, 8, (ms) => (new Date(ms).getUTCHours() === 12 ? noonW[Math.floor((ms - (NOW - 8 * DAY)) / DAY)] : 0));
    const slots = [NOW + 12 * HOUR, NOW + 12 * HOUR + 15 * 60_000, NOW + 13 * HOUR, NOW + DAY + 12 * HOUR];
    // The sunny day eight days ago is too old; tomorrow's noon looks back from yesterday too: the same seven days.
    expect(pvPersistenceForecast(history, slots, NOW)).toEqual([3000, 3000, 0, 3000]);
    expect(pvPersistenceForecast(history, slots.slice(0, 1), NOW, 3)).toEqual([1200]);
  });

  it('uses the days it has, and 0 without any', () => {
    const history = hourly(NOW - DAY, 1, () => 1500);
    expect(pvPersistenceForecast(history, [NOW + HOUR], NOW)).toEqual([1500]);
    expect(pvPersistenceForecast({ samples: [], stepMs: HOUR }, [NOW + HOUR], NOW)).toEqual([0]);
  });
});

describe('PV nowcast', () => {
  // Three sunny days at 4 kW from 08:00 to 16:00 UTC, then a morning at half that.
  const sunny = (ms: number) => {
    const hour = new Date(ms).getUTCHours();
    return hour >= 8 && hour < 16 ? 4000 : 0;
  };
  const now = NOW + 11 * HOUR;
  const history = hourly(NOW - 3 * DAY, 3 * 24 + 11, (ms) => (ms >= NOW ? sunny(ms) / 2 : sunny(ms)));

  it('scales persistence by the last two hours, fading back over six', () => {
    const [atNow, inThreeHours, inFourHours] = pvNowcastForecast(history, [now, now + 3 * HOUR, now + 4 * HOUR], now);
    expect([atNow, inThreeHours]).toEqual([2000, 3000]);
    expect(inFourHours).toBeCloseTo(4000 * (1 - 0.5 / 3), 9);
  });

  it('is plain persistence at night, when the last hours say nothing', () => {
    const night = NOW + 2 * HOUR;
    expect(pvNowcastForecast(history, [night + 8 * HOUR], night)).toEqual(pvPersistenceForecast(history, [night + 8 * HOUR], night));
  });
});

describe('base-load profile', () => {
  it('blends the same weekday with all recent days at the same local time', () => {
    // 400 W on every day but Mondays, 1000 W on Mondays, at every hour.
    const history = hourly(NOW - 28 * DAY, 28, (ms) => (new Date(ms + HOUR).getUTCDay() === 1 ? 1000 : 400));
    const [monday, tuesday] = baseLoadProfileForecast(history, [NOW + 6 * HOUR, NOW + DAY + 6 * HOUR], NOW, 'Europe/Berlin');
    const allDays = (4 * 1000 + 24 * 400) / 28;
    expect(monday).toBeCloseTo((1000 + allDays) / 2, 9);
    expect(tuesday).toBeCloseTo((400 + allDays) / 2, 9);
  });

  it('refuses a history length it cannot use, with the fix', () => {
    expect(() => baseLoadProfileForecast({ samples: [], stepMs: HOUR }, [NOW], NOW, 'UTC', 0)).toThrow('days = 0: give 14 to 30 days of history (1 to 90 accepted)');
  });
});
