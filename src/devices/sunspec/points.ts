/**
 * The SunSpec points this reader maps, embedded as data: offsets from each model's ID register,
 * types and scale-factor offsets as the SunSpec model definitions give them (sunspec/models,
 * json/model_N.json, commit 7abdf89, Apache-2.0). test/devices/sunspec-points.test.ts checks every
 * row against copies of those files. Points with no canonical name (temperatures, states, events,
 * ratings, vendor points) are not read.
 */
import type { MeasurementName } from '../../engine/measurements';
import type { RegisterType, SignRule } from '../profile';

/** SunSpec types as our decoder reads them: acc32 is a uint32 counter whose 0 means "not accumulated". */
export type SunSpecType = Extract<RegisterType, 'uint16' | 'int16' | 'float32'> | 'acc32';

export interface SunSpecPoint {
  /** The point's name in the model definition. */
  point: string;
  name: MeasurementName;
  /** Registers after the model's ID register (ID is 0, L is 1). */
  offset: number;
  type: SunSpecType;
  /** Offset of the sunssf register whose power of ten applies; absent for float models. */
  scaleFactorOffset?: number;
  /** Unit conversion to the canonical unit (Wh → kWh). */
  scale?: number;
  sign?: SignRule;
}

export type SunSpecKind = 'inverter' | 'meter' | 'battery';

export interface SunSpecModel {
  kind: SunSpecKind;
  label: string;
  /** In order of preference: the first implemented point for a canonical name wins. */
  points: readonly SunSpecPoint[];
}

type Row = [point: string, name: MeasurementName, offset: number, scaleFactorOffset?: number, scale?: number, sign?: SignRule];

