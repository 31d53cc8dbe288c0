import { describe, expect, it } from 'vitest';
import { checkInstallation } from '../../src/devices/installation-check';

const healthy = {
  voltage_l1_v: 230.4, voltage_l2_v: 229.1, voltage_l3_v: 231.0,
  current_l1_a: 4.1, current_l2_a: 2.2, current_l3_a: 1.3,
  power_l1_w: 900, power_l2_w: 480, power_l3_w: 290, power_w: 1670,
  power_factor_l1: 0.95, power_factor_l2: 0.94, power_factor_l3: 0.97,
};

describe('checkInstallation', () => {
  it('finds nothing on a healthy three-phase installation', () => {
    expect(checkInstallation(healthy, 'consumption')).toEqual([]);
  });

  it.each([
    [{ voltage_l2_v: 171.2 }, 'consumption', 'L2 voltage 171.2 V is outside 184–264 V: check the voltage wiring of L2'],
    [{ voltage_l3_v: 0.4 }, 'grid', 'L3 has no voltage (0.4 V): phase missing or its voltage input not connected'],
    [{ power_l1_w: -850 }, 'consumption', 'L1 power is -850 W on a consumption meter: the CT on L1 is reversed (or this channel measures generation)'],
    [{ power_factor_l2: 0.31 }, 'grid', 'L2 power factor 0.31 at 2.2 A: the CT of L2 may sit on another phase than its voltage'],
    [{ power_l2_w: 600, power_l1_w: -2000, power_l3_w: -2000, power_w: -3400 }, 'production', "L2 power is 600 W while the production meter's total is negative: the CT on L2 is reversed"],
  ] as const)('%j on a %s meter', (change, role, message) => {
    expect(checkInstallation({ ...healthy, ...change }, role).map((f) => f.message)).toEqual([message]);
  });

  it('does not call export on a grid meter a reversed CT, nor judge the power factor at tiny currents', () => {
    expect(checkInstallation({ ...healthy, power_l1_w: -3000, power_w: -2000 }, 'grid')).toEqual([]);
    expect(checkInstallation({ ...healthy, current_l3_a: 0.2, power_factor_l3: 0.1 }, 'consumption')).toEqual([]);
  });
});
