import type { SensorSpec } from '../entities';
import { commonKeys, defined, type BuildContext } from './common';

export function buildSensor(ctx: BuildContext, spec: SensorSpec): Record<string, unknown> {
  return {
    ...commonKeys(ctx, spec),
    ...defined({
      dev_cla: spec.deviceClass,
      stat_cla: spec.stateClass,
      unit_of_meas: spec.unit,
      sug_dsp_prc: spec.precision,
      ops: spec.options,
    }),
  };
}
