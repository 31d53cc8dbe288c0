/**
 * How each battery takes the four modes (src/engine/battery/modes.ts), as data: per mode the
 * holding registers written, in order (settings first, the register that starts a forced
 * charge last), and the registers its state of charge and power are read back from. Facts from
 * shared/reference/registers/huawei-sun2000.json and huawei-emma.json unless an entry names
 * another source; what is doubtful is listed in `doubts` and in docs/profiles.md.
 */
import type { BatteryMode } from '../../engine/battery';
import { HUAWEI_NO_VALUE } from '../profiles/huawei-registers';
import type { ControlRegister } from './inverter-limits';

/**
 * A value from the command or the battery's settings: `power_w` is the command's power (charge
 * power or discharge cap), `forced_minutes` how long a forced charge lasts unless renewed.
 */
export type BatteryWriteValue = number | 'power_w' | 'max_discharge_w' | 'grid_charge_max_soc_pct' | 'forced_minutes';

export interface BatteryWrite {
  /** The register's name in its source map, for messages. */
  name: string;
  register: ControlRegister;
  value: BatteryWriteValue;
  /** False for registers that do not read back what was written (write-only, counting down). */
  verify: boolean;
}

export interface BatteryReadBack {
  socPct: ControlRegister;
  /** Positive = charging, as the canonical `battery_power_w`. */
  powerW: ControlRegister;
  /** Raw values that mean "not available", per register type. */
  noValue?: Readonly<Partial<Record<ControlRegister['type'], number>>>;
}

export interface BatteryControl {
  label: string;
  defaultUnitId: number;
  /** Writes per mode; a mode missing here cannot be done and falls back to self-consumption. */
  modes: Partial<Record<BatteryMode, readonly BatteryWrite[]>>;
  /** Undefined: the battery is driven by someone else (Home Assistant, a flow) from the output message. */
  readBack?: BatteryReadBack;
  source: string;
  doubts: readonly string[];
}

const u16 = (address: number, gain = 1): ControlRegister => ({ address, type: 'uint16', gain });
const u32 = (address: number): ControlRegister => ({ address, type: 'uint32', gain: 1 });

/** SUN2000 storage registers (huawei-sun2000.json unless marked). */
const SUN2000 = {
  forcible: { name: 'storage_forcible_charge_discharge (0 stop, 1 charge, 2 discharge)', register: u16(47100) },
  workingMode: { name: 'storage_working_mode_settings (2 = maximise self consumption)', register: u16(47086) },
  chargeFromGrid: { name: 'storage_charge_from_grid (0 off, 1 on)', register: u16(47087) },
  gridChargeCutoff: { name: 'storage_grid_charge_cutoff_soc', register: u16(47088, 10) },
  maxDischarge: { name: 'storage_maximum_discharging_power', register: u32(47077) },
  forcedPeriod: { name: 'storage_forced_charging_and_discharging_period (min; huawei-solar-lib registers.py, not in the shared map)', register: u16(47083) },
  forcedSettingMode: { name: 'storage_forcible_charge_discharge_setting_mode (0 = duration; huawei-solar-lib registers.py, not in the shared map)', register: u16(47246) },
  forcedChargePower: { name: 'storage_forcible_charge_power', register: u32(47247) },
} as const;

const write = (entry: { name: string; register: ControlRegister }, value: BatteryWriteValue, verify = true): BatteryWrite => ({ ...entry, value, verify });

/** Self-consumption with discharge capped at `cap`: no forced charge, the battery's own control. */
const sun2000SelfConsumption = (cap: BatteryWriteValue): BatteryWrite[] => [
  write(SUN2000.forcible, 0, false),
  write(SUN2000.workingMode, 2),
  write(SUN2000.chargeFromGrid, 0),
  write(SUN2000.maxDischarge, cap),
];

