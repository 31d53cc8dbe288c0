import type { DeviceProfile } from '../profile';
import { HUAWEI_NO_VALUE, HUAWEI_READ_LIMITS, huaweiHolding as reg } from './huawei-registers';

export const huaweiEmma: DeviceProfile = {
  id: 'emma',
  manufacturer: 'Huawei',
  model: 'EMMA (SmartHEMS)',
  description: 'Energy manager: grid connection point (built-in sensor), PV, battery and house load over Modbus TCP',
  source:
    'shared/reference/registers/huawei-emma.json (wlcrs/huawei-solar-lib EMMA_REGISTERS, bolliy/ioBroker.sun2000, evcc huawei-emma). ' +
    'Grid values come from the built-in energy sensor (31639-31669); grid power 31657 is positive = import already (no flip). ' +
    'Choices where sources conflict (shared/reference/registers/NOTES.md): grid energy totals are the verified lifetime counters ' +
    '30338 (import) and 30332 (export), not the unverified 31687/31679; battery discharge total is the lifetime 30314, not 30312 ' +
    '(a daily counter that evcc labels a total); 30358 (feed-in power, sign unverified) is not read; power factor 31661 is read ' +
    'as int32 per huawei-solar-lib (ioBroker reads int16), since the next register starts at 31663. There is no grid frequency ' +
    'register. Sensor currents are signed by direction: published as magnitudes. SoC has gain 100 here (10 on the SUN2000). ' +
    'PV power is 30354, the PV output power of all inverters. External meter status 30500 is not read (no canonical value). ' +
    'Reads: at most 64 registers, gaps up to 16, never across the undocumented addresses 30352-30353, 30366-30367 and ' +
    '31659-31660. 5 requests per poll. The EMMA itself answers on unit id 0.',
  defaultUnitId: 0,
  wordOrder: 'big',
  noValue: HUAWEI_NO_VALUE,
  identification: {
    table: 'holding',
    address: 30000,
    type: 'text',
    count: 15,
    matches: ['SmartHEMS'],
    source: "shared/reference/registers/huawei-emma.json model_name (holding 30000: an EMMA answers 'SmartHEMS'; wlcrs/huawei-solar-lib uses it to detect an EMMA)",
  },
  readRules: {
    ...HUAWEI_READ_LIMITS,
    rejectedRanges: [
      { table: 'holding', first: 30352, last: 30353 },
      { table: 'holding', first: 30366, last: 30367 },
      { table: 'holding', first: 31659, last: 31660 },
    ],
  },
  registers: [
    reg('battery_charge_energy_kwh', 30308, 'uint64', 0.01),
    reg('battery_discharge_energy_kwh', 30314, 'uint64', 0.01),
    reg('energy_export_kwh', 30332, 'uint64', 0.01),
    reg('energy_import_kwh', 30338, 'uint64', 0.01),
    reg('pv_energy_kwh', 30348, 'uint64', 0.01),
    reg('pv_power_w', 30354, 'uint32'),
    reg('load_power_w', 30356, 'uint32'),
    reg('battery_power_w', 30360, 'int32'),
    reg('inverter_power_w', 30364, 'int32'),
    reg('battery_soc_pct', 30368, 'uint16', 0.01),
    reg('voltage_l1_v', 31639, 'uint32', 0.01),
    reg('voltage_l2_v', 31641, 'uint32', 0.01),
    reg('voltage_l3_v', 31643, 'uint32', 0.01),
    reg('voltage_l1_l2_v', 31645, 'uint32', 0.01),
    reg('voltage_l2_l3_v', 31647, 'uint32', 0.01),
    reg('voltage_l3_l1_v', 31649, 'uint32', 0.01),
    reg('current_l1_a', 31651, 'int32', 0.1, 'abs'),
    reg('current_l2_a', 31653, 'int32', 0.1, 'abs'),
    reg('current_l3_a', 31655, 'int32', 0.1, 'abs'),
    reg('power_w', 31657, 'int32'),
    reg('power_factor', 31661, 'int32', 0.001, 'abs'),
    reg('apparent_power_va', 31663, 'int32'),
    reg('power_l1_w', 31665, 'int32'),
    reg('power_l2_w', 31667, 'int32'),
    reg('power_l3_w', 31669, 'int32'),
  ],
};
