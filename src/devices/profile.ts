/** Device profiles are data: registers, decoding and read rules. One generic decoder reads them all. */
import type { MeasurementName } from '../engine/measurements';

export type RegisterType = 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'uint64';
/** Modbus table: input registers are read with function 04, holding registers with 03. */
export type RegisterTable = 'input' | 'holding';
/** `big`: most significant register first. Bytes inside a register are always big-endian. */
export type WordOrder = 'big' | 'little';
/**
 * Applied after scaling: `negate` for registers whose sign is the opposite of ours,
 * `abs` for quantities we publish unsigned (currents, power factor), `non_negative` for PV power,
 * whose small negative night-time readings are noise (measurements.md).
 */
export type SignRule = 'negate' | 'abs' | 'non_negative';

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
}

export const REGISTER_WORDS: Record<RegisterType, number> = {
  uint16: 1,
  int16: 1,
  uint32: 2,
  int32: 2,
  float32: 2,
  uint64: 4,
};
