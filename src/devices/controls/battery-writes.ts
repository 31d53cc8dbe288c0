/**
 * A battery command turned into register writes for one battery control, and the read-back of its
 * state. Pure; the node sends the writes over its Modbus bus and checks them with readBackProblem.
 */
import { decodeRegister } from '../decode';
import { encodeRegister } from '../encode';
import type { RegisterSpec } from '../profile';
import { describeCommand, type BatteryCommand } from '../../engine/battery';
import type { BatteryControl, BatteryReadBack, BatteryWriteValue } from './battery-controls';
import type { ControlRegister } from './inverter-limits';
import type { RegisterWrite } from './limit-writes';

export interface BatterySettings {
  maxChargeW: number;
  maxDischargeW: number;
  gridChargeMaxSocPct: number;
  /** A forced charge stops by itself this long after its last renewal (the node renews it every refresh). */
  forcedMinutes: number;
}

export interface BatteryWritePlan {
  writes: Array<RegisterWrite & { name: string; verify: boolean }>;
  /** The command as applied (power within the battery's limits). */
  command: BatteryCommand;
  /** The same writes twice have the same key: a change of key is a change of mode or power. */
  key: string;
  text: string;
}

function spec(register: ControlRegister): RegisterSpec {
  return { name: 'battery', table: 'holding', address: register.address, type: register.type, scale: 1 / register.gain };
}

/** The command with its power inside the battery's limits: a charge at most maxChargeW, a cap at most maxDischargeW. */
export function clampCommand(command: BatteryCommand, settings: BatterySettings): BatteryCommand {
  const limitW = command.mode === 'charge' ? settings.maxChargeW : command.mode === 'discharge' ? settings.maxDischargeW : 0;
  return { ...command, powerW: Math.round(Math.min(limitW, Math.max(0, command.powerW))) };
}

/** Undefined when the control cannot do the command's mode. */
export function planBatteryWrites(control: BatteryControl, wanted: BatteryCommand, settings: BatterySettings): BatteryWritePlan | undefined {
  const steps = control.modes[wanted.mode];
  if (!steps) return undefined;
  const command = clampCommand(wanted, settings);
  const values: Record<Exclude<BatteryWriteValue, number>, number> = {
    power_w: command.powerW,
    max_discharge_w: settings.maxDischargeW,
    grid_charge_max_soc_pct: settings.gridChargeMaxSocPct,
    forced_minutes: settings.forcedMinutes,
  };
  const writes = steps.map((step) => {
    const value = typeof step.value === 'number' ? step.value : values[step.value];
    return { name: step.name, verify: step.verify, address: step.register.address, words: encodeRegister(spec(step.register), value, 'big') };
  });
  const key = `${command.mode}:${writes.map((w) => `${w.address}=${w.words.join(',')}`).join(';')}`;
  return { writes, command, key, text: describeCommand(command) };
}

/** A read-back value; undefined for the device's "no value" marker. */
export function decodeBatteryReadBack(readBack: BatteryReadBack, point: 'socPct' | 'powerW', words: readonly number[]): number | undefined {
  const register = readBack[point];
  return decodeRegister(spec(register), words, 'big', readBack.noValue?.[register.type]);
}
