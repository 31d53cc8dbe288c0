/**
 * Finding a SunSpec device's models (SunSpec Information Model Specification; the model
 * definitions in sunspec/models): the marker "SunS" (0x5375 0x6E53) at one of the base addresses,
 * then model headers (ID, L = registers after the header) back to back until ID 0xFFFF.
 */
import { decodeText as text } from '../decode';
import type { RegisterReader } from '../read-device';

/** Where devices put the marker, in the order the specification lists them. */
export const SUNSPEC_BASES = [40000, 50000, 0] as const;
const MARKER = [0x5375, 0x6e53];
const END_OF_CHAIN = 0xffff;
/** No real device has more; a bound keeps a garbled chain from walking the whole address space. */
const MAX_MODELS = 64;
const MAX_REGISTERS_PER_READ = 125;

export interface SunSpecModelHeader {
  id: number;
  /** Address of the model's ID register. */
  address: number;
  /** Registers after ID and L. */
  length: number;
}

export interface SunSpecChain {
  base: number;
  models: SunSpecModelHeader[];
}

export interface SunSpecIdentity {
  manufacturer: string;
  model: string;
  serial: string;
  version: string;
}

/** Reads any number of holding registers in requests the Modbus limit allows. */
export async function readBlock(reader: RegisterReader, unitId: number, address: number, count: number): Promise<number[]> {
  const words: number[] = [];
  for (let at = address; at < address + count; at += MAX_REGISTERS_PER_READ) {
    words.push(...(await reader.readRegisters(unitId, 'holding', at, Math.min(MAX_REGISTERS_PER_READ, address + count - at))));
  }
  return words;
}

/** The chain, or an error saying what each base address answered. */
export async function findSunSpecChain(reader: RegisterReader, unitId: number): Promise<SunSpecChain> {
  const answers: string[] = [];
  for (const base of SUNSPEC_BASES) {
    let words: number[];
    try {
      words = await reader.readRegisters(unitId, 'holding', base, 2);
    } catch (err) {
      // Only a Modbus exception says "not here"; a timeout or a bus that cannot connect says nothing about SunSpec.
      const kind = (err as { kind?: string }).kind;
      if (kind !== undefined && kind !== 'exception') throw err;
      answers.push(`${base}: ${(err as Error).message}`);
      continue;
    }
    if (words[0] !== MARKER[0] || words[1] !== MARKER[1]) {
      answers.push(`${base}: no "SunS" marker`);
      continue;
    }
    return { base, models: await walkModels(reader, unitId, base + 2) };
  }
  throw new Error(`unit ${unitId} is no SunSpec device (looked for "SunS" at ${answers.join('; ')})`);
}

async function walkModels(reader: RegisterReader, unitId: number, first: number): Promise<SunSpecModelHeader[]> {
  const models: SunSpecModelHeader[] = [];
  let address = first;
  while (models.length < MAX_MODELS && address + 2 <= 0x10000) {
    const [id, length] = await reader.readRegisters(unitId, 'holding', address, 2);
    if (id === END_OF_CHAIN) return models;
    models.push({ id, address, length });
    address += 2 + length;
  }
  throw new Error(`unit ${unitId}: the SunSpec model chain from ${first} has no end marker within ${MAX_MODELS} models`);
}

/** Common model 1: Mn (offset 2, 16 registers), Md (18, 16), Vr (42, 8), SN (50, 16). */
export async function readSunSpecIdentity(reader: RegisterReader, unitId: number, chain: SunSpecChain): Promise<SunSpecIdentity> {
  const common = chain.models.find((m) => m.id === 1);
  if (!common) throw new Error(`unit ${unitId}: the SunSpec chain at ${chain.base} has no common model (1)`);
  const words = await readBlock(reader, unitId, common.address, 66);
  return {
    manufacturer: text(words.slice(2, 18)),
    model: text(words.slice(18, 34)),
    version: text(words.slice(42, 50)),
    serial: text(words.slice(50, 66)),
  };
}
