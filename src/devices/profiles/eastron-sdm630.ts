import type { DeviceProfile } from '../profile';
import { eastronInput as input } from './eastron-registers';

export const eastronSdm630: DeviceProfile = {
  id: 'sdm630',
  manufacturer: 'Eastron',
  model: 'SDM630',
  description: 'Three-phase energy meter (Modbus RTU, or TCP through a gateway)',
  source:
    'shared/reference/registers/eastron-sdm630.json (Eastron "SDM630 Modbus Protocol" v2.0, 2018). ' +
    'Power is used as read: positive = import in the usual wiring (the PDF states no sign rule; evcc uses it unchanged). ' +
    'Power factor is published unsigned (the meter signs it positive = capacitive). ' +
    'Reactive power sign convention is not documented by Eastron: published as read. ' +
    'Reads start on an even address with an even count of at most 80 registers (protocol rules).',
  defaultUnitId: 1,
  wordOrder: 'big',
  readRules: { maxRegistersPerRead: 80, maxGapRegisters: 24, evenAlignment: true },
  identification: {
    table: 'holding',
    address: 10,
    type: 'float32',
    count: 2,
    matches: [1, 2, 3],
    source:
      'shared/reference/registers/eastron-sdm630.json system_type (holding 10, float32: 1 = 1P2W, 2 = 3P3W, 3 = 3P4W). ' +
      'Eastron publishes no model-code register: this tells an Eastron meter with the SDM630 map, not the model',
    note: 'an SDM72 with the same map reads as sdm72',
  },
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
    input('reactive_energy_import_kvarh', 76),
    input('reactive_energy_export_kvarh', 78),
    input('voltage_l1_l2_v', 200),
    input('voltage_l2_l3_v', 202),
    input('voltage_l3_l1_v', 204),
    input('current_n_a', 224, 'abs'),
    input('thd_voltage_l1_pct', 234),
    input('thd_voltage_l2_pct', 236),
    input('thd_voltage_l3_pct', 238),
    input('thd_current_l1_pct', 240),
    input('thd_current_l2_pct', 242),
    input('thd_current_l3_pct', 244),
    input('energy_import_l1_kwh', 346),
    input('energy_import_l2_kwh', 348),
    input('energy_import_l3_kwh', 350),
    input('energy_export_l1_kwh', 352),
    input('energy_export_l2_kwh', 354),
    input('energy_export_l3_kwh', 356),
  ],
};
