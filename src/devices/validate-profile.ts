/**
 * The rules every profile keeps, shipped or filled in by a user: canonical names once each, no two
 * registers on one address, reads the device accepts. Errors name the register and the fix.
 */
import { MEASUREMENTS } from '../engine/measurements';
import { REGISTER_WORDS, type DeviceProfile } from './profile';
import { planReads } from './read-plan';

const MAX_MODBUS_REGISTERS_PER_READ = 125;

export function validateProfile(profile: DeviceProfile): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  const owners = new Map<string, string>();
  for (const reg of profile.registers) {
    const where = `register ${reg.table} ${reg.address} (${reg.name})`;
    if (!(reg.name in MEASUREMENTS)) errors.push(`${where}: "${reg.name}" is not a canonical measurement name (see docs: power_w, voltage_l1_v, energy_import_kwh …)`);
    if (names.has(reg.name)) errors.push(`${where}: ${reg.name} is read twice; keep one register per value`);
    names.add(reg.name);
    if (!(Number.isInteger(reg.address) && reg.address >= 0 && reg.address <= 0xffff)) errors.push(`${where}: address must be a whole number from 0 to 65535`);
    if (!(reg.type in REGISTER_WORDS)) errors.push(`${where}: type "${reg.type}" is not one of ${Object.keys(REGISTER_WORDS).join(', ')}`);
    if (reg.scale !== undefined && !(Number.isFinite(reg.scale) && reg.scale !== 0)) errors.push(`${where}: scale ${reg.scale} must be a number other than 0`);
    for (let i = 0; i < (REGISTER_WORDS[reg.type] ?? 1); i++) {
      const key = `${reg.table}:${reg.address + i}`;
      const other = owners.get(key);
      if (other) errors.push(`${where} overlaps ${other} at ${reg.table} ${reg.address + i}`);
      else owners.set(key, `${reg.name}`);
    }
  }
  const rules = profile.readRules;
  if (!(Number.isInteger(rules.maxRegistersPerRead) && rules.maxRegistersPerRead >= 4 && rules.maxRegistersPerRead <= MAX_MODBUS_REGISTERS_PER_READ)) {
    errors.push(`max registers per read ${rules.maxRegistersPerRead} must be a whole number from 4 to ${MAX_MODBUS_REGISTERS_PER_READ}`);
  } else if (errors.length === 0) {
    for (const request of planReads(profile.registers, rules)) {
      if (request.count > rules.maxRegistersPerRead) errors.push(`a read of ${request.count} registers at ${request.table} ${request.address} exceeds the limit of ${rules.maxRegistersPerRead}`);
    }
  }
  if (profile.source.trim().length === 0) errors.push('the profile says nowhere where its register facts come from: fill in its source');
  return errors;
}
