/**
 * Wording of job outcomes. Each starts with the load and the promise, then how it goes; a broken
 * promise says why after a dash. Clock times are local to the plan's time zone.
 */
import { formatDuration, formatPowerKw } from '../allocator/format';

function kwh(valueKwh: number): string {
  return `${valueKwh.toFixed(1)} kWh`;
}

function runtime(slots: number, slotMinutes: number): string {
  return formatDuration(slots * slotMinutes * 60);
}

export const REASONS = {
  energy: (name: string, plannedKwh: number, requiredKwh: number, deadline: string) => `${name}: ${plannedKwh.toFixed(1)} of ${kwh(requiredKwh)} by ${deadline}`,
  runtime: (name: string, plannedSlots: number, requiredSlots: number, slotMinutes: number, deadline: string) =>
    `${name}: ${runtime(plannedSlots, slotMinutes)} of ${runtime(requiredSlots, slotMinutes)} by ${deadline}`,
  run: (name: string, requiredSlots: number, slotMinutes: number, start: string, finish: string, deadline: string) =>
    `${name}: ${runtime(requiredSlots, slotMinutes)} run ${start}–${finish}, by ${deadline}`,
  runLate: (name: string, requiredSlots: number, slotMinutes: number, finish: string, lateSlots: number, deadline: string) =>
    `${name}: ${runtime(requiredSlots, slotMinutes)} run finishes ${finish}, ${runtime(lateSlots, slotMinutes)} after ${deadline}`,
  runMissing: (name: string, requiredSlots: number, slotMinutes: number, deadline: string) => `${name}: ${runtime(requiredSlots, slotMinutes)} run by ${deadline} not planned`,
  beyondHorizon: (promise: string, horizonEnd: string, inHorizon: string) => `${promise} (deadline after the plan's end at ${horizonEnd}; ${inHorizon} needed before it)`,
  onlyWindowEnergy: (windowSlots: number, slotMinutes: number, from: string, deadline: string, maxPowerW: number) =>
    windowSlots === 0 ? `no time left before ${deadline}` : `only ${runtime(windowSlots, slotMinutes)} between ${from} and ${deadline} at ${formatPowerKw(maxPowerW)}`,
  onlyWindowRuntime: (windowSlots: number, slotMinutes: number, from: string, deadline: string) =>
    windowSlots === 0 ? `no time left before ${deadline}` : `only ${runtime(windowSlots, slotMinutes)} between ${from} and ${deadline}`,
  importCap: (capW: number) => `import cap ${formatPowerKw(capW)} leaves no room for more`,
  minimumOffTime: () => `minimum off-time keeps it off`,
  unexplained: () => `the plan found no cheaper way to keep it`,
} as const;

export const SEPARATOR = ' — ';
export { kwh, runtime };
