/**
 * A household with PV whose values move like the real one in the shipped sample: hourly
 * averages interpolated, with appliance bursts and noise on top. Pure: time and seed are inputs.
 */
import sample from './household-sample.json';

export interface HouseholdSample {
  resolution_minutes: number;
  days: Array<{ date: string; consumption_w: number[]; pv_w: number[] }>;
}

export interface HouseholdPower {
  loadW: number;
  pvW: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Deterministic noise in [-1, 1] for an integer key (a hash, so no generator state to carry). */
function noise(key: number, seed: number): number {
  let h = (key ^ (seed * 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 0x7fffffff - 1;
}

const CLOUD_MS = 15 * 60_000;

/** Noise in [-1, 1] that moves smoothly: cosine steps between the hashed values at whole numbers. */
function smoothNoise(at: number, seed: number): number {
  const i = Math.floor(at);
  const blend = (1 - Math.cos(Math.PI * (at - i))) / 2;
  return noise(i, seed) * (1 - blend) + noise(i + 1, seed) * blend;
}

function interpolate(hourly: number[], hourOfDay: number): number {
  const i = Math.floor(hourOfDay);
  const frac = hourOfDay - i;
  const next = hourly[(i + 1) % hourly.length];
  return hourly[i] * (1 - frac) + next * frac;
}

/** Kettles, ovens, washing machines: a few minutes of 1.5–3 kW, a few times an hour. */
function applianceBurstW(minuteIndex: number, seed: number): number {
  const burstStart = Math.floor(minuteIndex / 20);
  const startsAt = burstStart * 20 + Math.floor((noise(burstStart, seed + 1) + 1) * 8);
  const active = minuteIndex >= startsAt && minuteIndex < startsAt + 4 && noise(burstStart, seed + 2) > 0.2;
  return active ? 1500 + (noise(burstStart, seed + 3) + 1) * 750 : 0;
}

/** Household load and PV at a simulated time; the sample's days repeat one after another. */
export function householdAt(simMs: number, seed = 1, data: HouseholdSample = sample): HouseholdPower {
  const dayIndex = Math.floor(simMs / DAY_MS);
  const day = data.days[((dayIndex % data.days.length) + data.days.length) % data.days.length];
  const hourOfDay = (simMs - dayIndex * DAY_MS) / HOUR_MS;
  const second = Math.floor(simMs / 1000);
  const base = interpolate(day.consumption_w, hourOfDay);
  // Clouds: PV wanders smoothly by up to ±20 % over a quarter of an hour, never below zero (a
  // controller that sees a new random PV every few seconds at 60× would only ever be waiting).
  const cloud = 1 + 0.2 * smoothNoise(simMs / CLOUD_MS, seed + 4);
  const loadW = Math.max(80, base * (1 + 0.05 * noise(second, seed)) + applianceBurstW(Math.floor(second / 60), seed));
  const pvW = Math.max(0, interpolate(day.pv_w, hourOfDay) * cloud);
  return { loadW, pvW };
}
