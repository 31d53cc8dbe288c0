import { encodeRaw, encodeRegister } from '../devices/encode';
import type { DeviceProfile, RegisterTable } from '../devices/profile';

/** What a simulated device holds: table and address → 16-bit word. */
export type RegisterImage = Map<string, number>;

export const registerKey = (table: RegisterTable, address: number) => `${table}:${address}`;

/** Writes canonical values into a profile's registers, as the real device would hold them. */
export function writeRegisterImage(image: RegisterImage, profile: DeviceProfile, values: Record<string, number>): void {
  for (const spec of profile.registers) {
    const value = values[spec.name];
    if (value === undefined) continue;
    encodeRegister(spec, value, profile.wordOrder).forEach((word, i) => image.set(registerKey(spec.table, spec.address + i), word));
  }
}

/** ASCII, two characters a word, padded with zeros: how devices hold model names. */
function textWords(text: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => ((text.charCodeAt(2 * i) || 0) << 8) | (text.charCodeAt(2 * i + 1) || 0));
}

/** Writes what `hems scan` looks for to tell the device (its model name, or the first value the profile matches). */
export function writeIdentification(image: RegisterImage, profile: DeviceProfile, modelName?: string): void {
  const id = profile.identification;
  if (!id) return;
  const value = id.matches[0];
  const words =
    id.type === 'text'
      ? textWords(modelName ?? String(value), id.count)
      : encodeRaw(id.type, Number(value), 'big');
  words.forEach((word, i) => image.set(registerKey(id.table, id.address + i), word));
}
