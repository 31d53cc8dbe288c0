/**
 * A hems-battery's settings as the editor stores them → the battery's control, limits and timing.
 * Pure: tested without Node-RED. The Modbus bus and unit id are the node's (they need the bus).
 */
import { BATTERY_CONTROL_IDS, BATTERY_CONTROLS, isBatteryControlId, type BatteryControl } from '../devices/controls/battery-controls';
import type { BatterySettings } from '../devices/controls/battery-writes';
import { showValue } from '../engine/show-value';
import { assertDeviceId } from '../ha-discovery/topics';

/** Every key the runtime reads of a hems-battery; the editor's defaults declare each (test/settings). */
export interface BatteryNodeConfig {
  name?: string;
  version?: number;
  deviceId: string;
  control: string;
  /** The hems-modbus bus; blank for the output-only control. */
  bus?: string;
  unitId?: string | number;
  maxChargeW: string | number;
  maxDischargeW: string | number;
  gridChargeMaxSocPct?: string | number;
  /** No optimiser message for this long: the plan is lost, self-consumption. */
  commandTimeoutSeconds?: string | number;
  /** SoC and power are read back this often; three missed reads are stale. */
  readSeconds?: string | number;
  /** The mode is written again this often (a forced charge renewed before it runs out). */
  refreshSeconds?: string | number;
  onStop?: string;
  ha?: string;
}

export type BatteryOnStop = 'self_consumption' | 'keep';

export interface BatteryNodeSettings {
  deviceId: string;
  controlId: string;
  control: BatteryControl;
  battery: BatterySettings;
  commandTimeoutMs: number;
  readMs: number;
  /** Undefined when the control reads nothing back. */
  readBackMaxAgeMs?: number;
  refreshMs: number;
  onStop: BatteryOnStop;
}

const isBlank = (value: unknown) => value === undefined || value === null || String(value).trim() === '';

function numberIn(value: unknown, fallback: number | undefined, field: string, min: number, max: number, hint: string): number {
  const n = isBlank(value) ? fallback : Number(value);
  if (n === undefined || !Number.isFinite(n) || n < min || n > max) throw new Error(`${field} = ${showValue(value)}: ${hint}`);
  return n;
}

export function parseBatteryNodeConfig(c: BatteryNodeConfig): BatteryNodeSettings {
  const deviceId = String(c.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  if (!isBatteryControlId(c.control)) throw new Error(`control = ${showValue(c.control)}: choose one of ${BATTERY_CONTROL_IDS.join(', ')}`);
  const control: BatteryControl = BATTERY_CONTROLS[c.control];
  const maxChargeW = numberIn(c.maxChargeW, undefined, 'max charge', 1, 1_000_000, "give the battery's largest charge power in W, e.g. 5000");
  const maxDischargeW = numberIn(c.maxDischargeW, undefined, 'max discharge', 1, 1_000_000, "give the battery's largest discharge power in W, e.g. 5000; self-consumption restores it");
  const gridChargeMaxSocPct = numberIn(c.gridChargeMaxSocPct, 100, 'grid charge up to', 0, 100, 'give a state of charge in %, 0 to 100');
  const commandTimeoutSeconds = numberIn(c.commandTimeoutSeconds, 60, 'plan lost after', 10, 3600, 'use 10 to 3600 s: without an optimiser message this long the battery goes back to self-consumption');
  const readSeconds = numberIn(c.readSeconds, 10, 'read back every', 1, 300, 'use 1 to 300 s');
  const refreshSeconds = numberIn(c.refreshSeconds, 60, 'refresh every', 5, 3600, 'use 5 to 3600 s; the battery may drop a remote setting, so it is written again this often');
  const onStop = isBlank(c.onStop) ? 'self_consumption' : c.onStop;
  if (onStop !== 'self_consumption' && onStop !== 'keep') throw new Error(`on stop = ${showValue(c.onStop)}: choose self_consumption or keep`);
  const refreshMs = refreshSeconds * 1000;
  return {
    deviceId,
    controlId: c.control,
    control,
    // A forced charge outlives three missed refreshes at most, and never less than 5 min.
    battery: { maxChargeW, maxDischargeW, gridChargeMaxSocPct, forcedMinutes: Math.min(1440, Math.max(5, Math.ceil((3 * refreshMs) / 60_000))) },
    commandTimeoutMs: commandTimeoutSeconds * 1000,
    readMs: readSeconds * 1000,
    ...(control.readBack ? { readBackMaxAgeMs: 3 * readSeconds * 1000 } : {}),
    refreshMs,
    onStop,
  };
}
