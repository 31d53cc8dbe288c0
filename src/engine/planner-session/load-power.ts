/** An allocator load config → what the planner needs to know of its power (docs/planner.md, LoadPower). */
import { SITE_DEFAULTS, type LoadConfig } from '../allocator';
import type { LoadPower } from '../planner';

type PowerOf<K extends LoadConfig['kind']> = (config: Extract<LoadConfig, { kind: K }>, voltageV: number) => LoadPower;

const POWER_OF: { [K in LoadConfig['kind']]: PowerOf<K> } = {
  on_off: (c) => ({ kind: 'on_off', powerW: c.powerW }),
  stepped: (c) => ({ kind: 'stepped', stagePowersW: c.stagePowersW }),
  modulating: (c, voltageV) =>
    c.control === 'power'
      ? { kind: 'modulating', minPowerW: c.minPowerW, maxPowerW: c.maxPowerW }
      : // A charger that may switch phases starts on one and reaches its maximum on three.
        { kind: 'modulating', minPowerW: c.minCurrentA * voltageV * (c.phases === 3 ? 3 : 1), maxPowerW: c.maxCurrentA * voltageV * (c.phases === 1 ? 1 : 3) },
  // What the plan can move of an SG Ready heat pump is its boost.
  sg_ready: (c) => ({ kind: 'on_off', powerW: c.boostPowerW }),
};

/** `voltageV`: the site's phase voltage, which turns a charger's currents into power. */
export function loadPowerOf(config: LoadConfig, voltageV: number = SITE_DEFAULTS.phaseVoltageV): LoadPower {
  return (POWER_OF[config.kind] as PowerOf<LoadConfig['kind']>)(config as never, voltageV);
}
