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

/**
 * One row per point of a model family: its canonical name, then where it is in the integer models
 * (type, offset, offset of its sunssf) and in the float models (offset; always float32, no scale
 * factor), then the unit conversion and sign rule both share.
 */
type FamilyRow = [
  point: string,
  name: MeasurementName,
  intType: SunSpecType,
  intOffset: number,
  scaleFactorOffset: number,
  floatOffset: number,
  scale?: number,
  sign?: SignRule,
];

function point(point: string, name: MeasurementName, type: SunSpecType, offset: number, scaleFactorOffset?: number, scale?: number, sign?: SignRule): SunSpecPoint {
  return {
    point,
    name,
    offset,
    type,
    ...(scaleFactorOffset !== undefined ? { scaleFactorOffset } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(sign ? { sign } : {}),
  };
}

const integerModels = (rows: readonly FamilyRow[]) => rows.map(([p, name, type, offset, sf, , scale, sign]) => point(p, name, type, offset, sf, scale, sign));
const floatModels = (rows: readonly FamilyRow[]) => rows.map(([p, name, , , , offset, scale, sign]) => point(p, name, 'float32', offset, undefined, scale, sign));

const KWH = 0.001;

/**
 * Inverters 101 (single phase), 102 (split phase), 103 (three phase), and their float versions 111,
 * 112, 113: one layout each. AC power W is inverter_power_w (+ = feeding out). PV power is the DC
 * input DCW, or the AC power W where DCW is not implemented (a plain PV inverter, as evcc reads
 * SunSpec inverters); the yield is the AC lifetime energy WH, the only total these models have.
 */
const INVERTER: readonly FamilyRow[] = [
  ['AphA', 'current_l1_a', 'uint16', 3, 6, 4, undefined, 'abs'],
  ['AphB', 'current_l2_a', 'uint16', 4, 6, 6, undefined, 'abs'],
  ['AphC', 'current_l3_a', 'uint16', 5, 6, 8, undefined, 'abs'],
  ['PPVphAB', 'voltage_l1_l2_v', 'uint16', 7, 13, 10],
  ['PPVphBC', 'voltage_l2_l3_v', 'uint16', 8, 13, 12],
  ['PPVphCA', 'voltage_l3_l1_v', 'uint16', 9, 13, 14],
  ['PhVphA', 'voltage_l1_v', 'uint16', 10, 13, 16],
  ['PhVphB', 'voltage_l2_v', 'uint16', 11, 13, 18],
  ['PhVphC', 'voltage_l3_v', 'uint16', 12, 13, 20],
  ['W', 'inverter_power_w', 'int16', 14, 15, 22],
  ['Hz', 'frequency_hz', 'uint16', 16, 17, 24],
  ['VA', 'apparent_power_va', 'int16', 18, 19, 26],
  ['VAr', 'reactive_power_var', 'int16', 20, 21, 28],
  ['PF', 'power_factor', 'int16', 22, 23, 30, undefined, 'power_factor'],
  ['WH', 'pv_energy_kwh', 'acc32', 24, 26, 32, KWH],
  ['DCW', 'pv_power_w', 'int16', 31, 32, 38, undefined, 'non_negative'],
  ['W', 'pv_power_w', 'int16', 14, 15, 22, undefined, 'non_negative'],
];

/**
 * Meters 201 (single phase), 202 (split phase), 203 (wye), 204 (delta), and their float versions
 * 211–214: one layout each. W is used as read, + = import: the models state no sign, Fronius'
 * Smart Meter (213/203) gives + = import and evcc's fronius-gen24 template reads it unchanged.
 * SolarEdge's meters are the known exception (evcc solaredge-hybrid negates 203:W): set "inverted"
 * on the node. Model 201 and the float models name the phase-to-phase voltages PPVphAB… where
 * 202–204 say PhVphAB….
 */
const METER: readonly FamilyRow[] = [
  ['AphA', 'current_l1_a', 'int16', 3, 6, 4, undefined, 'abs'],
  ['AphB', 'current_l2_a', 'int16', 4, 6, 6, undefined, 'abs'],
  ['AphC', 'current_l3_a', 'int16', 5, 6, 8, undefined, 'abs'],
  ['PhVphA', 'voltage_l1_v', 'int16', 8, 15, 12],
  ['PhVphB', 'voltage_l2_v', 'int16', 9, 15, 14],
  ['PhVphC', 'voltage_l3_v', 'int16', 10, 15, 16],
  ['PhVphAB', 'voltage_l1_l2_v', 'int16', 12, 15, 20],
  ['PhVphBC', 'voltage_l2_l3_v', 'int16', 13, 15, 22],
  ['PhVphCA', 'voltage_l3_l1_v', 'int16', 14, 15, 24],
  ['Hz', 'frequency_hz', 'int16', 16, 17, 26],
  ['W', 'power_w', 'int16', 18, 22, 28],
  ['WphA', 'power_l1_w', 'int16', 19, 22, 30],
  ['WphB', 'power_l2_w', 'int16', 20, 22, 32],
  ['WphC', 'power_l3_w', 'int16', 21, 22, 34],
  ['VA', 'apparent_power_va', 'int16', 23, 27, 36],
  ['VAphA', 'apparent_power_l1_va', 'int16', 24, 27, 38],
  ['VAphB', 'apparent_power_l2_va', 'int16', 25, 27, 40],
  ['VAphC', 'apparent_power_l3_va', 'int16', 26, 27, 42],
  ['VAR', 'reactive_power_var', 'int16', 28, 32, 44],
  ['VARphA', 'reactive_power_l1_var', 'int16', 29, 32, 46],
  ['VARphB', 'reactive_power_l2_var', 'int16', 30, 32, 48],
  ['VARphC', 'reactive_power_l3_var', 'int16', 31, 32, 50],
  ['PF', 'power_factor', 'int16', 33, 37, 52, undefined, 'power_factor'],
  ['PFphA', 'power_factor_l1', 'int16', 34, 37, 54, undefined, 'power_factor'],
  ['PFphB', 'power_factor_l2', 'int16', 35, 37, 56, undefined, 'power_factor'],
  ['PFphC', 'power_factor_l3', 'int16', 36, 37, 58, undefined, 'power_factor'],
  ['TotWhImp', 'energy_import_kwh', 'acc32', 46, 54, 68, KWH],
  ['TotWhExp', 'energy_export_kwh', 'acc32', 38, 54, 60, KWH],
  ['TotWhImpPhA', 'energy_import_l1_kwh', 'acc32', 48, 54, 70, KWH],
  ['TotWhImpPhB', 'energy_import_l2_kwh', 'acc32', 50, 54, 72, KWH],
  ['TotWhImpPhC', 'energy_import_l3_kwh', 'acc32', 52, 54, 74, KWH],
  ['TotWhExpPhA', 'energy_export_l1_kwh', 'acc32', 40, 54, 62, KWH],
  ['TotWhExpPhB', 'energy_export_l2_kwh', 'acc32', 42, 54, 64, KWH],
  ['TotWhExpPhC', 'energy_export_l3_kwh', 'acc32', 44, 54, 66, KWH],
];

/** Storage 124: only the state of charge ChaState has a canonical name (the model has no power point). */
const STORAGE_BASIC = [point('ChaState', 'battery_soc_pct', 'uint16', 8, 22)];

/**
 * Battery 802: SoC and W. W is "total power flowing to/from the battery bank" with no sign stated;
 * evcc's sunspec battery template reads 802:W unchanged as its battery power, + = discharging, so
 * it is negated to ours (+ = charging).
 */
const BATTERY = [point('SoC', 'battery_soc_pct', 'uint16', 11, 56), point('W', 'battery_power_w', 'int16', 47, 63, undefined, 'negate')];

const INVERTER_INT = integerModels(INVERTER);
const INVERTER_FLOAT = floatModels(INVERTER);
const METER_INT = integerModels(METER);
const METER_FLOAT = floatModels(METER);

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
