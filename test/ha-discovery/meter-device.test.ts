import { describe, expect, it } from 'vitest';
import { buildMeterDevice } from '../../src/ha-discovery/meter-device';
import { PACKAGE_VERSION } from '../../src/package-info';

const roots = { discoveryPrefix: 'homeassistant', baseTopic: 'hems' };

describe('buildMeterDevice', () => {
  it('builds the whole device-discovery payload (golden)', () => {
    const message = buildMeterDevice(roots, {
      deviceId: 'grid_meter',
      name: 'Grid meter',
      manufacturer: 'Eastron',
      model: 'SDM630',
      measurements: ['power_w', 'energy_import_kwh', 'reactive_power_var', 'power_factor'],
    });
    expect(message).toEqual({
      topic: 'homeassistant/device/hems_grid_meter/config',
      payload: {
        dev: { ids: ['hems_grid_meter'], name: 'Grid meter', mf: 'Eastron', mdl: 'SDM630', sw: PACKAGE_VERSION },
        o: { name: 'node-red-contrib-hems', sw: PACKAGE_VERSION },
        avty: [{ t: 'hems/status' }, { t: 'hems/grid_meter/availability' }],
        avty_mode: 'all',
        qos: 1,
        cmps: {
          power_w: {
            p: 'sensor', uniq_id: 'hems_grid_meter_power_w', name: 'Power', stat_t: 'hems/grid_meter/power_w',
            dev_cla: 'power', stat_cla: 'measurement', unit_of_meas: 'W', sug_dsp_prc: 0,
          },
          energy_import_kwh: {
            p: 'sensor', uniq_id: 'hems_grid_meter_energy_import_kwh', name: 'Energy import', stat_t: 'hems/grid_meter/energy_import_kwh',
            dev_cla: 'energy', stat_cla: 'total_increasing', unit_of_meas: 'kWh', sug_dsp_prc: 2,
          },
          reactive_power_var: {
            p: 'sensor', uniq_id: 'hems_grid_meter_reactive_power_var', name: 'Reactive power', stat_t: 'hems/grid_meter/reactive_power_var',
            dev_cla: 'reactive_power', stat_cla: 'measurement', unit_of_meas: 'var', sug_dsp_prc: 0, en: false,
          },
          power_factor: {
            p: 'sensor', uniq_id: 'hems_grid_meter_power_factor', name: 'Power factor', stat_t: 'hems/grid_meter/power_factor',
            dev_cla: 'power_factor', stat_cla: 'measurement', sug_dsp_prc: 2, en: false,
          },
        },
      },
    });
  });

  it('refuses a device id HA would ignore, and suggests one it accepts', () => {
    expect(() => buildMeterDevice(roots, { deviceId: 'grid meter', name: '', manufacturer: '', model: '', measurements: [] })).toThrow(
      'device id "grid meter" may only contain letters, digits, "_" and "-" (Home Assistant ignores other topics); for example "grid_meter"',
    );
  });

  it('refuses a measurement outside the canonical vocabulary', () => {
    expect(() => buildMeterDevice(roots, { deviceId: 'm', name: '', manufacturer: '', model: '', measurements: ['watts'] })).toThrow(
      '"watts" is not a canonical measurement name',
    );
  });
});
