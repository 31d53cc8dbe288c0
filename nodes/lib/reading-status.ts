import type { Reading } from '../../src/engine/reading';
import type { NodeAPI, NodeStatus } from './node-red';
import { clock, decimal, statusText } from './status-text';

/** The power, or how many values the reading has when it has no power. */
function headline(RED: Pick<NodeAPI, '_'>, reading: Reading): string {
  const power = reading.values.power_w;
  if (power === undefined) return statusText(RED, 'hems-meter.status.values', { count: Object.keys(reading.values).length });
  if (Math.abs(power) >= 1000) return statusText(RED, 'hems-meter.status.powerKw', { kw: decimal(power / 1000, 2) });
  return statusText(RED, 'hems-meter.status.powerW', { w: Math.round(power) });
}

/** A meter's status line (hems-meter, hems-mqtt-meter): green when all is read, yellow when part is missing or the wiring looks wrong. */
export function readingStatus(RED: Pick<NodeAPI, '_'>, reading: Reading, wiringWarnings = 0): NodeStatus {
  const values = { headline: headline(RED, reading), time: clock(Date.parse(reading.timestamp)) };
  const missing = Object.keys(reading.quality ?? {}).length;
  if (missing > 0) return { fill: 'yellow', shape: 'dot', text: statusText(RED, 'hems-meter.status.partial', { ...values, missing }) };
  if (wiringWarnings > 0) return { fill: 'yellow', shape: 'dot', text: statusText(RED, 'hems-meter.status.checkWiring', { ...values, warnings: wiringWarnings }) };
  return { fill: 'green', shape: 'dot', text: statusText(RED, 'hems-meter.status.reading', values) };
}
