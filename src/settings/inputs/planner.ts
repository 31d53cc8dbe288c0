/** hems-planner: readings of the site (its measured history); by `msg.topic` prices, a PV forecast, a job, a replan. */
import { parsePrices, type TimedPrice } from '../../engine/optimiser';
import { parseJobMessage, parsePvForecast, type JobMessage, type PvForecastSlot } from '../../engine/planner-session';
import type { Reading } from '../../engine/reading';
import { invalid, valid, type Validated } from '../../engine/validation';
import type { InputContract } from './gate';
import { readReading } from './reading';

export interface PlannerInputContext {
  nowMs: number;
  timeZone: string;
  maxPowerW: number | undefined;
}

function readJob(payload: unknown, { nowMs, timeZone }: PlannerInputContext): Validated<JobMessage> {
  try {
    return valid(parseJobMessage(payload, nowMs, timeZone));
  } catch (err) {
    return invalid((err as Error).message);
  }
}

export const PLANNER_INPUTS: InputContract<PlannerInputContext, { prices: TimedPrice[]; pv_forecast: PvForecastSlot[]; job: JobMessage; replan: true }, Reading> = {
  topics: {
    prices: { read: (payload) => parsePrices(payload) },
    pv_forecast: { read: (payload) => parsePvForecast(payload) },
    job: { read: readJob },
    // Any payload asks for a plan now.
    replan: { read: () => valid(true as const) },
  },
  otherwise: { read: (payload, { maxPowerW }) => readReading(payload, maxPowerW) },
};
