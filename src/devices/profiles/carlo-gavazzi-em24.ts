import type { DeviceProfile } from '../profile';
import { CARLO_GAVAZZI_EM300_LAYOUT, CARLO_GAVAZZI_READ_LIMITS, CARLO_GAVAZZI_SOURCES, reactiveEnergyRegisters } from './carlo-gavazzi-layout';

export const carloGavazziEm24: DeviceProfile = {
  id: 'em24-e1',
  manufacturer: 'Carlo Gavazzi',
  model: 'EM24 Ethernet (EM24_E1)',
  description: 'Three-phase energy meter, Ethernet variant (Modbus TCP); not the RS485 EM24-DIN, whose map differs above 0x28',
  source:
    `shared/reference/registers/carlo-gavazzi-em24.json, the EM24_E1 map (${CARLO_GAVAZZI_SOURCES}; evcc cg-em24_e1). ` +
    'The RS485 EM24-DIN map (legacyRs485Map) is incompatible above 0x28 (evcc docs, mbmd issue #317) and is not covered. ' +
    'int32 values are low word first; scales from the file. Model code 11 is not read: it is the high word of the int32 ' +
    'voltage L3-L1 at 10-11 (NOTES.md). Power is used as read: positive = import in the usual wiring (evcc uses it unchanged). ' +
    'Power factor is published unsigned; currents as magnitudes; reactive power sign not documented: published as read. ' +
    'Demand (56, 58), phase sequence (50) and averages (36, 38) have no canonical name. ' +
    'Reads: function 04, at most 11 registers per request (the only published Carlo Gavazzi limit, from the EM24-DIN protocol), ' +
    'gaps up to 4, never across 60-63 or 70-77 (undocumented). 8 requests per poll.',
  defaultUnitId: 1,
  wordOrder: 'little',
  identification: {
    table: 'input',
    address: 11,
    type: 'uint16',
    count: 1,
    matches: [1648, 1649, 1650, 1651, 1652, 1653],
    source:
      'shared/reference/registers/carlo-gavazzi-em24.json model_id (input 11; victronenergy/dbus-modbus-client carlo_gavazzi.py), ' +
      'read alone, as NOTES.md requires',
  },
  readRules: {
    ...CARLO_GAVAZZI_READ_LIMITS,
    rejectedRanges: [
      { table: 'input', first: 60, last: 63 },
      { table: 'input', first: 70, last: 77 },
    ],
  },
  registers: [...CARLO_GAVAZZI_EM300_LAYOUT, ...reactiveEnergyRegisters],
};