export const BATTERY_CONTROLS = {
  'huawei-sun2000-luna2000': {
    label: 'Huawei SUN2000 + LUNA2000 (forcible charge 47100, working mode 47086, max discharge 47077)',
    defaultUnitId: 1,
    modes: {
      self_consumption: sun2000SelfConsumption('max_discharge_w'),
      hold: sun2000SelfConsumption(0),
      discharge: sun2000SelfConsumption('power_w'),
      charge: [
        write(SUN2000.chargeFromGrid, 1),
        write(SUN2000.gridChargeCutoff, 'grid_charge_max_soc_pct'),
        write(SUN2000.forcedSettingMode, 0),
        write(SUN2000.forcedPeriod, 'forced_minutes', false),
        write(SUN2000.forcedChargePower, 'power_w'),
        write(SUN2000.forcible, 1, false),
      ],
    },
    readBack: { socPct: u16(37760, 10), powerW: { address: 37765, type: 'int32', gain: 1 }, noValue: HUAWEI_NO_VALUE },
    source:
      'huawei-sun2000.json: 47100 forcible charge/discharge, 47086 working mode (2 = maximise self consumption), 47087 charge from grid, ' +
      '47088 grid charge cutoff SoC (gain 10), 47077 max discharging power, 47247 forcible charge power, 37760 SoC (gain 10), ' +
      '37765 battery power (+ = charging) (wlcrs/huawei-solar-lib registers.py); 47083 forced period (min) and 47246 setting mode ' +
      '(0 = duration) from wlcrs/huawei-solar-lib registers.py and its forcible_charge service, which writes power, period, setting mode, then 47100',
    doubts: [
      '47100 is read back by nothing: huawei-solar-lib names it a write register ("forcible_charge_discharge_write"); 47083 counts down, so it is not compared either',
      'whether a forced charge draws from the grid with 47087 (charge from grid) off is not documented: it is switched on for a charge and off otherwise',
      'hold is max discharging power 47077 = 0 in self-consumption; PV surplus still charges the battery, as the plan assumes',
      '47589 remote charge/discharge control mode (0 local, 1 remote max self consumption …) is not written: its effect beside 47086 is not documented',
      'writing storage settings over Modbus TCP may need an installer login on some firmware (huawei-solar-lib login()); a refused write raises the communication alarm',
    ],
  },
  'huawei-emma': {
    label: 'Huawei EMMA (ESS control mode 40000: self-consumption only)',
    defaultUnitId: 0,
    modes: {
      self_consumption: [{ name: 'ess_control_mode (2 = maximum self consumption)', register: { address: 40000, type: 'int16', gain: 1 }, value: 2, verify: true }],
    },
    readBack: { socPct: u16(30368, 100), powerW: { address: 30360, type: 'int32', gain: 1 }, noValue: HUAWEI_NO_VALUE },
    source:
      'huawei-emma.json: 40000 ess_control_mode (2 maximum self consumption, 4 fully fed to grid, 5 TOU, 6 third-party dispatch) ' +
      '(wlcrs/huawei-solar-lib registers.py EMMA_REGISTERS); 30368 SoC (gain 100), 30360 battery power, as the huawei-emma meter profile reads them',
    doubts: [
      'hold, charge and discharge need the TOU periods block (40004, 43 registers) or third-party dispatch (6), whose layouts are not published: the EMMA can only be given self-consumption',
      'the sign of 30360 (battery power) is not stated by the sources; read as + = charging, as the meter profile does',
    ],
  },
  'output-only': {
    label: 'Output message only (Home Assistant or another flow drives the battery)',
    defaultUnitId: 1,
    modes: { self_consumption: [], hold: [], charge: [], discharge: [] },
    source: 'no registers: the node sends { mode, powerW, reason } and shows the mode in Home Assistant',
    doubts: [],
  },
} as const satisfies Record<string, BatteryControl>;

export type BatteryControlId = keyof typeof BATTERY_CONTROLS;

export const BATTERY_CONTROL_IDS = Object.keys(BATTERY_CONTROLS) as BatteryControlId[];

export function isBatteryControlId(id: unknown): id is BatteryControlId {
  return typeof id === 'string' && Object.hasOwn(BATTERY_CONTROLS, id);
}
