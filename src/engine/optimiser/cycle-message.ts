/** The message the optimiser emits once per cycle (docs/architecture.md "Optimiser cycle"). */
import type { ActiveAlarm } from '../alarms';
import type { BatteryCommand } from '../battery';
import type { AllocatorOutput, LoadCommand, SiteDecision, SiteState } from '../allocator';
import type { TimedPrice } from './price-now';
import type { StrategyName } from './strategy';

export interface CycleInputs {
  gridPowerW: number;
  pvPowerW: number;
  batteryPowerW?: number;
  batterySocPct?: number;
  /** Age of the oldest required site reading at this cycle. */
  readingsAgeSeconds: number;
  /** Ripple-control contacts in rule order (true = closed), when known. */
  rippleInputs?: boolean[];
  /** The price slot containing now, when a forecast covers it. */
  importPriceEurPerKwh?: number;
  exportPriceEurPerKwh?: number;
}

export interface CycleMessage {
  /** The optimiser's device id. */
  topic: string;
  payload: {
    timestamp: string;
    strategy: StrategyName;
    inputs: CycleInputs;
    site: SiteDecision;
    commands: Array<LoadCommand & { name?: string }>;
    /** Active alarms (`stale_site_data`); empty when all is well. */
    alarms: ActiveAlarm[];
    /** The battery's mode for now, when a planner with a battery is followed (hems-battery acts on it). */
    battery?: BatteryCommand;
  };
}

export interface CycleContext {
  site: SiteState;
  price: TimedPrice | undefined;
  alarms: ActiveAlarm[];
  battery?: BatteryCommand;
}

function inputsOf(nowMs: number, { site, price }: CycleContext): CycleInputs {
  const inputs: CycleInputs = {
    gridPowerW: site.gridPowerW,
    pvPowerW: site.pvPowerW,
    readingsAgeSeconds: Math.max(0, Math.round((nowMs - site.readingsTimestampMs) / 100) / 10),
  };
  if (site.batteryPowerW !== undefined) inputs.batteryPowerW = site.batteryPowerW;
  if (site.batterySocPct !== undefined) inputs.batterySocPct = site.batterySocPct;
  if (site.rippleInputs !== undefined) inputs.rippleInputs = site.rippleInputs;
  if (price) inputs.importPriceEurPerKwh = price.importEurPerKwh;
  if (price?.exportEurPerKwh !== undefined) inputs.exportPriceEurPerKwh = price.exportEurPerKwh;
  return inputs;
}

export function cycleMessage(
  topic: string,
  nowMs: number,
  strategy: StrategyName,
  context: CycleContext,
  result: AllocatorOutput,
  nameOf: (loadId: string) => string | undefined,
): CycleMessage {
  return {
    topic,
    payload: {
      timestamp: new Date(nowMs).toISOString(),
      strategy,
      inputs: inputsOf(nowMs, context),
      site: result.site,
      commands: result.commands.map((c) => {
        const name = nameOf(c.loadId);
        return name ? { ...c, name } : c;
      }),
      alarms: context.alarms,
      ...(context.battery ? { battery: context.battery } : {}),
    },
  };
}
