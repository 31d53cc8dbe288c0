/**
 * The sources that are no Modbus profile: MQTT meter formats, relay outputs, and devices read
 * through a generic profile or the JSON format because no map of their own is public. `hems
 * profiles` lists them with the profiles, each with where its facts come from.
 */
import { SMAPPEE_SOURCE } from './mqtt/smappee-genius';

export interface OtherSource {
  id: string;
  /** The node that reads or switches it. */
  node: 'hems-mqtt-meter' | 'hems-relay' | 'hems-meter';
  manufacturer: string;
  model: string;
  description: string;
  source: string;
}

export const OTHER_SOURCES: readonly OtherSource[] = [
  {
    id: 'shelly-pro-3em',
    node: 'hems-mqtt-meter',
    manufacturer: 'Shelly',
    model: 'Pro 3EM (Gen2)',
    description: 'MQTT format: em:0 / emdata:0 (triphase) or em1:N / em1data:N (monophase), NotifyStatus merged',
    source: 'shared/reference/shelly-pro-3em.md (Shelly Gen2 API documentation: EM, EMData, EM1, EM1Data components)',
  },
  {
    id: 'tasmota-sml',
    node: 'hems-mqtt-meter',
    manufacturer: 'Tasmota',
    model: 'SML reader',
    description: 'MQTT format: tele/<topic>/SENSOR with the names of the SML script',
    source: "Tasmota's Smart Meter Interface documentation and its example scripts (SML.Power_curr, SML.Total_in, SML.Total_out)",
  },
  {
    id: 'smappee-genius',
    node: 'hems-mqtt-meter',
    manufacturer: 'Smappee',
    model: 'Infinity Genius',
    description: 'MQTT format: one reading per channel group (grid, solar, a measured load) from servicelocation/<uuid>/realtime',
    source: SMAPPEE_SOURCE,
  },
  {
    id: 'smappee-plug',
    node: 'hems-relay',
    manufacturer: 'Smappee',
    model: 'Infinity plug, switch, Output module',
    description: 'relay output: servicelocation/<uuid>/plug/<node id>/setstate and …/state',
    source: 'smappee/pysmappee mqtt.py (setstate payload {"value": "ON" | "OFF"}, state {"value", "since"}); topics from myny-git/smappee_ev docs/Smappee_mqtt.md',
  },
  {
    id: 'smappee-connect',
    node: 'hems-meter',
    manufacturer: 'Smappee',
    model: 'Infinity Connect (Modbus TCP)',
    description: 'no profile: its registers follow the installation\'s CT inputs; read it with the generic profile',
    source:
      'Smappee publishes no register map: support opens Modbus on request and sends the map of the installation. The community map ' +
      '(myny-git/smappee_ev docs/Smappee_modbus.md, modbus.yaml: unit 61, holding, float32 low word first, current of CT input n at 128 + 4n, ' +
      'power at 256 + 4n, int32 Wh import/export at 12288 + 4n and 12290 + 4n) is one installation\'s: check it against yours',
  },
  {
    id: 'ems-av2',
    node: 'hems-mqtt-meter',
    manufacturer: 'Carlo Gavazzi',
    model: 'EMS AV2',
    description: 'no profile: read its generic MQTT publishing with the JSON format (docs/profiles.md has the mapping)',
    source:
      'No Modbus map and no MQTT payload description of the EMS AV2 is public (searched: Carlo Gavazzi documents, evcc templates, ' +
      'victronenergy/dbus-modbus-client, OpenEMS). The mapping of its EM24-family variables to canonical names follows the public ' +
      'EM24 map (shared/reference/registers/carlo-gavazzi-em24.json): W sys + = import, kWh(+) import, kWh(-) export',
  },
  {
    id: 'json',
    node: 'hems-mqtt-meter',
    manufacturer: 'any',
    model: 'JSON over MQTT',
    description: 'MQTT format: one topic, one JSON path and optional scale per canonical name',
    source: 'filled in by the user',
  },
];
