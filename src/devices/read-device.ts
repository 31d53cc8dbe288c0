import { decodeRegister } from './decode';
import { REGISTER_WORDS, type DeviceProfile, type RegisterTable } from './profile';
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

export function planProfile(profile: DeviceProfile, names?: ReadonlySet<string>): ReadRequest[] {
  const wanted = names ? profile.registers.filter((r) => names.has(r.name)) : profile.registers;
  return planReads(wanted, profile.readRules);
}

/** Reads one device once. A failed request marks its registers' quality; the others still count. */
export async function readDevice(
  reader: RegisterReader,
  profile: DeviceProfile,
  unitId: number,
  plan: readonly ReadRequest[] = planProfile(profile),
): Promise<DeviceValues> {
  const result: DeviceValues = { values: {}, quality: {} };
  for (const request of plan) {
    let words: number[];
    try {
      words = await reader.readRegisters(unitId, request.table, request.address, request.count);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      result.error ??= error;
      for (const reg of request.registers) result.quality[reg.name] = error.message;
      continue;
    }
    for (const reg of request.registers) {
      const offset = reg.address - request.address;
      const value = decodeRegister(reg, words.slice(offset, offset + REGISTER_WORDS[reg.type]), profile.wordOrder, profile.noValue?.[reg.type]);
      if (value === undefined) result.quality[reg.name] = 'no value: the device reports none for this register';
      else result.values[reg.name] = value;
    }
  }
  return result;
}
