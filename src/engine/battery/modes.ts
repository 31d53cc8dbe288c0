/**
 * What a home battery is told to do, whatever drives it: the four modes every driver maps onto its
 * registers (or an output message), each with the power it concerns and a reason a person can read.
 */

export const BATTERY_MODES = ['self_consumption', 'hold', 'charge', 'discharge'] as const;

/**
 * `self_consumption`: the battery's own control (charge from surplus, discharge into deficit);
 * `hold`: no discharge (PV surplus may still charge it); `charge`: from the grid at `powerW`;
 * `discharge`: self-consumption with discharge capped at `powerW`.
 */
export type BatteryMode = (typeof BATTERY_MODES)[number];

export interface BatteryCommand {
  mode: BatteryMode;
  /** W: the charge power for `charge`, the discharge cap for `discharge`, 0 otherwise. */
  powerW: number;
  reason: string;
}

export function isBatteryMode(value: unknown): value is BatteryMode {
  return typeof value === 'string' && (BATTERY_MODES as readonly string[]).includes(value);
}

export function selfConsumption(reason: string): BatteryCommand {
  return { mode: 'self_consumption', powerW: 0, reason };
}

/** "charge 3.0 kW", "discharge ≤ 1.2 kW", "hold", "self-consumption". */
export function describeCommand(command: Pick<BatteryCommand, 'mode' | 'powerW'>): string {
  const kw = (command.powerW / 1000).toFixed(1);
  const texts: Record<BatteryMode, string> = {
    self_consumption: 'self-consumption',
    hold: 'hold',
    charge: `charge ${kw} kW`,
    discharge: `discharge ≤ ${kw} kW`,
  };
  return texts[command.mode];
}
