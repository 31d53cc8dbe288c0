import { loadHighsSolver, plan } from '../../engine/planner';
import { parseSeries } from '../../engine/simulation';
import { planTimeline } from '../../engine/simulation/plan-timeline';
import { forecaster, plannerInputAt } from '../../engine/simulation/planner-input';
import { forecastSource, horizonHours, readScenario, readText } from './simulate';

interface PlanArgs {
  scenario?: string;
  data?: string;
  at?: string;
  'horizon-hours'?: string;
  forecast?: string;
  json?: boolean;
}

const USAGE = 'hems plan --scenario scenario.json --data series.csv --at 2016-06-01T12:00:00Z [--horizon-hours 24..48] [--forecast perfect|persistence] [--json]   (docs/simulate.md)';
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;

function moment(value: string | undefined, firstMs: number, endMs: number): number {
  if (value === undefined) throw new Error(`--at TIMESTAMP is required: ${USAGE}`);
  const ms = ISO_UTC.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`--at ${value}: must be an ISO 8601 time in UTC, e.g. 2016-06-01T12:00:00Z`);
  if (ms < firstMs || ms >= endMs) {
    throw new Error(`--at ${value}: is outside the series, which runs from ${new Date(firstMs).toISOString()} to ${new Date(endMs).toISOString()}; pick a moment inside it`);
  }
  return ms;
}

export const planCommand = {
  summary: 'plan the scenario’s deadline jobs at one moment of a series and print the plan as a timeline or JSON',
  usage: USAGE,
  options: {
    scenario: { type: 'string' },
    data: { type: 'string' },
    at: { type: 'string' },
    'horizon-hours': { type: 'string' },
    forecast: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args: PlanArgs, out: (line: string) => void): Promise<number> {
    const scenario = readScenario(args.scenario, undefined, USAGE);
    const series = parseSeries(readText('--data', args.data, USAGE), args.data, scenario.stepSeconds * 1000);
    const last = series[series.length - 1];
    const nowMs = moment(args.at, series[0].startMs, last.startMs + last.durationMs);
    const source = forecastSource(args.forecast);
    const input = plannerInputAt(scenario, series, { nowMs, horizonHours: horizonHours(args['horizon-hours']) }, forecaster(source, series));
    const result = plan(input, { solver: await loadHighsSolver() });
    if (args.json) out(JSON.stringify({ at: new Date(nowMs).toISOString(), forecast: source, input, plan: result }, null, 2));
    else out(planTimeline(result, input, new Map(scenario.loads.map((l) => [l.config.id, l.config.name ?? l.config.id]))));
    return 0;
  },
} as const;
