/**
 * What the battery is told at this moment, from the optimiser's command and what the battery
 * node itself sees. Whatever is in doubt sends the battery back to self-consumption, which it
 * does safely on its own, and says why: no optimiser message for too long (the plan is lost),
 * read-back from the battery gone stale, a failed write (until its retry), a mode the driver
 * cannot do. A mode chosen by hand (Home Assistant, a message) wins over the plan. Pure.
 */
import { describeCommand, selfConsumption, type BatteryCommand, type BatteryMode } from './modes';

export interface OptimiserBatteryCommand {
  /** The cycle message's battery command; undefined when it carried none. */
  command?: BatteryCommand;
  /** Why the message carried none (no planner with a battery follows). */
  missingReason?: string;
  receivedAtMs: number;
}

export interface BatteryActuationInput {
  nowMs: number;
  startedAtMs: number;
  optimiser?: OptimiserBatteryCommand;
  /** Longer than this without an optimiser message: the plan is lost. */
  commandTimeoutMs: number;
  /** When the battery last answered a read-back (SoC, power); undefined: not yet. */
  readBackAtMs?: number;
  /** Older read-back than this is stale; undefined: the driver reads nothing back. */
  readBackMaxAgeMs?: number;
  /** The last failed write and when; its mode goes out again after the retry interval. */
  writeFailure?: { command: BatteryCommand; atMs: number; error: string };
  retryMs: number;
  /** A mode chosen by hand; undefined: follow the optimiser. */
  manual?: BatteryCommand;
  /** What the driver can do, and its name for the reason when it cannot. */
  supported: readonly BatteryMode[];
  driverLabel: string;
}

type Rule = (input: BatteryActuationInput, wanted: BatteryCommand) => string | undefined;

const seconds = (ms: number) => Math.round(ms / 1000);

/** The wanted command before the checks: by hand, else the optimiser's. */
function wantedOf(input: BatteryActuationInput): BatteryCommand | string {
  if (input.manual) return { ...input.manual, reason: `set by hand: ${input.manual.reason}` };
  const { optimiser, nowMs, commandTimeoutMs } = input;
  if (!optimiser) return 'no optimiser message since the start: self-consumption until the plan arrives';
  if (nowMs - optimiser.receivedAtMs > commandTimeoutMs) return `no optimiser message for more than ${seconds(commandTimeoutMs)} s: the plan is lost, self-consumption`;
  return optimiser.command ?? optimiser.missingReason ?? 'the optimiser message carries no battery command: self-consumption';
}

/** Checks in order (reasons hold no running counts, so an unchanged state gives the same words); the first that objects sends the battery to self-consumption with its reason. */
const RULES: Rule[] = [
  (input, wanted) => {
    if (wanted.mode === 'self_consumption' || input.readBackMaxAgeMs === undefined) return undefined;
    const sinceMs = input.nowMs - (input.readBackAtMs ?? input.startedAtMs);
    if (sinceMs <= input.readBackMaxAgeMs) return undefined;
    const what = input.readBackAtMs === undefined ? 'nothing read back from the battery' : 'no read-back from the battery';
    return `${what} for more than ${seconds(input.readBackMaxAgeMs)} s: self-consumption instead of ${describeCommand(wanted)}`;
  },
  (input, wanted) => {
    const failure = input.writeFailure;
    if (!failure || wanted.mode === 'self_consumption') return undefined;
    if (failure.command.mode !== wanted.mode || failure.command.powerW !== wanted.powerW || input.nowMs - failure.atMs >= input.retryMs) return undefined;
    return `writing ${describeCommand(failure.command)} failed (${failure.error}): self-consumption, tried again after ${seconds(input.retryMs)} s`;
  },
  (input, wanted) => (input.supported.includes(wanted.mode) ? undefined : `${input.driverLabel} cannot ${describeCommand(wanted)} (its published registers do not allow it): self-consumption`),
];

export function batteryActuation(input: BatteryActuationInput): BatteryCommand {
  const wanted = wantedOf(input);
  if (typeof wanted === 'string') return selfConsumption(wanted);
  for (const rule of RULES) {
    const objection = rule(input, wanted);
    if (objection) return selfConsumption(objection);
  }
  return wanted;
}
