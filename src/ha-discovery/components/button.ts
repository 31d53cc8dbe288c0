import type { ButtonSpec } from '../entities';
import { commandTopic, commonKeys, defined, type BuildContext } from './common';

export function buildButton(ctx: BuildContext, spec: ButtonSpec): Record<string, unknown> {
  return { ...commonKeys(ctx, spec), cmd_t: commandTopic(ctx, spec), pl_prs: 'PRESS', ...defined({ dev_cla: spec.deviceClass }) };
}
