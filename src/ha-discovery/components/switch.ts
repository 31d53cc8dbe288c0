import type { SwitchSpec } from '../entities';
import { commandTopic, commonKeys, defined, type BuildContext } from './common';

export function buildSwitch(ctx: BuildContext, spec: SwitchSpec): Record<string, unknown> {
  return {
    ...commonKeys(ctx, spec),
    cmd_t: commandTopic(ctx, spec),
    ...defined({ dev_cla: spec.deviceClass }),
    pl_on: 'ON',
    pl_off: 'OFF',
  };
}
