/**
 * What a node declares it shows in Home Assistant: one spec per entity, independent of HA's wire
 * format. The builders in components/ turn them into discovery payloads.
 */

interface EntityBase {
  /** Component id inside the device: `[a-z0-9_]`, stable (unique_id derives from it). */
  key: string;
  /** null: the entity takes the device's name. */
  name: string | null;
  icon?: string;
  category?: 'config' | 'diagnostic';
  /** Hidden until the user enables it: useful for installers, noise for everyone else. */
  enabledByDefault?: boolean;
  /** Also publish a JSON attributes topic (`<state topic>/attributes`). */
  attributes?: boolean;
  /** Available while the bridge is, even when the device is not: for alarms about that very loss. */
  availableWithBridgeOnly?: boolean;
  /** A command's result or an event rather than a measurement: every change goes to HA at once (state-throttle.ts). */
  everyChange?: boolean;
}

export interface SensorSpec extends EntityBase {
  kind: 'sensor';
  deviceClass?: string;
  stateClass?: 'measurement' | 'total' | 'total_increasing';
  unit?: string;
  precision?: number;
  /** For device_class enum: the states it may take. */
  options?: readonly string[];
}

export interface BinarySensorSpec extends EntityBase {
  kind: 'binary_sensor';
  deviceClass?: string;
}

export interface SwitchSpec extends EntityBase {
  kind: 'switch';
  deviceClass?: 'outlet' | 'switch';
}

export interface SelectSpec extends EntityBase {
  kind: 'select';
  options: readonly string[];
}

export interface NumberSpec extends EntityBase {
  kind: 'number';
  min: number;
  max: number;
  step: number;
  unit?: string;
  deviceClass?: string;
  mode?: 'auto' | 'box' | 'slider';
}

export interface ButtonSpec extends EntityBase {
  kind: 'button';
  deviceClass?: 'identify' | 'restart' | 'update';
}

export interface TextSpec extends EntityBase {
  kind: 'text';
  min?: number;
  max?: number;
  pattern?: string;
}

export type EntitySpec = SensorSpec | BinarySensorSpec | SwitchSpec | SelectSpec | NumberSpec | ButtonSpec | TextSpec;
export type EntityKind = EntitySpec['kind'];

/** Entities HA can send commands to; their command topic is `<state topic>/set`. */
export const COMMANDABLE: ReadonlySet<EntityKind> = new Set(['switch', 'select', 'number', 'button', 'text']);

export interface HaDeviceSpec {
  /** Stable id from the node's configuration; the HA device identifier derives from it (topics.ts `haIds`). */
  deviceId: string;
  name: string;
  manufacturer?: string;
  model?: string;
  /** The device this one is reached through (the site), so HA shows them together. */
  viaDeviceId?: string;
  entities: readonly EntitySpec[];
  /** How its measurements reach HA: `quiet` (default) by the rules in state-throttle.ts, `all` every change at once. */
  states?: 'quiet' | 'all';
}
