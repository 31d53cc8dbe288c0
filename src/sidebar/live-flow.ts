/**
 * The live energy flow of a site as the editor's HEMS sidebar draws it: what the grid, PV, battery
 * and house do now, and each managed load's power, state and reason, from one optimiser cycle.
 * Pure: the runtime hands in the cycle's message and the loads' readings.
 */
import type { LoadCommand, LoadReading } from '../engine/allocator';
import type { CycleMessage } from '../engine/optimiser';

export interface FlowLoadView {
  id: string;
  name: string;
  /** Measured (or, without feedback, commanded) power now. */
  powerW: number;
  /** What the optimiser commands: running or not. */
  on: boolean;
  /** The command besides on/off ("stage 2", "16 A, 3 ph", "SG Ready force_on"); empty for plain on/off. */
  setting: string;
  reason: string;
  reasonCode: string;
}

export interface FlowView {
  siteKey: string;
  name: string;
  atMs: number;
  stale: boolean;
  strategy: string;
  /** + = import. */
  gridW: number;
  pvW: number;
  /** + = charging; null without a battery reading. */
  batteryW: number | null;
  batterySocPct: number | null;
  /** Everything the house draws: grid + PV − battery charging. */
  houseW: number;
  /** What the house draws besides the managed loads (never below 0: meters are read at different times). */
  otherW: number;
  surplusW: number;
  loads: FlowLoadView[];
  reasons: string[];
}

type Command = LoadCommand & { name?: string };

/** A command's setting besides on/off, by load kind. */
const SETTING_OF: { [K in Command['kind']]: (c: Extract<Command, { kind: K }>) => { on: boolean; setting: string } } = {
  on_off: (c) => ({ on: c.on, setting: '' }),
  stepped: (c) => ({ on: c.stage > 0, setting: c.stage > 0 ? `stage ${c.stage}` : '' }),
  modulating: (c) => ({ on: c.on, setting: c.on && c.currentA !== undefined ? `${c.currentA} A${c.phases ? `, ${c.phases} ph` : ''}` : '' }),
  sg_ready: (c) => ({ on: c.sgReadyState === 'recommend' || c.sgReadyState === 'force_on', setting: `SG Ready ${c.sgReadyState}` }),
};

function settingOf(command: Command): { on: boolean; setting: string } {
  return (SETTING_OF[command.kind] as (c: Command) => { on: boolean; setting: string })(command);
}

export function liveFlowView(siteKey: string, name: string, message: CycleMessage, readings: Readonly<Record<string, LoadReading>>): FlowView {
  const { inputs, site, commands, strategy, timestamp } = message.payload;
  const batteryW = inputs.batteryPowerW ?? null;
  const houseW = inputs.gridPowerW + inputs.pvPowerW - (batteryW ?? 0);
  const loads = commands.map((command): FlowLoadView => ({
    id: command.loadId,
    name: command.name || command.loadId,
    powerW: readings[command.loadId]?.powerW ?? command.powerW,
    ...settingOf(command),
    reason: command.reason,
    reasonCode: command.reasonCode,
  }));
  const loadsW = loads.reduce((sum, l) => sum + l.powerW, 0);
  return {
    siteKey,
    name,
    atMs: Date.parse(timestamp),
    stale: site.stale,
    strategy,
    gridW: inputs.gridPowerW,
    pvW: inputs.pvPowerW,
    batteryW,
    batterySocPct: inputs.batterySocPct ?? null,
    houseW,
    otherW: Math.max(0, houseW - loadsW),
    surplusW: site.surplusW,
    loads,
    reasons: site.reasons,
  };
}
