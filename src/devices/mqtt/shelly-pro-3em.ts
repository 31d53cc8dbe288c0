/**
 * Shelly Pro 3EM (Gen2) over MQTT (shared/reference/shelly-pro-3em.md): full component status on
 * `<prefix>/status/<component>`, partial `NotifyStatus` frames on `<prefix>/events/rpc` merged onto
 * the last full status, `<prefix>/online` as availability. Pure: the caller keeps the status.
 */
import type { PickedValues } from './value-paths';
import { showValue } from '../../engine/show-value';

export type ShellyProfile = 'triphase' | 'monophase';
export const SHELLY_PROFILES: readonly ShellyProfile[] = ['triphase', 'monophase'];

/** Component id (`em:0`, `emdata:0`, `em1:2` …) → its fields as the device last reported them. */
export type ShellyStatus = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface ShellyUpdate {
  status: ShellyStatus;
  /** Whether this message changed a component we read. */
  changed: boolean;
  online?: boolean;
  /** What was wrong with the message; the status is kept as it was. */
  problem?: string;
}

type Convert = (raw: number) => number;
const asIs: Convert = (v) => v;
const magnitude: Convert = Math.abs;
const whToKwh: Convert = (wh) => wh / 1000;

/** One device field → one canonical value. */
interface FieldMapping {
  component: string;
  field: string;
  measurement: string;
  convert: Convert;
}

const PHASES = [
  ['a', 'l1'],
  ['b', 'l2'],
  ['c', 'l3'],
] as const;

/** Triphase `em:0` fields: signed active power (+ = import, as the device reports it), unsigned currents and PF. */
const TRIPHASE_EM: ReadonlyArray<[string, string, Convert]> = [
  ['total_act_power', 'power_w', asIs],
  ['total_aprt_power', 'apparent_power_va', asIs],
  ['n_current', 'current_n_a', magnitude],
  ['a_freq', 'frequency_hz', asIs],
  ...PHASES.flatMap(([s, l]): Array<[string, string, Convert]> => [
    [`${s}_act_power`, `power_${l}_w`, asIs],
    [`${s}_aprt_power`, `apparent_power_${l}_va`, asIs],
    [`${s}_voltage`, `voltage_${l}_v`, asIs],
    [`${s}_current`, `current_${l}_a`, magnitude],
    [`${s}_pf`, `power_factor_${l}`, magnitude],
  ]),
];

/** Triphase `emdata:0` counters, in Wh on the device. */
const TRIPHASE_EMDATA: ReadonlyArray<[string, string, Convert]> = [
  ['total_act', 'energy_import_kwh', whToKwh],
  ['total_act_ret', 'energy_export_kwh', whToKwh],
  ...PHASES.flatMap(([s, l]): Array<[string, string, Convert]> => [
    [`${s}_total_act_energy`, `energy_import_${l}_kwh`, whToKwh],
    [`${s}_total_act_ret_energy`, `energy_export_${l}_kwh`, whToKwh],
  ]),
];

/** Monophase: channel `em1:N` / `em1data:N` is phase L(N+1). */
const MONOPHASE_CHANNEL: ReadonlyArray<['em1' | 'em1data', string, (l: string) => string, Convert]> = [
  ['em1', 'act_power', (l) => `power_${l}_w`, asIs],
  ['em1', 'aprt_power', (l) => `apparent_power_${l}_va`, asIs],
  ['em1', 'voltage', (l) => `voltage_${l}_v`, asIs],
  ['em1', 'current', (l) => `current_${l}_a`, magnitude],
  ['em1', 'pf', (l) => `power_factor_${l}`, magnitude],
  ['em1data', 'total_act_energy', (l) => `energy_import_${l}_kwh`, whToKwh],
  ['em1data', 'total_act_ret_energy', (l) => `energy_export_${l}_kwh`, whToKwh],
];

const FIELD_MAPPINGS: Record<ShellyProfile, readonly FieldMapping[]> = {
  triphase: [
    ...TRIPHASE_EM.map(([field, measurement, convert]) => ({ component: 'em:0', field, measurement, convert })),
    ...TRIPHASE_EMDATA.map(([field, measurement, convert]) => ({ component: 'emdata:0', field, measurement, convert })),
  ],
  monophase: [
    ...PHASES.flatMap(([, l], channel) =>
      MONOPHASE_CHANNEL.map(([kind, field, measurement, convert]) => ({ component: `${kind}:${channel}`, field, measurement: measurement(l), convert })),
    ),
    { component: 'em1:0', field: 'freq', measurement: 'frequency_hz', convert: asIs },
  ],
};

