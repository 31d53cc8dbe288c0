/** The reading message as an input (docs/architecture.md "Reading message"), for the optimiser and the planner. */
import type { Reading } from '../../engine/reading';
import { valid, type Validated } from '../../engine/validation';
import { fieldPath, isRecord, refuse } from './gate';
import { powerProblem } from './physical-range';

const SHAPE = 'must be a reading { device, timestamp, values }';
/** Canonical power names end in `_w` (src/engine/measurements.ts). */
const isPower = (name: string) => name.endsWith('_w');

/** A reading whose values are all finite numbers, powers within the site's physical range. */
export function readReading(payload: unknown, maxPowerW: number | undefined): Validated<Reading> {
  if (!isRecord(payload)) return refuse('msg.payload', payload, SHAPE);
  if (typeof payload.device !== 'string' || payload.device === '') return refuse('msg.payload.device', payload.device, `must be the id of the device that measured: the message ${SHAPE}`);
  if (!isRecord(payload.values)) return refuse('msg.payload.values', payload.values, `must be the measured values by canonical name, e.g. { "power_w": -2400 }`);
  for (const [name, value] of Object.entries(payload.values)) {
    const field = fieldPath('msg.payload.values', name);
    if (typeof value !== 'number' || !Number.isFinite(value)) return refuse(field, value, 'must be a number; leave out what was not measured and name it in quality');
    const problem = isPower(name) ? powerProblem(value, maxPowerW) : undefined;
    if (problem) return refuse(field, value, problem);
  }
  return valid(payload as unknown as Reading);
}
