import type { DeviceProfile } from '../profile';
import { HUAWEI_NO_VALUE, HUAWEI_READ_LIMITS, huaweiHolding as reg } from './huawei-registers';

/**
 * One SUN2000 answers for three devices: the inverter, its DTSU666-H grid meter and its LUNA2000
 * battery. They are three profiles because a reading describes one device under the canonical
 * names: the inverter's AC voltage and the meter's grid voltage would both be `voltage_l1_v`, and
 * Home Assistant's energy dashboard wants grid, solar and battery as separate sources. Point three
 * meter nodes at the same bus and unit id; the bus queue serialises their requests.
 */
const WHY_THREE_PROFILES =
  'One of three profiles for a SUN2000 (sun2000 inverter, sun2000-meter, sun2000-battery), all read from the inverter\'s unit id: ' +
  'inverter, meter and battery share canonical names (voltage_l1_v, power_w…) and are separate devices in Home Assistant. ';

const SOURCE = 'shared/reference/registers/huawei-sun2000.json (wlcrs/huawei-solar-lib registers.py, evcc huawei-sun2000-hybrid). ';

export const huaweiSun2000: DeviceProfile = {
  id: 'sun2000',
  manufacturer: 'Huawei',
  model: 'SUN2000 inverter',
  description: 'PV inverter: DC input power and yield, AC output (through the SDongle, the WiFi AP or RS485)',
  source:
    SOURCE +
    WHY_THREE_PROFILES +
    'PV power and energy are the DC input (32064, 32108), as evcc reads them; the AC yield 32106 also counts battery discharge ' +
    'on hybrids. inverter_power_w is the AC active power 32080 (+ = feeding out). AC currents are published as magnitudes; ' +
    'reactive power sign convention is not documented: published as read. ' +
    'Reads: at most 64 registers, gaps up to 16, never across the undocumented 32097-32105. 2 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'big',
  noValue: HUAWEI_NO_VALUE,
  identification: {
    table: 'holding',
    address: 30000,
    type: 'text',
    count: 15,
    matches: ['SUN2000'],
    source: "shared/reference/registers/huawei-sun2000.json model_name (holding 30000, 15 registers ASCII, e.g. 'SUN2000-10KTL-M1'; wlcrs/huawei-solar-lib)",
    note: 'its grid meter and battery are read at the same unit with sun2000-meter and sun2000-battery',
  },
  readRules: { ...HUAWEI_READ_LIMITS, rejectedRanges: [{ table: 'holding', first: 32097, last: 32105 }] },
  registers: [
    reg('pv_power_w', 32064, 'int32', undefined, 'non_negative'),
    reg('voltage_l1_l2_v', 32066, 'uint16', 0.1),
    reg('voltage_l2_l3_v', 32067, 'uint16', 0.1),
    reg('voltage_l3_l1_v', 32068, 'uint16', 0.1),
    reg('voltage_l1_v', 32069, 'uint16', 0.1),
    reg('voltage_l2_v', 32070, 'uint16', 0.1),
    reg('voltage_l3_v', 32071, 'uint16', 0.1),
    reg('current_l1_a', 32072, 'int32', 0.001, 'abs'),
    reg('current_l2_a', 32074, 'int32', 0.001, 'abs'),
    reg('current_l3_a', 32076, 'int32', 0.001, 'abs'),
    reg('inverter_power_w', 32080, 'int32'),
    reg('reactive_power_var', 32082, 'int32'),
    reg('power_factor', 32084, 'int16', 0.001, 'abs'),
    reg('frequency_hz', 32085, 'uint16', 0.01),
    reg('pv_energy_kwh', 32108, 'uint32', 0.01),
  ],
};

export const huaweiSun2000Meter: DeviceProfile = {
  id: 'sun2000-meter',
  manufacturer: 'Huawei',
  model: 'SUN2000 with DTSU666-H / DDSU666-H meter',
  description: 'Grid meter connected to a SUN2000 inverter, read through the inverter',
  source:
    SOURCE +
    WHY_THREE_PROFILES +
    'Sign choices (NOTES.md): 37113 is positive = export, so it is negated (ours: + = import); 37132 says the same, and ' +
    '37134/37136 are negated alike as the same meter\'s phases. Currents 37107-37111 are signed by direction: published as ' +
    'magnitudes. Export energy 37119 is negative on some firmware (wlcrs/huawei_solar #54): published as its magnitude, as ' +
    'huawei-solar-lib does. Reactive power sign convention is not documented: published as read. Reactive energy 37123 ' +
    '(direction unstated) and meter status 37100 are not read. 37100-37138 are all documented, so one request reads the meter.',
  defaultUnitId: 1,
  wordOrder: 'big',
  noValue: HUAWEI_NO_VALUE,
  readRules: HUAWEI_READ_LIMITS,
  registers: [
    reg('voltage_l1_v', 37101, 'int32', 0.1),
    reg('voltage_l2_v', 37103, 'int32', 0.1),
    reg('voltage_l3_v', 37105, 'int32', 0.1),
    reg('current_l1_a', 37107, 'int32', 0.01, 'abs'),
    reg('current_l2_a', 37109, 'int32', 0.01, 'abs'),
    reg('current_l3_a', 37111, 'int32', 0.01, 'abs'),
    reg('power_w', 37113, 'int32', 1, 'negate'),
    reg('reactive_power_var', 37115, 'int32'),
    reg('power_factor', 37117, 'int16', 0.001, 'abs'),
    reg('frequency_hz', 37118, 'int16', 0.01),
    reg('energy_export_kwh', 37119, 'int32', 0.01, 'abs'),
    reg('energy_import_kwh', 37121, 'int32', 0.01),
    reg('voltage_l1_l2_v', 37126, 'int32', 0.1),
    reg('voltage_l2_l3_v', 37128, 'int32', 0.1),
    reg('voltage_l3_l1_v', 37130, 'int32', 0.1),
    reg('power_l1_w', 37132, 'int32', 1, 'negate'),
    reg('power_l2_w', 37134, 'int32', 1, 'negate'),
    reg('power_l3_w', 37136, 'int32', 1, 'negate'),
  ],
};

export const huaweiSun2000Battery: DeviceProfile = {
  id: 'sun2000-battery',
  manufacturer: 'Huawei',
  model: 'SUN2000 with LUNA2000 battery',
  description: 'LUNA2000 battery connected to a SUN2000 inverter, read through the inverter (all battery units combined)',
  source:
    SOURCE +
    WHY_THREE_PROFILES +
    'Uses the combined storage registers (37760 SoC with gain 10, 37765 power, 37780/37782 totals), not the per-unit 37000 block. ' +
    '37765 is positive = charging, as ours. 37001 (per-unit power, sign unstated) is not read. ' +
    'Reads: evcc reads 37760-37783 as one block (PR #32234) but a read of 37760-37787 was rejected with exception 2 on other ' +
    'firmware (wlcrs/huawei_solar #35); the conservative choice here never reads across 37767-37779, which no public map ' +
    'defines: 2 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'big',
  noValue: HUAWEI_NO_VALUE,
  readRules: { ...HUAWEI_READ_LIMITS, rejectedRanges: [{ table: 'holding', first: 37767, last: 37779 }] },
  registers: [
    reg('battery_soc_pct', 37760, 'uint16', 0.1),
    reg('battery_power_w', 37765, 'int32'),
    reg('battery_charge_energy_kwh', 37780, 'uint32', 0.01),
    reg('battery_discharge_energy_kwh', 37782, 'uint32', 0.01),
  ],
};