/** Monophase totals are the sums of the three channels (one meter on a three-phase connection). */
const MONOPHASE_SUMS: Readonly<Record<string, readonly string[]>> = {
  power_w: ['power_l1_w', 'power_l2_w', 'power_l3_w'],
  apparent_power_va: ['apparent_power_l1_va', 'apparent_power_l2_va', 'apparent_power_l3_va'],
  energy_import_kwh: ['energy_import_l1_kwh', 'energy_import_l2_kwh', 'energy_import_l3_kwh'],
  energy_export_kwh: ['energy_export_l1_kwh', 'energy_export_l2_kwh', 'energy_export_l3_kwh'],
};

/** The values a Pro 3EM does not always have: `null` there means "not measured", not a fault. */
const OPTIONAL = new Set(['current_n_a']);

const READ_COMPONENTS: Record<ShellyProfile, ReadonlySet<string>> = {
  triphase: new Set(FIELD_MAPPINGS.triphase.map((m) => m.component)),
  monophase: new Set(FIELD_MAPPINGS.monophase.map((m) => m.component)),
};

/** Canonical names a profile delivers (Home Assistant gets an entity for each). */
export function shellyMeasurements(profile: ShellyProfile): string[] {
  const names = FIELD_MAPPINGS[profile].map((m) => m.measurement).filter((n) => !OPTIONAL.has(n));
  return profile === 'monophase' ? [...Object.keys(MONOPHASE_SUMS), ...names] : names;
}

export function shellyFilters(prefix: string): string[] {
  return [`${prefix}/status/+`, `${prefix}/events/rpc`, `${prefix}/online`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The components of `params` we read, each replacing (full) or overlaying (partial) the known status. */
function withComponents(status: ShellyStatus, profile: ShellyProfile, params: Record<string, unknown>, partial: boolean) {
  const next: Record<string, Readonly<Record<string, unknown>>> = { ...status };
  let changed = false;
  for (const [component, fields] of Object.entries(params)) {
    if (!READ_COMPONENTS[profile].has(component) || !isObject(fields)) continue;
    next[component] = partial ? { ...status[component], ...fields } : fields;
    changed = true;
  }
  return { status: next, changed };
}

const RPC_FRAMES: Record<string, { partial: boolean } | undefined> = {
  NotifyStatus: { partial: true },
  NotifyFullStatus: { partial: false },
};

/** Takes one message from the device's topics into the known status. */
export function applyShellyMessage(status: ShellyStatus, profile: ShellyProfile, prefix: string, topic: string, payload: string): ShellyUpdate {
  const unchanged = { status, changed: false };
  if (topic === `${prefix}/online`) {
    const text = payload.trim();
    if (text === 'true' || text === 'false') return { ...unchanged, online: text === 'true' };
    return { ...unchanged, problem: `${topic}: ${showValue(payload)} is neither true nor false` };
  }
  const component = topic.startsWith(`${prefix}/status/`) ? topic.slice(prefix.length + '/status/'.length) : undefined;
  if (component !== undefined && !READ_COMPONENTS[profile].has(component)) return unchanged;
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (err) {
    return { ...unchanged, problem: `${topic}: payload is not JSON (${(err as Error).message})` };
  }
  if (!isObject(json)) return { ...unchanged, problem: `${topic}: payload is ${showValue(json)}, not a JSON object` };
  if (component !== undefined) return withComponents(status, profile, { [component]: json }, false);
  const frame = typeof json.method === 'string' ? RPC_FRAMES[json.method] : undefined;
  // NotifyEvent and replies to other clients' requests share this topic: not ours to judge.
  if (!frame) return unchanged;
  if (!isObject(json.params)) return { ...unchanged, problem: `${topic}: ${json.method} frame without params object` };
  return withComponents(status, profile, json.params, frame.partial);
}

/** The canonical values in the known status; the missing ones named with the topic they come from. */
export function shellyValues(status: ShellyStatus, profile: ShellyProfile, prefix: string): PickedValues {
  const picked: PickedValues = { values: {}, quality: {} };
  for (const { component, field, measurement, convert } of FIELD_MAPPINGS[profile]) {
    const raw = status[component]?.[field];
    if (typeof raw === 'number' && Number.isFinite(raw)) picked.values[measurement] = convert(raw);
    else if (raw === null && OPTIONAL.has(measurement)) continue;
    else if (raw === undefined) picked.quality[measurement] = `no ${field} from ${prefix}/status/${component} yet`;
    else picked.quality[measurement] = `${field} of ${component} is ${showValue(raw)}, not a number`;
  }
  if (profile === 'monophase') {
    for (const [total, parts] of Object.entries(MONOPHASE_SUMS)) {
      const known = parts.map((p) => picked.values[p]);
      if (known.every((v) => v !== undefined)) picked.values[total] = known.reduce((a, b) => a + b, 0);
      else picked.quality[total] = `sum of ${parts.join(', ')}: not all channels known`;
    }
  }
  return picked;
}
