import type { EntityKind, EntitySpec } from '../entities';
import { buildBinarySensor } from './binary-sensor';
import { buildButton } from './button';
import type { BuildContext } from './common';
import { buildNumber } from './number';
import { buildSelect } from './select';
import { buildSensor } from './sensor';
import { buildSwitch } from './switch';
import { buildText } from './text';

type Builder<K extends EntityKind> = (ctx: BuildContext, spec: Extract<EntitySpec, { kind: K }>) => Record<string, unknown>;

const BUILDERS: { [K in EntityKind]: Builder<K> } = {
  sensor: buildSensor,
  binary_sensor: buildBinarySensor,
  switch: buildSwitch,
  select: buildSelect,
  number: buildNumber,
  button: buildButton,
  text: buildText,
};

/** One `cmps` entry of a device-based discovery payload. */
export function buildComponent(ctx: BuildContext, spec: EntitySpec): Record<string, unknown> {
  return (BUILDERS[spec.kind] as Builder<typeof spec.kind>)(ctx, spec as never);
}

export type { BuildContext } from './common';
