import type { DeviceProfile } from '../profile';
import { CARLO_GAVAZZI_EM300_LAYOUT, CARLO_GAVAZZI_READ_LIMITS, CARLO_GAVAZZI_SOURCES } from './carlo-gavazzi-layout';

export const carloGavazziEm340: DeviceProfile = {
  id: 'em340',
  manufacturer: 'Carlo Gavazzi',
  model: 'EM340 / EM330',
  description: 'Three-phase energy meter (Modbus RTU, or TCP through a gateway)',
  source:
    `shared/reference/registers/carlo-gavazzi-em340.json (${CARLO_GAVAZZI_SOURCES}; mbmd cites EM330_EM340_ET330_ET340_CP.pdf). ` +
    'int32 values are low word first; scales from the file. ' +
    'Choice (NOTES.md): registers 54, 56, 58 and 80 were copied from the EM24 map and are unverified for the EM340, so none is ' +
    'read: reactive energy import/export (54, 80) is left out, because a wrong counter would be pinned by the never-decrease ' +
    'rule, and demand (56, 58) has no canonical name anyway; no read spans 54-63. ' +
    'Power is used as read: positive = import in the usual wiring. Power factor is published unsigned; currents as ' +
    'magnitudes; reactive power sign not documented: published as read. ' +
    'Reads: function 04, at most 11 registers per request (the only published Carlo Gavazzi limit, from the EM24-DIN protocol), ' +
    'gaps up to 4, never across 54-63 or 70-77. 8 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'little',
  readRules: {
    ...CARLO_GAVAZZI_READ_LIMITS,
    rejectedRanges: [
      { table: 'input', first: 54, last: 63 },
      { table: 'input', first: 70, last: 77 },
    ],
  },
  registers: CARLO_GAVAZZI_EM300_LAYOUT,
};
