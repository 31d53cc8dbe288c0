/**
 * How each inverter (or plant controller) takes an active-power limit, as data: which holding
 * registers, their type and gain, what releases the limit. Facts from
 * shared/reference/registers/huawei-sun2000.json and huawei-emma.json; each entry names its source.
 */
import type { RegisterType } from '../profile';

export type ControlRegisterType = Extract<RegisterType, 'uint16' | 'int16' | 'uint32' | 'int32'>;

/** A holding register written with FC 06 (one word) or FC 16 (two words), read back with FC 03. */
export interface ControlRegister {
  address: number;
  type: ControlRegisterType;
  /** Raw = value × gain (Huawei's "gain" column). */
  gain: number;
}

/**
 * `inverter_output` caps what the inverter produces: the optimiser's `inverterLimitW` is written.
 * `grid_export` caps the feed-in at the grid connection point, which the device regulates on its
 * own meter: the optimiser's `maxExportW` is written, so the limit holds between our cycles too.
 */
export type LimitTarget = 'inverter_output' | 'grid_export';

export interface InverterLimitControl {
  label: string;
  target: LimitTarget;
  /** Percent registers count in % of the rated power the user enters; W registers in W. */
  unit: 'pct' | 'W';
  defaultUnitId: number;
  /** A mode register that makes the value count; written after the value, released alone. */
  mode?: { register: ControlRegister; limiting: number; released: number };
  value: ControlRegister;
  /** Without a mode register, the value that means "no limit": 100 % or the rated power. */
  releaseValue?: 'hundred_pct' | 'rated_power';
  source: string;
}

export const INVERTER_LIMIT_CONTROLS = {
  'huawei-sun2000-derating-pct': {
    label: 'Huawei SUN2000: active power derating (% of Pmax, 40125)',
    target: 'inverter_output',
    unit: 'pct',
    defaultUnitId: 1,
    value: { address: 40125, type: 'int16', gain: 10 },
    releaseValue: 'hundred_pct',
    source: 'huawei-sun2000.json 40125 active_power_percentage_derating (wlcrs/huawei-solar-lib registers.py)',
  },
  'huawei-sun2000-derating-w': {
    label: 'Huawei SUN2000: active power derating (fixed W, 40126)',
    target: 'inverter_output',
    unit: 'W',
    defaultUnitId: 1,
    value: { address: 40126, type: 'uint32', gain: 1 },
    releaseValue: 'rated_power',
    source: 'huawei-sun2000.json 40126 active_power_fixed_value_derating, uint32 big word order (wlcrs/huawei-solar-lib registers.py)',
  },
  'huawei-sun2000-export-pct': {
    label: 'Huawei SUN2000: export limitation at the grid point (%, 47415/47418)',
    target: 'grid_export',
    unit: 'pct',
    defaultUnitId: 1,
    mode: { register: { address: 47415, type: 'uint16', gain: 1 }, limiting: 7, released: 0 },
    value: { address: 47418, type: 'int16', gain: 10 },
    source: 'huawei-sun2000.json 47415 active_power_control_mode (7 = limited %, 0 = unlimited), 47418 maximum_feed_grid_power_percent; evcc curtail writes 7 + %, 0 to release',
  },
  'huawei-emma-export-pct': {
    label: 'Huawei EMMA: export limitation at the grid point (%, 40100/40109)',
    target: 'grid_export',
    unit: 'pct',
    defaultUnitId: 0,
    mode: { register: { address: 40100, type: 'uint16', gain: 1 }, limiting: 7, released: 0 },
    value: { address: 40109, type: 'uint16', gain: 10 },
    source: 'huawei-emma.json 40100 power_control_mode_at_grid_connection (7 = limited %, 0 = unlimited), 40109 maximum_feed_grid_power_percent (evcc-io/evcc huawei-emma.yaml)',
  },
} as const satisfies Record<string, InverterLimitControl>;

export type InverterLimitControlId = keyof typeof INVERTER_LIMIT_CONTROLS;

export const INVERTER_LIMIT_CONTROL_IDS = Object.keys(INVERTER_LIMIT_CONTROLS) as InverterLimitControlId[];

export function isInverterLimitControlId(id: unknown): id is InverterLimitControlId {
  return typeof id === 'string' && Object.hasOwn(INVERTER_LIMIT_CONTROLS, id);
}
