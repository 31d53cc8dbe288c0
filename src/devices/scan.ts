/**
 * Commissioning: which unit ids on a bus answer, and what they are. SunSpec devices name
 * themselves (common model); the other profiles are told apart by their identification register
 * (profile.identification, each with its source). Only reads: a scan never writes.
 */
import { decodeFloat32, decodeText } from './decode';
import type { DeviceIdentification, DeviceProfile } from './profile';
import type { RegisterReader } from './read-device';
import { findSunSpecChain, readSunSpecIdentity } from './sunspec/chain';
import { SUNSPEC_MODELS, type SunSpecKind } from './sunspec/points';

export interface UnitFinding {
  unitId: number;
  /** What it is, e.g. "Eastron SDM630" or "SunSpec Fronius Symo 10.0-3-M (inverter 103)". */
  device: string;
  /** Profiles to read it with, one node each; empty when nothing matched. */
  profiles: string[];
  note?: string;
}

export interface ScanOptions {
  units: readonly number[];
  profiles: readonly DeviceProfile[];
  signal?: AbortSignal;
  /** Called before each unit is asked, for progress output. */
  onUnit?: (unitId: number) => void;
}

/** A unit that stays silent costs one timeout: after it, its other probes fail at once. */
class UnitProbe implements RegisterReader {
  answered = false;
  silence: Error | undefined;
  /** The bus itself failed (cannot connect, wrong settings): no unit can be asked. */
  broken: Error | undefined;
  private readonly cache = new Map<string, Promise<number[]>>();

  constructor(private readonly reader: RegisterReader) {}

  readRegisters(unitId: number, table: DeviceIdentification['table'], address: number, count: number): Promise<number[]> {
    const stop = this.silence ?? this.broken;
    if (stop) return Promise.reject(stop);
    const key = `${table}:${address}:${count}`;
    let read = this.cache.get(key);
    if (!read) {
      read = this.reader.readRegisters(unitId, table, address, count).then(
        (words) => {
          this.answered = true;
          return words;
        },
        (err: Error & { kind?: string }) => {
          // A Modbus exception is an answer: the unit is there, it lacks this register.
          if (err.kind === 'exception') this.answered = true;
          else if (err.kind === 'timeout' && !this.answered) this.silence = err;
          else if (err.kind === 'connect' || err.kind === 'config') this.broken = err;
          throw err;
        },
      );
      this.cache.set(key, read);
    }
    return read;
  }
}

const READ_AS: Record<DeviceIdentification['type'], (words: readonly number[]) => string | number> = {
  text: decodeText,
  uint16: (words) => words[0],
  float32: decodeFloat32,
};

function matches(id: DeviceIdentification, value: string | number): boolean {
  return id.matches.some((m) => (typeof m === 'string' ? typeof value === 'string' && value.startsWith(m) : m === value));
}

const SUNSPEC_PROFILE: Record<SunSpecKind, string> = { inverter: 'sunspec-inverter', meter: 'sunspec-meter', battery: 'sunspec-battery' };

async function identifySunSpec(probe: UnitProbe, unitId: number): Promise<UnitFinding | undefined> {
  let chain;
  try {
    chain = await findSunSpecChain(probe, unitId);
  } catch {
    return undefined;
  }
  const identity = await readSunSpecIdentity(probe, unitId, chain).catch(() => undefined);
  const mapped = chain.models.filter((m) => SUNSPEC_MODELS[m.id]);
  const kinds = [...new Set(mapped.map((m) => SUNSPEC_MODELS[m.id].kind))];
  const name = identity ? `${identity.manufacturer} ${identity.model}`.trim() : 'device';
  const models = mapped.map((m) => `${SUNSPEC_MODELS[m.id].kind} ${m.id}`).join(', ') || `models ${chain.models.map((m) => m.id).join(', ')}`;
  return {
    unitId,
    device: `SunSpec ${name} (${models})`,
    // One kind: the plain sunspec profile reads it all; several (an inverter with its meter): one node per kind.
    profiles: kinds.length === 1 ? ['sunspec'] : kinds.map((k) => SUNSPEC_PROFILE[k]),
    note: [kinds.length === 0 ? 'none of its models is one this reader maps' : '', identity?.serial ? `serial ${identity.serial}` : ''].filter(Boolean).join('; ') || undefined,
  };
}

