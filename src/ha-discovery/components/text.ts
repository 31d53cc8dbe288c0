import type { TextSpec } from '../entities';
import { commandTopic, commonKeys, defined, type BuildContext } from './common';

export function buildText(ctx: BuildContext, spec: TextSpec): Record<string, unknown> {
  return { ...commonKeys(ctx, spec), cmd_t: commandTopic(ctx, spec), ...defined({ min: spec.min, max: spec.max, ptrn: spec.pattern }) };
}
