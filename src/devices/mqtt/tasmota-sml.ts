/**
 * Tasmota's Smart Meter Interface (SML scripts): `tele/<topic>/SENSOR` carries
 * `{ "Time": …, "<meter name>": { "<json name>": value, … } }`, where the meter name and every
 * JSON name come from the user's script. `tele/<topic>/LWT` is `Online` / `Offline`. Pure.
 */
import { parseJson, pickValues, type PickedValues, type ValuePath } from './value-paths';
import { showValue } from '../../engine/show-value';

/**
 * The names the common example scripts give (meter name `SML`; totals in kWh, power in W): Tasmota's
 * Smart Meter Interface page and the scripts passed around for Hichi-style IR readers, which evcc
 * also expects. The first three are in nearly every script; the per-phase ones only in some.
 */
export const TASMOTA_SML_EXAMPLE_PATHS: readonly ValuePath[] = [
  { measurement: 'power_w', path: 'SML.Power_curr' },
  { measurement: 'energy_import_kwh', path: 'SML.Total_in' },
  { measurement: 'energy_export_kwh', path: 'SML.Total_out' },
  ...(['l1', 'l2', 'l3'] as const).flatMap((l) => [
    { measurement: `power_${l}_w`, path: `SML.power_${l}` },
    { measurement: `voltage_${l}_v`, path: `SML.voltage_${l}` },
    { measurement: `current_${l}_a`, path: `SML.current_${l}` },
  ]),
];

export const TASMOTA_SML_DEFAULT_PATHS: readonly ValuePath[] = TASMOTA_SML_EXAMPLE_PATHS.slice(0, 3);

const AVAILABILITY: Record<string, boolean> = { Online: true, Offline: false };

export function tasmotaTopics(deviceTopic: string) {
  return { sensor: `tele/${deviceTopic}/SENSOR`, lwt: `tele/${deviceTopic}/LWT` };
}

export interface TasmotaUpdate {
  reading?: PickedValues;
  online?: boolean;
  problem?: string;
}

export function parseTasmotaMessage(deviceTopic: string, paths: readonly ValuePath[], topic: string, payload: string): TasmotaUpdate {
  const topics = tasmotaTopics(deviceTopic);
  if (topic === topics.lwt) {
    const online = AVAILABILITY[payload.trim()];
    return online === undefined ? { problem: `${topic}: ${showValue(payload)} is neither Online nor Offline` } : { online };
  }
  if (topic !== topics.sensor) return {};
  const parsed = parseJson(topic, payload);
  if ('problem' in parsed) return { problem: parsed.problem };
  return { reading: pickValues(parsed.json, paths, topic) };
}
