/**
 * What a load sends to its output node, per kind (docs/architecture.md "Load command"), and what
 * it assumes the load does when there is no read-back.
 */
import type { LoadCommand, LoadConfig, LoadReading, SgReadyState } from '../allocator';

export interface LoadOutputPayload {
  on?: boolean;
  stage?: number;
  powerW?: number;
  currentA?: number;
  phases?: 1 | 3;
  sgReadyState?: SgReadyState;
  reason: string;
  reasonCode: string;
}

type Of<K extends LoadCommand['kind']> = Extract<LoadCommand, { kind: K }>;

/** The actuating fields each output understands; power is always given for information. */
const OUTPUT_FIELDS: { [K in LoadCommand['kind']]: (c: Of<K>, cfg: LoadConfig) => Omit<LoadOutputPayload, 'reason' | 'reasonCode'> } = {
  on_off: (c) => ({ on: c.on, powerW: c.powerW }),
  stepped: (c) => ({ on: c.stage > 0, stage: c.stage, powerW: c.powerW }),
  modulating: (c, cfg) =>
    cfg.kind === 'modulating' && cfg.control === 'current'
      ? { on: c.on, currentA: c.currentA ?? 0, phases: c.phases ?? 1, powerW: c.powerW }
      : { on: c.on, powerW: c.powerW },
  sg_ready: (c) => ({ sgReadyState: c.sgReadyState, powerW: c.powerW }),
};

export function outputPayload(command: LoadCommand, config: LoadConfig): LoadOutputPayload {
  const fields = (OUTPUT_FIELDS[command.kind] as (c: LoadCommand, cfg: LoadConfig) => Omit<LoadOutputPayload, 'reason' | 'reasonCode'>)(command, config);
  return { ...fields, reason: command.reason, reasonCode: command.reasonCode };
}

/** The actuating part only: a new reason alone is not worth a message to a relay. */
export function actuationKey(payload: LoadOutputPayload): string {
  const { reason: _reason, reasonCode: _code, ...actuation } = payload;
  return JSON.stringify(actuation);
}

const BOOSTED: readonly string[] = ['recommend', 'force_on'];

/** Whether the command has the load drawing (for a heat pump: boosted). */
export function commandRuns(command: LoadCommand): boolean {
  if (command.kind === 'stepped') return command.stage > 0;
  if (command.kind === 'sg_ready') return BOOSTED.includes(command.sgReadyState);
  return command.on;
}

/** Without read-back the load is assumed to do exactly what it was told. */
export function assumedReading(command: LoadCommand): LoadReading {
  const reading: LoadReading = { on: commandRuns(command), powerW: command.powerW };
  if (command.kind === 'stepped') reading.stage = command.stage;
  if (command.kind === 'modulating' && command.phases !== undefined) reading.phases = command.phases;
  if (command.kind === 'sg_ready') reading.sgReadyState = command.sgReadyState;
  return reading;
}
