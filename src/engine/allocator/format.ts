/**
 * Number and time formatting for reasons. Power is always kW with one decimal, durations are
 * rounded up (a "left" time never reads 0 while something is still pending); clock times are the
 * site's local HH:MM (formatLocalClock in ../local-time.ts, the site's zone injected).
 */

export function formatPowerKw(powerW: number): string {
  const kw = Math.round(powerW / 100) / 10;
  // Avoids "-0.0 kW" for tiny negative values.
  return `${(kw === 0 ? 0 : kw).toFixed(1)} kW`;
}

export function formatCurrentA(currentA: number): string {
  const rounded = Math.round(currentA * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} A`;
}

export function formatPct(pct: number): string {
  return `${Math.round(pct)} %`;
}

export function formatPriceEurPerKwh(priceEurPerKwh: number): string {
  return `${priceEurPerKwh.toFixed(3)} €/kWh`;
}

const SECONDS_SHOWN_UP_TO = 120;

/** "45 s" up to two minutes, then "8 min", then "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole <= SECONDS_SHOWN_UP_TO) return `${whole} s`;
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
