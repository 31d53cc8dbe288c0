/** A measured power series (average W over each interval, like the shared data and HA statistics) and lookups in it. */
export interface PowerSample {
  startMs: number;
  powerW: number;
}

export interface MeasuredSeries {
  samples: PowerSample[];
  /** Length of each interval; samples are at most this far apart. */
  stepMs: number;
}

/** The measured power over the interval holding ms, or undefined where there is no sample. */
export function powerAt(series: MeasuredSeries, ms: number): number | undefined {
  const { samples } = series;
  let low = 0;
  let high = samples.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (samples[mid].startMs <= ms) low = mid + 1;
    else high = mid - 1;
  }
  const sample = samples[high];
  return sample !== undefined && ms < sample.startMs + series.stepMs && Number.isFinite(sample.powerW) ? sample.powerW : undefined;
}

export function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0) / values.length;
}
