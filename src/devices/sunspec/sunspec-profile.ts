/**
 * One generic reader for SunSpec devices: the profile is found on the device. Discovery finds the
 * model chain, reads the common model (manufacturer, model, serial) and turns every implemented
 * point of the mapped models (points.ts) into an ordinary register of an ordinary profile, with
 * its scale-factor register; from then on the device is polled like any other profile.
 */
import { decodeFloat32 } from '../decode';
import type { DeviceProfile, RegisterSpec } from '../profile';
import type { RegisterReader } from '../read-device';
import { findSunSpecChain, readBlock, readSunSpecIdentity, type SunSpecModelHeader } from './chain';
import { SUNSPEC_MODELS, type SunSpecKind, type SunSpecPoint } from './points';

const SOURCE =
  'SunSpec model definitions (github.com/sunspec/models json/, Apache-2.0): common 1; inverters 101-103 and 111-113 ' +
  '(AphA-C, PPVphAB-CA, PhVphA-C, W, Hz, VA, VAr, PF, WH, DCW); meters 201-204 and 211-214 (AphA-C, PhVphA-C, ' +
  'PhVphAB-CA, Hz, W and per phase, VA, VAR, PF and per phase, TotWhImp/Exp and per phase); storage 124 (ChaState); ' +
  'battery 802 (SoC, W). Scale factors from each point\'s sunssf register, read every poll. Not implemented points ' +
  '(0xFFFF, 0x8000, acc32 0, NaN, scale factor 0x8000) are left out when the device is found. Signs: meter W as read, ' +
  '+ = import (Fronius; SolarEdge meters are the opposite: set "inverted"); 802 W negated (evcc reads it as + = discharging); ' +
  'PV power never negative; currents and PF unsigned, PF in percent divided by 100. Where two models give one name, ' +
  'the first in the chain wins. Reads: at most 125 registers, gaps up to 16.';

/** SunSpec's "not implemented" raw values, by the type a point is decoded as. */
const NO_VALUE = { uint16: 0xffff, int16: -0x8000, uint32: 0xffffffff } as const;
const SCALE_FACTOR_NOT_IMPLEMENTED = 0x8000;

const WORDS: Record<SunSpecPoint['type'], number> = { uint16: 1, int16: 1, acc32: 2, float32: 2 };

/** `words` is the whole model, ID and L included; a model shorter than its definition lacks the points past its end. */
function implemented(point: SunSpecPoint, words: readonly number[]): boolean {
  const at = point.offset;
  if (at + WORDS[point.type] > words.length) return false;
  if (point.scaleFactorOffset !== undefined) {
    if (point.scaleFactorOffset >= words.length || words[point.scaleFactorOffset] === SCALE_FACTOR_NOT_IMPLEMENTED) return false;
  }
  switch (point.type) {
    case 'uint16':
      return words[at] !== 0xffff;
    case 'int16':
      return words[at] !== 0x8000;
    case 'acc32':
      return words[at] !== 0 || words[at + 1] !== 0;
    case 'float32':
      return !Number.isNaN(decodeFloat32(words.slice(at, at + 2)));
  }
}

function registerFor(point: SunSpecPoint, header: SunSpecModelHeader): RegisterSpec {
  return {
    name: point.name,
    table: 'holding',
    address: header.address + point.offset,
    type: point.type === 'acc32' ? 'uint32' : point.type,
    ...(point.scale !== undefined ? { scale: point.scale } : {}),
    ...(point.sign ? { sign: point.sign } : {}),
    ...(point.scaleFactorOffset !== undefined ? { scaleFactorAddress: header.address + point.scaleFactorOffset } : {}),
    ...(point.type === 'acc32' ? { noValue: 0 } : {}),
  };
}

async function discover(base: DeviceProfile, kinds: readonly SunSpecKind[], reader: RegisterReader, unitId: number): Promise<DeviceProfile> {
  const chain = await findSunSpecChain(reader, unitId);
  const identity = await readSunSpecIdentity(reader, unitId, chain);
  const registers: RegisterSpec[] = [];
  const used: number[] = [];
  for (const header of chain.models) {
    const model = SUNSPEC_MODELS[header.id];
    if (!model || !kinds.includes(model.kind)) continue;
    const words = await readBlock(reader, unitId, header.address, header.length + 2);
    let usedAny = false;
    for (const point of model.points) {
      if (registers.some((r) => r.name === point.name) || !implemented(point, words)) continue;
      registers.push(registerFor(point, header));
      usedAny = true;
    }
    if (usedAny) used.push(header.id);
  }
  const name = `${identity.manufacturer} ${identity.model}`.trim() || 'SunSpec device';
  const found = chain.models.map((m) => m.id).join(', ');
  if (registers.length === 0) {
    throw new Error(`unit ${unitId}: ${name} has no ${kinds.join('/')} model this reader maps (models found: ${found}; mapped: ${Object.keys(SUNSPEC_MODELS).join(', ')})`);
  }
  // Models follow one another (each starts after the last one's length), so their registers never overlap;
  // only W may be read twice, as inverter power and as PV power where DCW is missing.
  const profile: DeviceProfile = {
    ...base,
    manufacturer: identity.manufacturer || base.manufacturer,
    model: identity.model || base.model,
    description: `${base.description}; found at ${chain.base}: models ${found}, read ${used.join(', ')}${identity.serial ? `, serial ${identity.serial}` : ''}`,
    registers,
    discover: undefined,
  };
  return profile;
}

function sunspecProfile(id: string, model: string, kinds: readonly SunSpecKind[], description: string): DeviceProfile {
  const profile: DeviceProfile = {
    id,
    manufacturer: 'SunSpec',
    model,
    description,
    source: SOURCE,
    defaultUnitId: 1,
    wordOrder: 'big',
    noValue: NO_VALUE,
    readRules: { maxRegistersPerRead: 125, maxGapRegisters: 16, evenAlignment: false },
    registers: [],
    discover: (reader, unitId) => discover(profile, kinds, reader, unitId),
  };
  return profile;
}

export const sunspec = sunspecProfile(
  'sunspec',
  'any SunSpec device',
  ['inverter', 'meter', 'battery'],
  'any SunSpec inverter, meter or battery (Fronius, SMA, SolarEdge, Kostal, KACO…): the registers are found on the device',
);
/** A device whose chain holds several kinds (a SolarEdge inverter with its meter) is read as one of them per node. */
export const sunspecInverter = sunspecProfile('sunspec-inverter', 'inverter', ['inverter'], 'the inverter models (101-103, 111-113) of a SunSpec device');
export const sunspecMeter = sunspecProfile('sunspec-meter', 'meter', ['meter'], 'the meter models (201-204, 211-214) of a SunSpec device');
export const sunspecBattery = sunspecProfile('sunspec-battery', 'battery', ['battery'], 'the storage and battery models (124, 802) of a SunSpec device');
