import { encodeRegister } from '../devices/encode';
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
