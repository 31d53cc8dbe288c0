import { describe, expect, it } from 'vitest';
import { applyDeviceOptions, DEFAULT_DEVICE_OPTIONS as D, validateDeviceOptions } from '../../src/devices/device-options';

describe('applyDeviceOptions', () => {
  it('leaves values alone with the defaults', () => {
    const values = { power_w: -1200, voltage_l1_v: 230, energy_import_kwh: 12 };
    expect(applyDeviceOptions(values, D)).toEqual(values);
  });

  it('scales currents, powers and energies by the CT ratio, not voltages or frequency', () => {
    expect(applyDeviceOptions({ current_l1_a: 0.25, power_l1_w: 57.5, energy_import_kwh: 1.5, voltage_l1_v: 230, frequency_hz: 50, power_factor: 0.9 }, { ...D, ctRatio: 20 })).toEqual({
      current_l1_a: 5, power_l1_w: 1150, energy_import_kwh: 30, voltage_l1_v: 230, frequency_hz: 50, power_factor: 0.9,
    });
  });

  it('an inverted meter flips powers and swaps import and export counters', () => {
    expect(applyDeviceOptions({ power_w: 800, reactive_power_var: -100, energy_import_kwh: 5, energy_export_l2_kwh: 7, reactive_energy_import_kvarh: 1, current_l1_a: 3 }, { ...D, inverted: true })).toEqual({
      power_w: -800, reactive_power_var: 100, energy_export_kwh: 5, energy_import_l2_kwh: 7, reactive_energy_export_kvarh: 1, current_l1_a: 3,
    });
  });

  it('maps physical phases onto L1/L2/L3, line-to-line voltages included', () => {
    const phaseMap = { l1: 'l2', l2: 'l3', l3: 'l1' } as const;
    expect(applyDeviceOptions({ power_l1_w: 1, power_l2_w: 2, power_l3_w: 3, voltage_l1_l2_v: 400, power_w: 6 }, { ...D, phaseMap })).toEqual({
      power_l2_w: 1, power_l3_w: 2, power_l1_w: 3, voltage_l2_l3_v: 400, power_w: 6,
    });
  });

  it('publishes only the chosen values', () => {
    expect(applyDeviceOptions({ power_w: 1, voltage_l1_v: 230, frequency_hz: 50 }, { ...D, publish: ['power_w', 'frequency_hz'] })).toEqual({ power_w: 1, frequency_hz: 50 });
  });
});

describe('validateDeviceOptions', () => {
  it('names each bad field, its value and the fix', () => {
    expect(validateDeviceOptions({ ctRatio: 0, inverted: false, phaseMap: { l1: 'l1', l2: 'l1', l3: 'l3' }, publish: ['watts'] })).toEqual([
      'CT ratio 0 must be a number above 0 (primary ÷ secondary, e.g. 100/5 = 20)',
      'phase mapping {"l1":"l1","l2":"l1","l3":"l3"} must send L1, L2 and L3 to three different phases',
      'cannot publish watts: not canonical measurement names',
    ]);
    expect(validateDeviceOptions(D)).toEqual([]);
  });
});
