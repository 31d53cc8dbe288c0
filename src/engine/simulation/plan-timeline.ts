/**
 * A plan as text for `hems plan`: one character per hour of the horizon per load (█ planned for the
 * whole hour, ▄ for part of it, · not at all), the next start and finish, each promise kept or
 * broken with its reason; then the site: cost, import and export, and the battery's state of charge.
 */
import { SLOT_MS, type Plan, type PlannerInput } from '../planner';

const HOUR_MS = 3_600_000;
const LABEL_WIDTH = 22;

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
/** Day and time, since a horizon spans two or three dates. */
const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().slice(5, 16).replace('T', ' '));
const label = (text: string): string => (text.length > LABEL_WIDTH - 1 ? `${text.slice(0, LABEL_WIDTH - 2)}…` : text).padEnd(LABEL_WIDTH);
const kwh = (slots: readonly { gridW: number }[], sign: 1 | -1): number => slots.reduce((sum, s) => sum + Math.max(0, sign * s.gridW) * (SLOT_MS / HOUR_MS), 0) / 1000;

function hourStarts(input: PlannerInput, plan: Plan): number[] {
  const first = plan.site[0]?.startMs ?? input.nowMs;
  const end = (plan.site.at(-1)?.startMs ?? first) + SLOT_MS;
  const hours: number[] = [];
  for (let ms = first - (first % HOUR_MS); ms < end; ms += HOUR_MS) hours.push(ms);
  return hours;
}

/** Hour marks every three hours, aligned with the bars. */
function hourRuler(hours: readonly number[]): string {
  return hours.map((ms, i) => (i % 3 === 0 ? clock(ms).slice(0, 2) : '')).reduce((line, mark, i) => (mark ? line.padEnd(i) + mark : line), '');
}

function bar(hours: readonly number[], slots: readonly { startMs: number; powerW: number }[]): string {
  const planned = new Set(slots.filter((s) => s.powerW > 0).map((s) => s.startMs));
  return hours
    .map((hourMs) => {
      const count = [0, 1, 2, 3].filter((q) => planned.has(hourMs + q * SLOT_MS)).length;
      return count === 4 ? '█' : count > 0 ? '▄' : '·';
    })
    .join('');
}

/** State of charge at the end of every third hour. */
function socPath(hours: readonly number[], plan: Plan): string {
  const byStart = new Map(plan.site.map((s) => [s.startMs, s.socPct]));
  return hours
    .filter((_, i) => i % 3 === 2)
    .flatMap((ms) => {
      const soc = byStart.get(ms + HOUR_MS - SLOT_MS);
      return soc === null || soc === undefined ? [] : [`${clock(ms + HOUR_MS)} ${Math.round(soc)}`];
    })
    .join(', ');
}

export function planTimeline(plan: Plan, input: PlannerInput, names: ReadonlyMap<string, string>): string {
  const hours = hourStarts(input, plan);
  const solver = plan.planner === 'milp' ? `${plan.solver}${plan.stoppedAtWorkLimit ? ', stopped at its work limit' : ''}` : `greedy${plan.fallbackReason ? `: ${plan.fallbackReason}` : ''}`;
  const lines = [
    `plan at ${utc(input.nowMs)} for ${hours.length} h (${solver}, ${Math.round(plan.solveMs)} ms); each mark is an hour, UTC`,
    `${label('')}${hourRuler(hours)}`,
  ];
  for (const load of plan.loads) {
    lines.push(`${label(names.get(load.loadId) ?? load.loadId)}${bar(hours, load.slots)}  next start ${when(load.nextStartMs)}, finish ${when(load.finishMs)}`);
    for (const job of load.jobs) lines.push(`${' '.repeat(4)}${job.kept ? 'kept  ' : 'BROKEN'} ${job.reason}`);
  }
  const { cost } = plan;
  lines.push(
    `site: cost ${cost.totalEur.toFixed(2)} € (import ${cost.importEur.toFixed(2)} €, export −${cost.exportEur.toFixed(2)} €), import ${kwh(plan.site, 1).toFixed(1)} kWh, export ${kwh(plan.site, -1).toFixed(1)} kWh`,
  );
  if (input.battery) lines.push(`battery state of charge %: ${socPath(hours, plan)}`);
  return lines.join('\n');
}
