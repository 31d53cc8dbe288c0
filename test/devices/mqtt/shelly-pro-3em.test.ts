import { describe, expect, it } from 'vitest';
import { applyShellyMessage, shellyFilters, shellyMeasurements, shellyValues, type ShellyStatus } from '../../../src/devices/mqtt/shelly-pro-3em';
import { EM_STATUS, EMDATA_STATUS, EXPECTED_TRIPHASE, notifyStatus, SHELLY_PREFIX as P } from '../../fixtures/shelly-pro-3em';

const FULL: ShellyStatus = { 'em:0': EM_STATUS, 'emdata:0': EMDATA_STATUS };

function close(values: Record<string, number>) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));
}

describe('Shelly Pro 3EM topics', () => {
  it('subscribes to status, rpc notifications and availability under the prefix', () => {
    expect(shellyFilters(P)).toEqual([`${P}/status/+`, `${P}/events/rpc`, `${P}/online`]);
  });
});

describe('applyShellyMessage', () => {
  it.each([
    ['full em:0 status replaces the component', {}, `${P}/status/em:0`, JSON.stringify(EM_STATUS), { 'em:0': EM_STATUS }, true],
    ['full emdata:0 status keeps em:0', { 'em:0': EM_STATUS }, `${P}/status/emdata:0`, JSON.stringify(EMDATA_STATUS), FULL, true],
    ['NotifyStatus overlays only the changed fields', FULL, `${P}/events/rpc`, notifyStatus({ 'em:0': { id: 0, a_act_power: 1200, total_act_power: 1050 } }),
      { ...FULL, 'em:0': { ...EM_STATUS, a_act_power: 1200, total_act_power: 1050 } }, true],
    ['NotifyStatus before any full status starts from what it carries', {}, `${P}/events/rpc`, notifyStatus({ 'emdata:0': { total_act: 5000 } }), { 'emdata:0': { total_act: 5000 } }, true],
    ['NotifyFullStatus replaces the components', { 'em:0': { a_act_power: 1 } }, `${P}/events/rpc`,
      JSON.stringify({ method: 'NotifyFullStatus', params: { ts: 1, 'em:0': EM_STATUS, 'emdata:0': EMDATA_STATUS, 'sys': { uptime: 5 } } }), FULL, true],
    ['NotifyEvent is not a status', FULL, `${P}/events/rpc`, JSON.stringify({ method: 'NotifyEvent', params: { events: [] } }), FULL, false],
    ['other components are ignored', FULL, `${P}/status/sys`, '{"uptime": 5}', FULL, false],
    ['monophase components are ignored in the triphase profile', FULL, `${P}/status/em1:0`, '{"act_power": 5}', FULL, false],
  ])('%s', (_what, status, topic, payload, expected, changed) => {
    const update = applyShellyMessage(status, 'triphase', P, topic, payload);
    expect(update).toEqual({ status: expected, changed });
  });

  it.each([
    [`${P}/online`, 'true', { online: true }],
    [`${P}/online`, 'false', { online: false }],
    [`${P}/online`, 'maybe', { problem: `${P}/online: "maybe" is neither true nor false` }],
    [`${P}/status/em:0`, '{"a_act_power": 1', { problem: expect.stringMatching(new RegExp(`^${P}/status/em:0: payload is not JSON \\(`)) }],
    [`${P}/status/em:0`, '[1, 2]', { problem: `${P}/status/em:0: payload is [1,2], not a JSON object` }],
    [`${P}/events/rpc`, 'garbage', { problem: expect.stringMatching(new RegExp(`^${P}/events/rpc: payload is not JSON`)) }],
    [`${P}/events/rpc`, '{"method": "NotifyStatus"}', { problem: `${P}/events/rpc: NotifyStatus frame without params object` }],
  ])('%s %s → availability or a problem, status kept', (topic, payload, expected) => {
    const update = applyShellyMessage(FULL, 'triphase', P, topic, payload);
    expect(update).toEqual({ status: FULL, changed: false, ...expected });
  });
});

describe('shellyValues', () => {
  it('maps every triphase field to its canonical name: Wh → kWh, PF and currents unsigned, power signed as given', () => {
    const { values, quality } = shellyValues(FULL, 'triphase', P);
    expect(close(values)).toEqual(EXPECTED_TRIPHASE);
    expect(quality).toEqual({});
  });

  it('publishes the neutral current when the meter has a neutral CT, and does not miss it otherwise', () => {
    const withNeutral = { ...FULL, 'em:0': { ...EM_STATUS, n_current: -0.7 } };
    expect(shellyValues(withNeutral, 'triphase', P).values.current_n_a).toBe(0.7);
    expect(shellyValues(FULL, 'triphase', P).values).not.toHaveProperty('current_n_a');
    expect(shellyMeasurements('triphase')).not.toContain('current_n_a');
  });

  it('names the values not received yet, and fields that are no number', () => {
    const { values, quality } = shellyValues({ 'em:0': { ...EM_STATUS, a_voltage: 'n/a' } }, 'triphase', P);
    expect(values.power_w).toBe(750.5);
    expect(quality.voltage_l1_v).toBe('a_voltage of em:0 is "n/a", not a number');
    expect(quality.energy_import_kwh).toBe(`no total_act from ${P}/status/emdata:0 yet`);
    expect(Object.keys(quality)).toHaveLength(9);
  });

  it('reads the monophase profile channel by channel as L1..L3, totals summed', () => {
    const channel = (act: number, v: number) => ({ id: 0, current: -act / v, voltage: v, act_power: act, aprt_power: Math.abs(act) + 10, pf: -0.9, freq: 49.98 });
    const status: ShellyStatus = {
      'em1:0': channel(460, 230), 'em1:1': channel(-230, 230), 'em1:2': channel(115, 230),
      'em1data:0': { total_act_energy: 1000, total_act_ret_energy: 0 },
      'em1data:1': { total_act_energy: 2000, total_act_ret_energy: 500 },
      'em1data:2': { total_act_energy: 3000, total_act_ret_energy: 250 },
    };
    const { values, quality } = shellyValues(status, 'monophase', P);
    expect(quality).toEqual({});
    expect(close(values)).toEqual({
      power_w: 345, apparent_power_va: 835, energy_import_kwh: 6, energy_export_kwh: 0.75, frequency_hz: 49.98,
      power_l1_w: 460, apparent_power_l1_va: 470, voltage_l1_v: 230, current_l1_a: 2, power_factor_l1: 0.9, energy_import_l1_kwh: 1, energy_export_l1_kwh: 0,
      power_l2_w: -230, apparent_power_l2_va: 240, voltage_l2_v: 230, current_l2_a: 1, power_factor_l2: 0.9, energy_import_l2_kwh: 2, energy_export_l2_kwh: 0.5,
      power_l3_w: 115, apparent_power_l3_va: 125, voltage_l3_v: 230, current_l3_a: 0.5, power_factor_l3: 0.9, energy_import_l3_kwh: 3, energy_export_l3_kwh: 0.25,
    });
    expect(shellyMeasurements('monophase').sort()).toEqual(Object.keys(values).sort());
  });

  it('does not sum monophase totals while a channel is unknown', () => {
    const { values, quality } = shellyValues({ 'em1:0': { act_power: 100 } }, 'monophase', P);
    expect(values.power_w).toBeUndefined();
    expect(quality.power_w).toBe('sum of power_l1_w, power_l2_w, power_l3_w: not all channels known');
  });

  it('every triphase measurement is delivered by a full status', () => {
    expect(shellyMeasurements('triphase').sort()).toEqual(Object.keys(EXPECTED_TRIPHASE).sort());
  });
});
