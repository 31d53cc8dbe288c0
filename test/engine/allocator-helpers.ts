/**
 * Builders and a tiny plant model for allocator tests. The plant draws exactly what it was
 * commanded, so a test states only the export the site would have with every managed load off.
 */
import { allocate, EMPTY_MEMORY } from '../../src/engine/allocator';
import type {
  AllocatorMemory,
  AllocatorOutput,
  CurrentModulatingLoadConfig,
  LoadCommand,
  LoadConfig,
  LoadReading,
  OnOffLoadConfig,
  PowerModulatingLoadConfig,
  SgReadyLoadConfig,
  SiteSettings,
  SiteState,
  SteppedLoadConfig,
} from '../../src/engine/allocator';

/** 2025-06-01 12:00:00 UTC. */
export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

const QUICK = { priority: 1, mode: 'surplus', enableDelaySeconds: 0, disableDelaySeconds: 0 } as const;

export function onOff(id: string, fields: Partial<OnOffLoadConfig> = {}): OnOffLoadConfig {
  return { id, kind: 'on_off', powerW: 2000, ...QUICK, ...fields };
}

export function stepped(id: string, fields: Partial<SteppedLoadConfig> = {}): SteppedLoadConfig {
  return { id, kind: 'stepped', stagePowersW: [2000, 2000, 2000], ...QUICK, ...fields };
}

export function heater(id: string, fields: Partial<PowerModulatingLoadConfig> = {}): PowerModulatingLoadConfig {
  return { id, kind: 'modulating', control: 'power', minPowerW: 500, maxPowerW: 3000, ...QUICK, ...fields };
}

export function evCharger(id: string, fields: Partial<CurrentModulatingLoadConfig> = {}): CurrentModulatingLoadConfig {
  return {
    id,
    kind: 'modulating',
    control: 'current',
    minCurrentA: 6,
    maxCurrentA: 16,
    phases: 'auto',
    phaseSwitchDelaySeconds: 0,
    ...QUICK,
    ...fields,
  };
}

export function heatPump(id: string, fields: Partial<SgReadyLoadConfig> = {}): SgReadyLoadConfig {
  return {
    id,
    kind: 'sg_ready',
    recommendThresholdW: 1500,
    forceOnThresholdW: 4000,
    boostPowerW: 1500,
    ...QUICK,
    ...fields,
  };
}

/** What a load reads when it follows its last command exactly. */
export function readingFor(command: LoadCommand | undefined): LoadReading {
  if (command === undefined) return { powerW: 0, on: false };
  const reading: LoadReading = { powerW: command.powerW, on: command.powerW > 0 };
  if (command.kind === 'stepped') reading.stage = command.stage;
  if (command.kind === 'modulating' && command.phases !== undefined) reading.phases = command.phases;
  if (command.kind === 'sg_ready') reading.sgReadyState = command.sgReadyState;
  return reading;
}

export interface Step {
  atSeconds: number;
  /** Export with every managed load off (negative: import). */
  exportW: number;
  site?: Partial<SiteState>;
  /** Replaces the load list from this step on (mode or override changes). */
  loads?: LoadConfig[];
}

export interface Simulation {
  outputs: AllocatorOutput[];
  last: AllocatorOutput;
}

/** Runs the steps in order, carrying memory and feeding each command back as the next reading. */
export function simulate(loads: LoadConfig[], settings: SiteSettings, steps: Step[], memory: AllocatorMemory = EMPTY_MEMORY): Simulation {
  let currentLoads = loads;
  let currentMemory = memory;
  let previous: AllocatorOutput | undefined;
  const outputs: AllocatorOutput[] = [];
  for (const step of steps) {
    currentLoads = step.loads ?? currentLoads;
    const readings = Object.fromEntries(
      currentLoads.map((load) => [load.id, readingFor(previous?.commands.find((c) => c.loadId === load.id))]),
    );
    const drawW = Object.values(readings).reduce((sum, r) => sum + r.powerW, 0);
    const nowMs = T0 + step.atSeconds * 1000;
    const site: SiteState = {
      readingsTimestampMs: nowMs,
      gridPowerW: -step.exportW + drawW,
      pvPowerW: Math.max(0, step.exportW),
      loads: readings,
      ...step.site,
    };
    previous = allocate({ nowMs, site, loads: currentLoads, memory: currentMemory, settings });
    currentMemory = previous.memory;
    outputs.push(previous);
  }
  if (previous === undefined) throw new Error('simulate needs at least one step');
  return { outputs, last: previous };
}

export function commandOf(output: AllocatorOutput, loadId: string): LoadCommand {
  const command = output.commands.find((c) => c.loadId === loadId);
  if (command === undefined) throw new Error(`no command for ${loadId}`);
  return command;
}

/** The switching state of a command in one comparable word. */
export function stateOf(command: LoadCommand): string {
  if (command.kind === 'on_off') return command.on ? 'on' : 'off';
  if (command.kind === 'stepped') return `stage ${command.stage}`;
  if (command.kind === 'sg_ready') return command.sgReadyState;
  if (!command.on) return 'off';
  return command.currentA === undefined ? `${command.powerW} W` : `${command.currentA} A x ${command.phases} ph`;
}

/** Steps every `everySeconds` from `fromSeconds` to `toSeconds` inclusive at a constant export. */
export function hold(exportW: number, fromSeconds: number, toSeconds: number, everySeconds = 5): Step[] {
  const steps: Step[] = [];
  for (let t = fromSeconds; t <= toSeconds; t += everySeconds) steps.push({ atSeconds: t, exportW });
  return steps;
}
