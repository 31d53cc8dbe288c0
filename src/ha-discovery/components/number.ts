import type { NumberSpec } from '../entities';
import { commandTopic, commonKeys, defined, type BuildContext } from './common';

export function buildNumber(ctx: BuildContext, spec: NumberSpec): Record<string, unknown> {
  return {
    ...commonKeys(ctx, spec),
    cmd_t: commandTopic(ctx, spec),
    min: spec.min,
    max: spec.max,
    step: spec.step,
    ...defined({ unit_of_meas: spec.unit, dev_cla: spec.deviceClass, mode: spec.mode }),
  };
}
