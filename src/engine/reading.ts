/**
 * The reading message: what every source emits and every consumer takes (docs/architecture.md).
 * A value that could not be read is absent from `values` and named in `quality`, never stale.
 */
export interface Reading {
  /** Stable device id from the node's configuration (not the Node-RED node id). */
  device: string;
  /** ISO 8601 UTC time the values were taken. */
  timestamp: string;
  values: Record<string, number>;
  /** Present only when something is missing: canonical name → why it is missing. */
  quality?: Record<string, string>;
}

export function makeReading(
  device: string,
  atMs: number,
  values: Record<string, number>,
  quality: Record<string, string> = {},
): Reading {
  const reading: Reading = { device, timestamp: new Date(atMs).toISOString(), values };
  if (Object.keys(quality).length > 0) reading.quality = quality;
  return reading;
}
