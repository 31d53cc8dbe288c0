import type { DeviceProfile } from '../profile';
import { eastronSdm630 } from './eastron-sdm630';

/** Every shipped profile, by id. Adding a device = adding a data file here. */
export const PROFILES: Readonly<Record<string, DeviceProfile>> = Object.fromEntries(
  [eastronSdm630].map((p) => [p.id, p]),
);

export function getProfile(id: string): DeviceProfile {
  const profile = PROFILES[id];
  if (!profile) {
    throw new Error(`unknown device profile "${id}": choose one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return profile;
}
