import type { BinarySensorSpec } from '../entities';
import { commonKeys, defined, type BuildContext } from './common';

export function buildBinarySensor(ctx: BuildContext, spec: BinarySensorSpec): Record<string, unknown> {
  return { ...commonKeys(ctx, spec), ...defined({ dev_cla: spec.deviceClass }), pl_on: 'ON', pl_off: 'OFF' };
}
