import type { DeviceProfile } from '../profile';
import { eastronInput as input } from './eastron-registers';

/**
 * The first SDM72D-M publishes only totals; the SDM72D-M-2 (v2) adds the per-phase block. Two
 * profiles, because reading a v2 address from a v1 meter fails the whole request.
 */
export const eastronSdm72: DeviceProfile = {
  id: 'sdm72',
  manufacturer: 'Eastron',
  model: 'SDM72D-M',
  description: 'Three-phase energy meter, first version: total power and energy only (for the SDM72D-M-2 use sdm72v2)',
  source:
    'test/fixtures/registers/eastron-sdm72.json, transcribed from the Eastron "SDM72D-M Modbus Protocol" v1.1 (as published by ' +
    'Smart Process & Control) and the SDM72D-M user manual v1.5 (B+G e-tech), which list only total power (0x34), ' +
    'import (0x48) and export (0x4A) energy among the canonical values; volkszaehler/mbmd (meters/rs485/sdm72.go) reads the same three. ' +
    'Conflict: nmakel/sdm_modbus class SDM72 lists the per-phase block of the v2 map for this model; this profile follows the ' +
    'Eastron documents and leaves it out. Power is used as read: positive = import in the usual wiring. ' +
    'Reads: even start and count (Eastron rule), at most 60 registers (the manual limits a request to 30 parameters), and ' +
    'no undocumented address is read through (the v1 map defines nothing between 0x36 and 0x47). 2 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'big',
  readRules: { maxRegistersPerRead: 60, maxGapRegisters: 0, evenAlignment: true },
  registers: [input('power_w', 52), input('energy_import_kwh', 72), input('energy_export_kwh', 74)],
};

export const eastronSdm72v2: DeviceProfile = {
  id: 'sdm72v2',
  manufacturer: 'Eastron',
  model: 'SDM72D-M-2',
  description: 'Three-phase energy meter, second version (SDM72D-M-2) with per-phase values',
  source:
    'test/fixtures/registers/eastron-sdm72v2.json, transcribed from the Eastron "SDM72D-M-v2" protocol as republished by ' +
    'volkszaehler/mbmd (meters/rs485/sdm72v2.go, citing SDM72DM-V2.pdf) and nmakel/sdm_modbus (class SDM72V2). ' +
    'Line-to-line voltages (0xC8-0xCC) and neutral current (0xE0) are only in nmakel/sdm_modbus (mbmd does not read them); ' +
    'they are kept, in a request of their own, so a meter without them loses only those values. ' +
    'Power is used as read: positive = import in the usual wiring. Power factor is published unsigned. ' +
    'Reactive power sign convention is not documented: published as read. ' +
    'Reads: even start and count (Eastron rule), at most 50 registers (the SDM72D-M manual allows 30 parameters; ' +
    'openWB/core PR #2890 reports SDM meters rejecting more than 50), gaps of up to 24 registers. 3 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'big',
  readRules: { maxRegistersPerRead: 50, maxGapRegisters: 24, evenAlignment: true },
  registers: [
    input('voltage_l1_v', 0),
    input('voltage_l2_v', 2),
    input('voltage_l3_v', 4),
    input('current_l1_a', 6, 'abs'),
    input('current_l2_a', 8, 'abs'),
    input('current_l3_a', 10, 'abs'),
    input('power_l1_w', 12),
    input('power_l2_w', 14),
    input('power_l3_w', 16),
    input('apparent_power_l1_va', 18),
    input('apparent_power_l2_va', 20),
    input('apparent_power_l3_va', 22),
    input('reactive_power_l1_var', 24),
    input('reactive_power_l2_var', 26),
    input('reactive_power_l3_var', 28),
    input('power_factor_l1', 30, 'abs'),
    input('power_factor_l2', 32, 'abs'),
    input('power_factor_l3', 34, 'abs'),
    input('power_w', 52),
    input('apparent_power_va', 56),
    input('reactive_power_var', 60),
    input('power_factor', 62, 'abs'),
    input('frequency_hz', 70),
    input('energy_import_kwh', 72),
    input('energy_export_kwh', 74),
    input('voltage_l1_l2_v', 200),
    input('voltage_l2_l3_v', 202),
    input('voltage_l3_l1_v', 204),
    input('current_n_a', 224, 'abs'),
  ],
};
