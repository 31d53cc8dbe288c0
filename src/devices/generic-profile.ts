/**
 * A profile the user fills in (in the editor, or as a JSON file for `hems live --profile-file`):
 * for a meter no shipped profile covers. Same data, same decoder, same rules as the shipped ones.
 */
import type { DeviceProfile, RegisterSpec, RegisterTable, RegisterType, SignRule, WordOrder } from './profile';
import { validateProfile } from './validate-profile';

export interface GenericRegisterRow {
  name: string;
  table: RegisterTable;
  address: number | string;
  type: RegisterType;
  wordOrder?: WordOrder;
  scale?: number | string;
  sign?: SignRule | '';
}

export interface GenericProfileInput {
  name?: string;
  source?: string;
  wordOrder?: WordOrder;
  maxRegistersPerRead?: number | string;
  maxGapRegisters?: number | string;
  evenAlignment?: boolean;
  registers: GenericRegisterRow[];
}

const num = (value: number | string | undefined, fallback: number) => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
};

export function buildGenericProfile(input: GenericProfileInput): { profile: DeviceProfile } | { errors: string[] } {
  if (!Array.isArray(input.registers) || input.registers.length === 0) {
    return { errors: ['the generic profile has no registers: add at least one (address, type, canonical name)'] };
  }
  const registers: RegisterSpec[] = input.registers.map((row) => ({
    name: row.name,
    table: row.table === 'holding' ? 'holding' : 'input',
    address: num(row.address, NaN),
    type: row.type,
    ...(row.wordOrder ? { wordOrder: row.wordOrder } : {}),
    ...(row.scale !== undefined && row.scale !== '' ? { scale: num(row.scale, NaN) } : {}),
    ...(row.sign ? { sign: row.sign } : {}),
  }));
  const profile: DeviceProfile = {
    id: 'generic',
    manufacturer: 'Generic',
    model: input.name?.trim() || 'Modbus device',
    description: 'registers filled in by the user',
    source: input.source?.trim() || 'filled in by the user',
    defaultUnitId: 1,
    wordOrder: input.wordOrder ?? 'big',
    readRules: {
      maxRegistersPerRead: num(input.maxRegistersPerRead, 100),
      maxGapRegisters: num(input.maxGapRegisters, 0),
      evenAlignment: input.evenAlignment === true,
    },
    registers,
  };
  const errors = validateProfile(profile);
  return errors.length > 0 ? { errors } : { profile };
}