async function identifyByRegister(probe: UnitProbe, unitId: number, profiles: readonly DeviceProfile[]): Promise<UnitFinding | undefined> {
  for (const profile of profiles) {
    const id = profile.identification;
    if (!id || probe.silence || probe.broken) continue;
    let words: number[];
    try {
      words = await probe.readRegisters(unitId, id.table, id.address, id.count);
    } catch {
      continue;
    }
    const value = READ_AS[id.type](words);
    if (!matches(id, value)) continue;
    const model = id.type === 'text' ? String(value) : profile.model;
    return { unitId, device: `${profile.manufacturer} ${model}`, profiles: [profile.id], ...(id.note ? { note: id.note } : {}) };
  }
  return undefined;
}

/** Asks each unit in turn; stops after the current unit when the signal aborts. Silent units are left out. */
export async function scanBus(reader: RegisterReader, options: ScanOptions): Promise<UnitFinding[]> {
  const found: UnitFinding[] = [];
  for (const unitId of options.units) {
    if (options.signal?.aborted) break;
    options.onUnit?.(unitId);
    const probe = new UnitProbe(reader);
    const finding = (await identifySunSpec(probe, unitId)) ?? (await identifyByRegister(probe, unitId, options.profiles));
    if (probe.broken) throw probe.broken;
    if (finding) found.push(finding);
    else if (probe.answered) found.push({ unitId, device: 'answers, not recognised', profiles: [], note: 'try a profile from `hems profiles`, or the generic profile' });
  }
  return found;
}

/** "1-10,126,200-247" → the unit ids, each checked to be 0…247; `field` names the setting in errors. */
export function parseUnitRange(text: string, field = '--units'): number[] {
  const units = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,3})\s*(?:-\s*(\d{1,3}))?\s*$/.exec(part);
    const first = Number(match?.[1]);
    const last = Number(match?.[2] ?? match?.[1]);
    if (!match || first > last || last > 247) {
      throw new Error(`${field} "${text}": "${part}" is not a unit id or range from 0 to 247 (for example 1-10,126,200-247)`);
    }
    for (let u = first; u <= last; u++) units.add(u);
  }
  return [...units].sort((a, b) => a - b);
}

/** The table a user acts on: one line per answering unit. */
export function formatScan(found: readonly UnitFinding[]): string[] {
  if (found.length === 0) return ['no unit answered'];
  const lines: string[] = [];
  for (const group of sameDeviceRuns(found)) {
    const f = group[0];
    const target = f.profiles.length === 0 ? '' : ` → profile${f.profiles.length > 1 ? 's' : ''} ${f.profiles.join(', ')}`;
    const units = group.length === 1 ? `unit ${f.unitId}` : `units ${f.unitId}-${group[group.length - 1].unitId}`;
    const notes = [f.note, group.length > 1 ? 'one device that answers on every unit id: use any of them' : undefined].filter(Boolean);
    lines.push(`${units}: ${f.device}${target}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  }
  return lines;
}

/**
 * Many TCP devices ignore the unit id and answer on all of them: consecutive units with the same
 * serial number are one device, listed once. Without a serial, equal answers may be equal meters.
 */
function sameDeviceRuns(found: readonly UnitFinding[]): UnitFinding[][] {
  const runs: UnitFinding[][] = [];
  for (const f of found) {
    const last = runs[runs.length - 1]?.at(-1);
    const same = last && last.unitId === f.unitId - 1 && f.note?.includes('serial ') && last.note === f.note && last.device === f.device;
    if (same) runs[runs.length - 1].push(f);
    else runs.push([f]);
  }
  return runs;
}
