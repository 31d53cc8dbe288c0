/** Device profiles are data: registers, decoding and read rules. One generic decoder reads them all. */
import type { MeasurementName } from '../engine/measurements';
import type { RegisterReader } from './read-device';

export type RegisterType = 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'uint64';
/** Modbus table: input registers are read with function 04, holding registers with 03. */
export type RegisterTable = 'input' | 'holding';
/** `big`: most significant register first. Bytes inside a register are always big-endian. */
export type WordOrder = 'big' | 'little';
/**
 * Applied after scaling: `negate` for registers whose sign is the opposite of ours,
 * `abs` for quantities we publish unsigned (currents, power factor), `non_negative` for PV power,
 * whose small negative night-time readings are noise (measurements.md), `power_factor` for a power
 * factor that some devices give as a ratio and others in percent: unsigned, and divided by 100 when
 * above 1, which only a percent can be.
 */
export type SignRule = 'negate' | 'abs' | 'non_negative' | 'power_factor';

export interface RegisterSpec {
  name: MeasurementName;
  table: RegisterTable;
  address: number;
  type: RegisterType;
  /** Overrides the profile's word order for this register. */
  wordOrder?: WordOrder;
  /** Multiplier from raw to canonical unit, e.g. 0.1 for a register with gain 10. Default 1. */
  scale?: number;
  sign?: SignRule;
  /**
   * Address (same table) of an int16 power-of-ten exponent applied on top of `scale`: SunSpec's
   * sunssf scale-factor registers. Its value 0x8000 means the point is not implemented.
   */
  scaleFactorAddress?: number;
  /** Overrides the profile's "no value" raw for this register (SunSpec acc32 counters: 0). */
  noValue?: number;
}

export interface ReadRules {
  /** Most registers the device returns in one request. */
  maxRegistersPerRead: number;
  /** Unused registers a merged read may span to save a request. */
  maxGapRegisters: number;
  /** Some meters (Eastron) answer only reads that start on an even address with an even count. */
  evenAlignment: boolean;
  /** Address ranges [first, last] the device rejects; no merged read may cross them. */
  rejectedRanges?: ReadonlyArray<{ table: RegisterTable; first: number; last: number }>;
}

/** A register that tells this device apart when a bus is scanned (`hems scan`): only ever read. */
export interface DeviceIdentification {
  table: RegisterTable;
  address: number;
  /** `text`: ASCII over `count` registers, matched by prefix; `uint16` and `float32` (big word order): matched exactly. */
  type: 'text' | 'uint16' | 'float32';
  count: number;
  matches: ReadonlyArray<string | number>;
  /** Where the register and its values come from. */
  source: string;
  /** What else to know, e.g. other profiles that read the same device. */
  note?: string;
}

export interface DeviceProfile {
  id: string;
  manufacturer: string;
  model: string;
  description: string;
  /** Where the register facts come from, including any choice made where sources conflict. */
  source: string;
  defaultUnitId: number;
  wordOrder: WordOrder;
  /** Raw values by type that mean "no value" on this device (Huawei: 0x7FFF, 0xFFFF, …). */
  noValue?: Partial<Record<RegisterType, number>>;
  readRules: ReadRules;
  registers: readonly RegisterSpec[];
  identification?: DeviceIdentification;
  /**
   * For devices that describe their own registers (SunSpec): finds them on the device and returns
   * the profile to poll. The poller calls it before its first read and until it succeeds.
   */
  discover?: (reader: RegisterReader, unitId: number) => Promise<DeviceProfile>;
}

export const REGISTER_WORDS: Record<RegisterType, number> = {
  uint16: 1,
  int16: 1,
  uint32: 2,
  int32: 2,
  float32: 2,
  uint64: 4,
};