const rows = (type: SunSpecType, table: readonly Row[], overrides: Record<string, SunSpecType> = {}): SunSpecPoint[] =>
  table.map(([point, name, offset, scaleFactorOffset, scale, sign]) => ({
    point,
    name,
    offset,
    type: overrides[point] ?? type,
    ...(scaleFactorOffset !== undefined ? { scaleFactorOffset } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(sign ? { sign } : {}),
  }));

const KWH = 0.001;

/**
 * Inverters 101 (single phase), 102 (split phase), 103 (three phase): one layout, integer + scale
 * factor. AC power W is inverter_power_w (+ = feeding out). PV power is the DC input DCW, or the AC
 * power W where DCW is not implemented (a plain PV inverter, as evcc reads SunSpec inverters); the
 * yield is the AC lifetime energy WH, the only total these models have.
 */
const INVERTER_INT = rows(
  'uint16',
  [
    ['AphA', 'current_l1_a', 3, 6, undefined, 'abs'],
    ['AphB', 'current_l2_a', 4, 6, undefined, 'abs'],
    ['AphC', 'current_l3_a', 5, 6, undefined, 'abs'],
    ['PPVphAB', 'voltage_l1_l2_v', 7, 13],
    ['PPVphBC', 'voltage_l2_l3_v', 8, 13],
    ['PPVphCA', 'voltage_l3_l1_v', 9, 13],
    ['PhVphA', 'voltage_l1_v', 10, 13],
    ['PhVphB', 'voltage_l2_v', 11, 13],
    ['PhVphC', 'voltage_l3_v', 12, 13],
    ['W', 'inverter_power_w', 14, 15],
    ['Hz', 'frequency_hz', 16, 17],
    ['VA', 'apparent_power_va', 18, 19],
    ['VAr', 'reactive_power_var', 20, 21],
    ['PF', 'power_factor', 22, 23, undefined, 'power_factor'],
    ['WH', 'pv_energy_kwh', 24, 26, KWH],
    ['DCW', 'pv_power_w', 31, 32, undefined, 'non_negative'],
    ['W', 'pv_power_w', 14, 15, undefined, 'non_negative'],
  ],
  { W: 'int16', VA: 'int16', VAr: 'int16', PF: 'int16', WH: 'acc32', DCW: 'int16' },
);

/** Inverters 111–113: the same points as float32, no scale factors. */
const INVERTER_FLOAT = rows('float32', [
  ['AphA', 'current_l1_a', 4, undefined, undefined, 'abs'],
  ['AphB', 'current_l2_a', 6, undefined, undefined, 'abs'],
  ['AphC', 'current_l3_a', 8, undefined, undefined, 'abs'],
  ['PPVphAB', 'voltage_l1_l2_v', 10],
  ['PPVphBC', 'voltage_l2_l3_v', 12],
  ['PPVphCA', 'voltage_l3_l1_v', 14],
  ['PhVphA', 'voltage_l1_v', 16],
  ['PhVphB', 'voltage_l2_v', 18],
  ['PhVphC', 'voltage_l3_v', 20],
  ['W', 'inverter_power_w', 22],
  ['Hz', 'frequency_hz', 24],
  ['VA', 'apparent_power_va', 26],
  ['VAr', 'reactive_power_var', 28],
  ['PF', 'power_factor', 30, undefined, undefined, 'power_factor'],
  ['WH', 'pv_energy_kwh', 32, undefined, KWH],
  ['DCW', 'pv_power_w', 38, undefined, undefined, 'non_negative'],
  ['W', 'pv_power_w', 22, undefined, undefined, 'non_negative'],
]);

/**
 * Meters 201 (single phase), 202 (split phase), 203 (wye), 204 (delta): one layout, int16 + scale
 * factor, energies acc32. W is used as read, + = import: the models state no sign, Fronius' Smart
 * Meter (213/203) gives + = import and evcc's fronius-gen24 template reads it unchanged. SolarEdge's
 * meters are the known exception (evcc solaredge-hybrid negates 203:W): set "inverted" on the node.
 * Model 201 names the phase-to-phase voltages PPVphAB… at the offsets 202–204 call PhVphAB….
 */
const METER_INT = rows(
  'int16',
  [
    ['AphA', 'current_l1_a', 3, 6, undefined, 'abs'],
    ['AphB', 'current_l2_a', 4, 6, undefined, 'abs'],
    ['AphC', 'current_l3_a', 5, 6, undefined, 'abs'],
    ['PhVphA', 'voltage_l1_v', 8, 15],
    ['PhVphB', 'voltage_l2_v', 9, 15],
    ['PhVphC', 'voltage_l3_v', 10, 15],
    ['PhVphAB', 'voltage_l1_l2_v', 12, 15],
    ['PhVphBC', 'voltage_l2_l3_v', 13, 15],
    ['PhVphCA', 'voltage_l3_l1_v', 14, 15],
    ['Hz', 'frequency_hz', 16, 17],
    ['W', 'power_w', 18, 22],
    ['WphA', 'power_l1_w', 19, 22],
    ['WphB', 'power_l2_w', 20, 22],
    ['WphC', 'power_l3_w', 21, 22],
    ['VA', 'apparent_power_va', 23, 27],
    ['VAphA', 'apparent_power_l1_va', 24, 27],
    ['VAphB', 'apparent_power_l2_va', 25, 27],
    ['VAphC', 'apparent_power_l3_va', 26, 27],
    ['VAR', 'reactive_power_var', 28, 32],
    ['VARphA', 'reactive_power_l1_var', 29, 32],
    ['VARphB', 'reactive_power_l2_var', 30, 32],
    ['VARphC', 'reactive_power_l3_var', 31, 32],
    ['PF', 'power_factor', 33, 37, undefined, 'power_factor'],
    ['PFphA', 'power_factor_l1', 34, 37, undefined, 'power_factor'],
    ['PFphB', 'power_factor_l2', 35, 37, undefined, 'power_factor'],
    ['PFphC', 'power_factor_l3', 36, 37, undefined, 'power_factor'],
    ['TotWhImp', 'energy_import_kwh', 46, 54, KWH],
    ['TotWhExp', 'energy_export_kwh', 38, 54, KWH],
    ['TotWhImpPhA', 'energy_import_l1_kwh', 48, 54, KWH],
    ['TotWhImpPhB', 'energy_import_l2_kwh', 50, 54, KWH],
    ['TotWhImpPhC', 'energy_import_l3_kwh', 52, 54, KWH],
    ['TotWhExpPhA', 'energy_export_l1_kwh', 40, 54, KWH],
    ['TotWhExpPhB', 'energy_export_l2_kwh', 42, 54, KWH],
    ['TotWhExpPhC', 'energy_export_l3_kwh', 44, 54, KWH],
  ],
  Object.fromEntries(['TotWhImp', 'TotWhExp', 'TotWhImpPhA', 'TotWhImpPhB', 'TotWhImpPhC', 'TotWhExpPhA', 'TotWhExpPhB', 'TotWhExpPhC'].map((p) => [p, 'acc32'])),
);

/** Meters 211–214: the same points as float32. */
const METER_FLOAT = rows('float32', [
  ['AphA', 'current_l1_a', 4, undefined, undefined, 'abs'],
  ['AphB', 'current_l2_a', 6, undefined, undefined, 'abs'],
  ['AphC', 'current_l3_a', 8, undefined, undefined, 'abs'],
  ['PhVphA', 'voltage_l1_v', 12],
  ['PhVphB', 'voltage_l2_v', 14],
  ['PhVphC', 'voltage_l3_v', 16],
  ['PPVphAB', 'voltage_l1_l2_v', 20],
  ['PPVphBC', 'voltage_l2_l3_v', 22],
  ['PPVphCA', 'voltage_l3_l1_v', 24],
  ['Hz', 'frequency_hz', 26],
  ['W', 'power_w', 28],
  ['WphA', 'power_l1_w', 30],
  ['WphB', 'power_l2_w', 32],
  ['WphC', 'power_l3_w', 34],
  ['VA', 'apparent_power_va', 36],
  ['VAphA', 'apparent_power_l1_va', 38],
  ['VAphB', 'apparent_power_l2_va', 40],
  ['VAphC', 'apparent_power_l3_va', 42],
  ['VAR', 'reactive_power_var', 44],
  ['VARphA', 'reactive_power_l1_var', 46],
  ['VARphB', 'reactive_power_l2_var', 48],
  ['VARphC', 'reactive_power_l3_var', 50],
  ['PF', 'power_factor', 52, undefined, undefined, 'power_factor'],
  ['PFphA', 'power_factor_l1', 54, undefined, undefined, 'power_factor'],
  ['PFphB', 'power_factor_l2', 56, undefined, undefined, 'power_factor'],
  ['PFphC', 'power_factor_l3', 58, undefined, undefined, 'power_factor'],
  ['TotWhImp', 'energy_import_kwh', 68, undefined, KWH],
  ['TotWhExp', 'energy_export_kwh', 60, undefined, KWH],
  ['TotWhImpPhA', 'energy_import_l1_kwh', 70, undefined, KWH],
  ['TotWhImpPhB', 'energy_import_l2_kwh', 72, undefined, KWH],
  ['TotWhImpPhC', 'energy_import_l3_kwh', 74, undefined, KWH],
  ['TotWhExpPhA', 'energy_export_l1_kwh', 62, undefined, KWH],
  ['TotWhExpPhB', 'energy_export_l2_kwh', 64, undefined, KWH],
  ['TotWhExpPhC', 'energy_export_l3_kwh', 66, undefined, KWH],
]);

/** Storage 124: only the state of charge ChaState has a canonical name (the model has no power point). */
const STORAGE_BASIC = rows('uint16', [['ChaState', 'battery_soc_pct', 8, 22]]);

/**
 * Battery 802: SoC and W. W is "total power flowing to/from the battery bank" with no sign stated;
 * evcc's sunspec battery template reads 802:W unchanged as its battery power, + = discharging, so
 * it is negated to ours (+ = charging).
 */
const BATTERY = rows('uint16', [
  ['SoC', 'battery_soc_pct', 11, 56],
  ['W', 'battery_power_w', 47, 63, undefined, 'negate'],
], { W: 'int16' });

const model = (kind: SunSpecKind, label: string, points: readonly SunSpecPoint[]): SunSpecModel => ({ kind, label, points });

/** Every model this reader maps, by model id. */
export const SUNSPEC_MODELS: Readonly<Record<number, SunSpecModel>> = {
  101: model('inverter', 'inverter, single phase', INVERTER_INT),
  102: model('inverter', 'inverter, split phase', INVERTER_INT),
  103: model('inverter', 'inverter, three phase', INVERTER_INT),
  111: model('inverter', 'inverter, single phase (float)', INVERTER_FLOAT),
  112: model('inverter', 'inverter, split phase (float)', INVERTER_FLOAT),
  113: model('inverter', 'inverter, three phase (float)', INVERTER_FLOAT),
  201: model('meter', 'meter, single phase', METER_INT),
  202: model('meter', 'meter, split phase', METER_INT),
  203: model('meter', 'meter, wye three phase', METER_INT),
  204: model('meter', 'meter, delta three phase', METER_INT),
  211: model('meter', 'meter, single phase (float)', METER_FLOAT),
  212: model('meter', 'meter, split phase (float)', METER_FLOAT),
  213: model('meter', 'meter, wye three phase (float)', METER_FLOAT),
  214: model('meter', 'meter, delta three phase (float)', METER_FLOAT),
  124: model('battery', 'storage', STORAGE_BASIC),
  802: model('battery', 'battery', BATTERY),
};
