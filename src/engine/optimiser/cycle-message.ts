/** The message the optimiser emits once per cycle (docs/architecture.md "Optimiser cycle"). */
import type { AllocatorOutput, LoadCommand, SiteDecision, SiteState } from '../allocator';
import type { StrategyName } from './strategy';

export interface CycleInputs {
  gridPowerW: number;
  pvPowerW: number;
  batteryPowerW?: number;
  batterySocPct?: number;
  /** Age of the oldest required site reading at this cycle. */
  readingsAgeSeconds: number;
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
  };
}

export function cycleMessage(
  topic: string,
  nowMs: number,
  strategy: StrategyName,
  site: SiteState,
  result: AllocatorOutput,
  nameOf: (loadId: string) => string | undefined,
): CycleMessage {
  const inputs: CycleInputs = {
    gridPowerW: site.gridPowerW,
    pvPowerW: site.pvPowerW,
    readingsAgeSeconds: Math.max(0, Math.round((nowMs - site.readingsTimestampMs) / 100) / 10),
  };
  if (site.batteryPowerW !== undefined) inputs.batteryPowerW = site.batteryPowerW;
  if (site.batterySocPct !== undefined) inputs.batterySocPct = site.batterySocPct;
  return {
    topic,
    payload: {
      timestamp: new Date(nowMs).toISOString(),
      strategy,
      inputs,
      site: result.site,
      commands: result.commands.map((c) => {
        const name = nameOf(c.loadId);
        return name ? { ...c, name } : c;
      }),
    },
  };
}
