/**
 * Smappee Infinity Genius, local MQTT (the monitor publishes to a broker set in its Expert Portal,
 * Advanced → MQTT). Pure. Facts and where they come from:
 * - Topics under `servicelocation/<uuid>/`: `realtime` every second, `channelConfigV2` retained
 *   (myny-git/smappee_ev docs/Smappee_mqtt.md topic table; smappee/pysmappee mqtt.py, Smappee's
 *   own Python library, reads channelConfigV2).
 * - realtime: `channelPowers[]` with `publishIndex`, `power` (W) and `current` in tenths of an
 *   ampere (pysmappee divides by 10), `phaseId` 0–2 and the cumulative `importEnergy` /
 *   `exportEnergy` in watt-seconds (victronenergy/dbus-smappee divides by 3 600 000 for kWh);
 *   `voltages[]` with `voltage` (V) and `phaseId` (both). dbus-smappee takes the current as amperes:
 *   we follow pysmappee, Smappee's own code.
 * - channelConfigV2: `dataProcessingSpecification.measurements[]` with `name`, `flow`
 *   (CONSUMPTION | PRODUCTION), `connectionType` (GRID | SUBMETER) and the `publishIndex` of each
 *   channel. As pysmappee groups them: grid consumption channels are the group "grid", grid
 *   production channels "solar", every other measurement a group of its own name.
 * Power is summed over a group's channels as the monitor gives it; Smappee states no sign rule.
 */
import type { PickedValues } from './value-paths';
import { parseJson } from './value-paths';

export const SMAPPEE_SOURCE =
  'Smappee Genius local MQTT: topics from myny-git/smappee_ev docs/Smappee_mqtt.md; realtime and channelConfigV2 fields from ' +
  'smappee/pysmappee mqtt.py and servicelocation.py (current in 0.1 A) and victronenergy/dbus-smappee (phaseId, energies in Ws)';

const PHASES = ['l1', 'l2', 'l3'] as const;
const WS_PER_KWH = 3_600_000;

/** Group name (lower case) → the publish indexes of its channels. */
export type SmappeeGroups = ReadonlyMap<string, readonly number[]>;

export function smappeeTopics(prefix: string) {
  return { realtime: `${prefix}/realtime`, channelConfig: `${prefix}/channelConfigV2` };
}

/** What a group can give; Home Assistant gets an entity for each. */
export const SMAPPEE_MEASUREMENTS: readonly string[] = [
  'power_w',
  'energy_import_kwh',
  'energy_export_kwh',
  ...PHASES.flatMap((l) => [`power_${l}_w`, `current_${l}_a`, `voltage_${l}_v`, `energy_import_${l}_kwh`, `energy_export_${l}_kwh`]),
];

interface Measurement {
  name?: unknown;
  flow?: unknown;
  connectionType?: unknown;
  publishIndex?: unknown;
}

function groupOf(m: Measurement): string | undefined {
  if (m.connectionType === 'GRID') return m.flow === 'PRODUCTION' ? 'solar' : 'grid';
  return typeof m.name === 'string' && m.name.trim() ? m.name.trim().toLowerCase() : undefined;
}

export function parseChannelConfig(topic: string, payload: string): { groups: SmappeeGroups } | { problem: string } {
  const parsed = parseJson(topic, payload);
  if ('problem' in parsed) return parsed;
  const measurements = (parsed.json as { dataProcessingSpecification?: { measurements?: unknown } })?.dataProcessingSpecification?.measurements;
  if (!Array.isArray(measurements)) return { problem: `${topic}: no dataProcessingSpecification.measurements list in the channel configuration` };
  const groups = new Map<string, number[]>();
  for (const m of measurements as Measurement[]) {
    const group = groupOf(m ?? {});
    if (group === undefined || typeof m.publishIndex !== 'number') continue;
    groups.set(group, [...(groups.get(group) ?? []), m.publishIndex]);
  }
  return { groups };
}

interface ChannelPower {
  publishIndex?: unknown;
  phaseId?: unknown;
  power?: unknown;
  current?: unknown;
  importEnergy?: unknown;
  exportEnergy?: unknown;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (v: number) => Math.round(v * 1e9) / 1e9 + 0;

function add(values: Record<string, number>, name: string, value: number | undefined) {
  if (value !== undefined) values[name] = round((values[name] ?? 0) + value);
}

/** One group's values from a realtime message: sums over its channels, per phase and in total. */
export function smappeeGroupValues(topic: string, payload: string, group: string, indexes: readonly number[]): { reading: PickedValues } | { problem: string } {
  const parsed = parseJson(topic, payload);
  if ('problem' in parsed) return parsed;
  const json = parsed.json as { channelPowers?: unknown; voltages?: unknown };
  if (!Array.isArray(json?.channelPowers)) return { problem: `${topic}: no channelPowers list in the realtime message` };
  const channels = (json.channelPowers as ChannelPower[]).filter((c) => indexes.includes(c?.publishIndex as number));
  const values: Record<string, number> = {};
  const quality: Record<string, string> = {};
  const phasesUsed = new Set<number>();
  for (const index of indexes) {
    const channel = channels.find((c) => c.publishIndex === index);
    if (!channel) {
      quality.power_w = `channel ${index} of "${group}" is not in ${topic}`;
      continue;
    }
    const phase = PHASES[num(channel.phaseId) ?? -1];
    const power = num(channel.power);
    const current = num(channel.current);
    const imported = num(channel.importEnergy);
    const exported = num(channel.exportEnergy);
    add(values, 'power_w', power);
    add(values, 'energy_import_kwh', imported === undefined ? undefined : imported / WS_PER_KWH);
    add(values, 'energy_export_kwh', exported === undefined ? undefined : exported / WS_PER_KWH);
    if (!phase) continue;
    phasesUsed.add(num(channel.phaseId)!);
    add(values, `power_${phase}_w`, power);
    add(values, `current_${phase}_a`, current === undefined ? undefined : Math.abs(current) / 10);
    add(values, `energy_import_${phase}_kwh`, imported === undefined ? undefined : imported / WS_PER_KWH);
    add(values, `energy_export_${phase}_kwh`, exported === undefined ? undefined : exported / WS_PER_KWH);
  }
  for (const v of Array.isArray(json.voltages) ? (json.voltages as Array<{ phaseId?: unknown; voltage?: unknown }>) : []) {
    const phaseId = num(v?.phaseId);
    const voltage = num(v?.voltage);
    if (phaseId !== undefined && phasesUsed.has(phaseId) && voltage !== undefined) values[`voltage_${PHASES[phaseId]}_v`] = voltage;
  }
  return { reading: { values, quality } };
}
