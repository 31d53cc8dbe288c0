import { decodeRegister } from './decode';
import { REGISTER_WORDS, type DeviceProfile, type RegisterSpec, type RegisterTable } from './profile';
import { planReads, type ReadRequest } from './read-plan';

/** The transport a profile is read through; `src/io` implements it over modbus-serial. */
export interface RegisterReader {
  readRegisters(unitId: number, table: RegisterTable, address: number, count: number): Promise<number[]>;
}

export interface DeviceValues {
  values: Record<string, number>;
  /** Canonical name → why it is missing. */
  quality: Record<string, string>;
  /** The first failure of this poll, for status texts; undefined when every request succeeded. */
  error?: Error;
}

/** A scale-factor register read along with the values it scales; it has no canonical name. */
interface ScaleFactorRegister {
  table: RegisterTable;
  address: number;
  type: 'int16';
  scaleFactor: true;
}

export type PlannedRegister = RegisterSpec | ScaleFactorRegister;

/** SunSpec sunssf: this exponent marks a point as not implemented. */
const SCALE_FACTOR_NOT_IMPLEMENTED = -0x8000;

function scaleFactorsOf(registers: readonly RegisterSpec[]): ScaleFactorRegister[] {
  const keys = new Set<string>();
  const found: ScaleFactorRegister[] = [];
  for (const reg of registers) {
    if (reg.scaleFactorAddress === undefined || keys.has(`${reg.table}:${reg.scaleFactorAddress}`)) continue;
    keys.add(`${reg.table}:${reg.scaleFactorAddress}`);
    found.push({ table: reg.table, address: reg.scaleFactorAddress, type: 'int16', scaleFactor: true });
  }
  return found;
}

export function planProfile(profile: DeviceProfile, names?: ReadonlySet<string>): ReadRequest<PlannedRegister>[] {
  const wanted = names ? profile.registers.filter((r) => names.has(r.name)) : profile.registers;
  return planReads<PlannedRegister>([...wanted, ...scaleFactorsOf(wanted)], profile.readRules);
}

const isScaleFactor = (reg: PlannedRegister): reg is ScaleFactorRegister => 'scaleFactor' in reg;
const toInt16 = (word: number) => (word << 16) >> 16;

/** Reads one device once. A failed request marks its registers' quality; the others still count. */
export async function readDevice(
  reader: RegisterReader,
  profile: DeviceProfile,
  unitId: number,
  plan: readonly ReadRequest<PlannedRegister>[] = planProfile(profile),
): Promise<DeviceValues> {
  const result: DeviceValues = { values: {}, quality: {} };
  const answers: Array<{ request: ReadRequest<PlannedRegister>; words: number[] }> = [];
  // Scale factors by table:address, or the reason their read failed; read before any value is decoded.
  const exponents = new Map<string, number | string>();
  for (const request of plan) {
    try {
      const words = await reader.readRegisters(unitId, request.table, request.address, request.count);
      answers.push({ request, words });
      for (const reg of request.registers) {
        if (isScaleFactor(reg)) exponents.set(`${reg.table}:${reg.address}`, toInt16(words[reg.address - request.address]));
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      result.error ??= error;
      for (const reg of request.registers) {
        if (isScaleFactor(reg)) exponents.set(`${reg.table}:${reg.address}`, error.message);
        else result.quality[reg.name] = error.message;
      }
    }
  }
  for (const { request, words } of answers) {
    for (const reg of request.registers) {
      if (isScaleFactor(reg)) continue;
      const exponent = reg.scaleFactorAddress === undefined ? 0 : exponents.get(`${reg.table}:${reg.scaleFactorAddress}`);
      if (typeof exponent === 'string') {
        result.quality[reg.name] = `scale factor register ${reg.scaleFactorAddress}: ${exponent}`;
        continue;
      }
      const offset = reg.address - request.address;
      const value =
        exponent === SCALE_FACTOR_NOT_IMPLEMENTED
          ? undefined
          : decodeRegister(reg, words.slice(offset, offset + REGISTER_WORDS[reg.type]), profile.wordOrder, reg.noValue ?? profile.noValue?.[reg.type], exponent);
      if (value === undefined) result.quality[reg.name] = 'no value: the device reports none for this register';
      else result.values[reg.name] = value;
    }
  }
  return result;
}
