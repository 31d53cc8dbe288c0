import type { DeviceProfile } from '../profile';
import { carloGavazziEm24 } from './carlo-gavazzi-em24';
import { carloGavazziEm340 } from './carlo-gavazzi-em340';
import { eastronSdm120 } from './eastron-sdm120';
import { eastronSdm630 } from './eastron-sdm630';
import { eastronSdm72, eastronSdm72v2 } from './eastron-sdm72';
import { huaweiEmma } from './huawei-emma';
import { huaweiSun2000, huaweiSun2000Battery, huaweiSun2000Meter } from './huawei-sun2000';
import { sunspec, sunspecBattery, sunspecInverter, sunspecMeter } from '../sunspec/sunspec-profile';

/** Every shipped profile, by id. Adding a device = adding a data file here. */
export const PROFILES: Readonly<Record<string, DeviceProfile>> = Object.fromEntries(
  [
    eastronSdm630,
    eastronSdm120,
    eastronSdm72,
    eastronSdm72v2,
    carloGavazziEm24,
    carloGavazziEm340,
    huaweiEmma,
    huaweiSun2000,
    huaweiSun2000Meter,
    huaweiSun2000Battery,
    sunspec,
    sunspecInverter,
    sunspecMeter,
    sunspecBattery,
  ].map((p) => [p.id, p]),
);

export function getProfile(id: string): DeviceProfile {
  const profile = PROFILES[id];
  if (!profile) {
    throw new Error(`unknown device profile "${id}": choose one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return profile;
}
