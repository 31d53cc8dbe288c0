import type { ReadRules, RegisterSpec } from '../profile';

/**
 * The EM24 Ethernet (EM24_E1) and the EM330/EM340 share one input-register layout: int32 values
 * stored low word first, int16 power factors, scales from Carlo Gavazzi's tables.
 */
const int32 = (name: RegisterSpec['name'], address: number, scale: number, sign?: RegisterSpec['sign']): RegisterSpec => ({
  name,
  table: 'input',
  address,
  type: 'int32',
  scale,
  ...(sign ? { sign } : {}),
});

const pf = (name: RegisterSpec['name'], address: number): RegisterSpec => ({
  name,
  table: 'input',
  address,
  type: 'int16',
  scale: 0.001,
  sign: 'abs',
});

/** The registers both meters document; reactive energy (54, 80) is the EM24's alone. */
export const CARLO_GAVAZZI_EM300_LAYOUT: readonly RegisterSpec[] = [
  int32('voltage_l1_v', 0, 0.1),
  int32('voltage_l2_v', 2, 0.1),
  int32('voltage_l3_v', 4, 0.1),
  int32('voltage_l1_l2_v', 6, 0.1),
  int32('voltage_l2_l3_v', 8, 0.1),
  int32('voltage_l3_l1_v', 10, 0.1),
  int32('current_l1_a', 12, 0.001, 'abs'),
  int32('current_l2_a', 14, 0.001, 'abs'),
  int32('current_l3_a', 16, 0.001, 'abs'),
  int32('power_l1_w', 18, 0.1),
  int32('power_l2_w', 20, 0.1),
  int32('power_l3_w', 22, 0.1),
  int32('apparent_power_l1_va', 24, 0.1),
  int32('apparent_power_l2_va', 26, 0.1),
  int32('apparent_power_l3_va', 28, 0.1),
  int32('reactive_power_l1_var', 30, 0.1),
  int32('reactive_power_l2_var', 32, 0.1),
  int32('reactive_power_l3_var', 34, 0.1),
  int32('power_w', 40, 0.1),
  int32('apparent_power_va', 42, 0.1),
  int32('reactive_power_var', 44, 0.1),
  pf('power_factor_l1', 46),
  pf('power_factor_l2', 47),
  pf('power_factor_l3', 48),
  pf('power_factor', 49),
  { name: 'frequency_hz', table: 'input', address: 51, type: 'uint16', scale: 0.1 },
  int32('energy_import_kwh', 52, 0.1),
  int32('energy_import_l1_kwh', 64, 0.1),
  int32('energy_import_l2_kwh', 66, 0.1),
  int32('energy_import_l3_kwh', 68, 0.1),
  int32('energy_export_kwh', 78, 0.1),
];

export const reactiveEnergyRegisters: readonly RegisterSpec[] = [
  int32('reactive_energy_import_kvarh', 54, 0.1),
  int32('reactive_energy_export_kvarh', 80, 0.1),
];

/**
 * Carlo Gavazzi's EM24-DIN protocol allows at most 11 registers per request "when not differently
 * specified"; no limit for the EM24_E1 or EM300 series was found in a readable source, so the
 * documented one is used for both.
 */
export const CARLO_GAVAZZI_READ_LIMITS: Pick<ReadRules, 'maxRegistersPerRead' | 'maxGapRegisters' | 'evenAlignment'> = {
  maxRegistersPerRead: 11,
  maxGapRegisters: 4,
  evenAlignment: false,
};

export const CARLO_GAVAZZI_SOURCES =
  'volkszaehler/mbmd (carlogavazzi-em24_e1.go, carlogavazzi-ex3x0.go), nmakel/sdm_modbus (carlogavazzi.py), ' +
  'victronenergy/dbus-modbus-client (carlo_gavazzi.py), martgras/esphome-modbus (EM340.yaml)';
