import type { BinarySensorSpec } from '../entities';

/**
 * The problem sensor every device with alarms shows: on while any alarm is active, the alarms
 * (EMMA style: id, name, severity, cause, suggestion, detail) as attributes. It stays available
 * while the device is lost, since that loss is what it reports.
 */
export const ALARM_ENTITY: BinarySensorSpec = {
  kind: 'binary_sensor',
  key: 'alarm',
  name: 'Alarm',
  deviceClass: 'problem',
  attributes: true,
  availableWithBridgeOnly: true,
};
