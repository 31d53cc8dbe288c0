import type { SelectSpec } from '../entities';
import { commandTopic, commonKeys, type BuildContext } from './common';

export function buildSelect(ctx: BuildContext, spec: SelectSpec): Record<string, unknown> {
  return { ...commonKeys(ctx, spec), cmd_t: commandTopic(ctx, spec), ops: spec.options };
}
