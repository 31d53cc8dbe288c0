import type { DeviceProfile } from '../profile';
import { eastronInput as input } from './eastron-registers';

export const eastronSdm120: DeviceProfile = {
  id: 'sdm120',
  manufacturer: 'Eastron',
  model: 'SDM120',
  description: 'Single-phase energy meter (Modbus RTU, or TCP through a gateway)',
  source:
    'test/fixtures/registers/eastron-sdm120.json, transcribed from the Eastron SDM120 Modbus protocol as republished by ' +
    'volkszaehler/mbmd (meters/rs485/sdm120.go, citing the Eastron "sdm120modbus_manual.pdf") and nmakel/sdm_modbus ' +
    '(src/sdm_modbus/sdm.py class SDM120, documents/sdm120_modbus_protocol_v2.5.pdf); both agree on every address used here. ' +
    'The single phase is published as L1 (voltage_l1_v, current_l1_a) and as the totals (power_w and the rest). ' +
    'Power is used as read: positive = import in the usual wiring (no sign rule stated). Power factor is published unsigned. ' +
    'Reactive power sign convention is not documented: published as read. ' +
    'Reads: even start and count (Eastron protocol rule); at most 50 registers, below the 80 the protocol allows, because ' +
    'openWB/core PR #2890 reports SDM meters that reject reads of more than 50; gaps of up to 24 registers are read through, ' +
    'as nmakel/sdm_modbus reads 0x0000-0x004F from an SDM120 in one request. 2 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'big',
  readRules: { maxRegistersPerRead: 50, maxGapRegisters: 24, evenAlignment: true },
  registers: [
    input('voltage_l1_v', 0),
    input('current_l1_a', 6, 'abs'),
    input('power_w', 12),
    input('apparent_power_va', 18),
    input('reactive_power_var', 24),
    input('power_factor', 30, 'abs'),
    input('frequency_hz', 70),
    input('energy_import_kwh', 72),
    input('energy_export_kwh', 74),
    input('reactive_energy_import_kvarh', 76),
    input('reactive_energy_export_kvarh', 78),
  ],
};
