/** Each row is a config mistake someone will make, with the exact message they should see. */
import { describe, expect, it } from 'vitest';
import { validateLoadConfig, validateLoads, validateSiteSettings, type LoadConfig, type SiteSettings } from '../../src/engine/allocator';
import { evCharger, heater, heatPump, onOff, stepped } from './allocator-helpers';

/** Configs arrive from JSON; rows may carry values of the wrong type on purpose. */
const loose = (fields: Record<string, unknown>): LoadConfig => fields as unknown as LoadConfig;

describe('validateLoadConfig', () => {
  it.each([
    ['a plain on/off load', onOff('rod')],
    ['a stepped rod', stepped('rod')],
    ['a heater', heater('heater')],
    ['an EV charger', evCharger('ev')],
    ['a heat pump with an override', heatPump('hp', { override: { on: false, sgReadyState: 'lock', expiresAtMs: 0 } })],
  ])('accepts %s', (_name, cfg) => {
    expect(validateLoadConfig(cfg)).toEqual([]);
  });

  it.each<[string, LoadConfig, string[]]>([
    ['empty id', onOff(''), ['id = "": must be a non-empty text; give each load a unique id such as "heating-rod"']],
    ['unknown kind', loose({ ...onOff('x'), kind: 'toaster' }), ['kind = "toaster": must be one of on_off, stepped, modulating, sg_ready']],
    [
      'wrong types and values',
      loose({ ...onOff('x'), priority: 'high', mode: 'auto', powerW: 0 }),
      [
        'priority = "high": must be a number; 1 for the most important load, higher numbers for less important ones',
        'mode = "auto": must be one of off, surplus, min_surplus, on',
        'powerW = 0: must be the load’s power in W, above 0',
      ],
    ],
    [
      'min_surplus on a load without a minimum',
      onOff('x', { mode: 'min_surplus' }),
      ['mode = "min_surplus": loads of kind on_off have no minimum below their maximum; use "on" to run from the grid, or "surplus"'],
    ],
    [
      'disable threshold above enable threshold',
      onOff('x', { disableThresholdW: 2500 }),
      [
        'disableThresholdW = 2500: must be a power in W at or below the enable threshold (2000 W), ' +
          'otherwise the load would switch off at a surplus that switches it on again',
      ],
    ],
    [
      'negative time and fractional starts',
      onOff('x', { minOnSeconds: -1, maxStartsPerHour: 0.5 }),
      [
        'minOnSeconds = -1: must be a number of seconds, 0 or more',
        'maxStartsPerHour = 0.5: must be a whole number of 1 or more; leave it empty for no limit',
      ],
    ],
    [
      'four stages',
      stepped('x', { stagePowersW: [1000, 1000, 1000, 1000] }),
      [
        'stagePowersW = [1000,1000,1000,1000]: must list 1 to 3 stage powers in W, each above 0, e.g. [2000, 2000, 2000]; ' +
          'a rod with more stages can be split into two loads',
      ],
    ],
    [
      'EV currents out of range',
      loose({ ...evCharger('x'), minCurrentA: 4, maxCurrentA: 40, phases: 2 }),
      [
        'minCurrentA = 4: must be between 6 A (the lowest current IEC 61851 allows) and 32 A',
        'maxCurrentA = 40: must be between minCurrentA (4 A) and 32 A, typically 16 or 32',
        'phases = 2: must be 1, 3 or "auto" (switch between 1 and 3 phases with the surplus)',
      ],
    ],
    [
      'heater without power bounds',
      loose({ id: 'x', kind: 'modulating', control: 'power', priority: 1, mode: 'surplus' }),
      [
        'minPowerW = missing: must be the smallest power in W the load accepts, above 0',
        'maxPowerW = missing: must be a power in W at or above minPowerW',
      ],
    ],
    [
      'heat pump thresholds the wrong way round',
      heatPump('x', { recommendThresholdW: 3000, forceOnThresholdW: 2000, boostPowerW: 0 }),
      [
        'forceOnThresholdW = 2000: must be a surplus in W at or above recommendThresholdW (3000)',
        'boostPowerW = 0: must be the extra power in W the heat pump draws when boosted, above 0',
      ],
    ],
    [
      'a broken override',
      loose({ ...onOff('x'), override: { powerW: -5, sgReadyState: 'lock' } }),
      [
        'override.on = missing: must be true or false',
        'override.powerW = -5: must be a power in W of 0 or more; leave it empty for full power',
        'override.sgReadyState = "lock": only applies to sg_ready loads; remove it',
      ],
    ],
    [
      'unknown safe state and phase',
      loose({ ...onOff('x'), safeState: 'maybe', phase: 'L4' }),
      [
        'safeState = "maybe": must be one of off, on, hold',
        'phase = "L4": must be one of L1, L2, L3, L1L2L3 (L1L2L3 for a three-phase load)',
      ],
    ],
  ])('reports %s', (_name, cfg, messages) => {
    const errors = validateLoadConfig(cfg);
    expect(errors.map((e) => e.message)).toEqual(messages);
    expect(errors.every((e) => e.loadId === cfg.id)).toBe(true);
  });
});

describe('validateLoads', () => {
  it('reports duplicate ids', () => {
    expect(validateLoads([onOff('rod'), onOff('rod', { priority: 2 })])).toEqual([
      { loadId: 'rod', field: 'id', value: 'rod', message: 'id = "rod": is used by more than one load; give each load its own id' },
    ]);
  });
});

describe('validateSiteSettings', () => {
  it('accepts defaults and a full site', () => {
    const site: SiteSettings = {
      staleAfterSeconds: 30,
      marginW: 100,
      battery: { kind: 'battery_may_discharge_to_soc', socPct: 30, maxDischargeW: 5000 },
      pvPeakW: 10000,
      exportLimitPctOfPvPeak: 70,
      importCapW: 11000,
      fuseLimitA: 35,
      dimmedLimitW: 4200,
      rippleControl: { rules: [{ inputs: '00', feedInPct: 100 }, { inputs: '10', feedInPct: 60 }] },
    };
    expect(validateSiteSettings({})).toEqual([]);
    expect(validateSiteSettings(site)).toEqual([]);
  });

  it.each<[string, SiteSettings, string[]]>([
    ['a zero stale timeout', { staleAfterSeconds: 0 }, ['staleAfterSeconds = 0: must be a number of seconds above 0; 30 suits a 5 s cycle']],
    [
      'an export limit without PV peak',
      { exportLimitW: 1000 },
      [
        'pvPeakW = missing: must be the installed PV peak power in W, above 0; ' +
          'an export limit or ripple control needs it to compute and release the inverter limit',
      ],
    ],
    [
      'a state of charge above 100 %',
      { battery: { kind: 'battery_first_until_soc', socPct: 120 } },
      ['battery.socPct = 120: must be a state of charge in % between 0 and 100'],
    ],
    [
      'a dimming limit below the legal floor',
      { dimmedLimitW: 3000 },
      ['dimmedLimitW = 3000: must be at least 4200 W: §14a EnWG never dims controllable loads below 4.2 kW in total'],
    ],
    [
      'inconsistent ripple-control rules',
      {
        pvPeakW: 10000,
        rippleControl: {
          rules: [
            { inputs: '10', feedInPct: 60 },
            { inputs: '1', feedInPct: 50 as 60 },
            { inputs: '10', feedInPct: 30 },
          ],
        },
      },
      [
        'rippleControl.rules[1].inputs = "1": must be one 0 or 1 per input, the same count in every rule (2), e.g. "10"',
        'rippleControl.rules[1].feedInPct = 50: must be one of 0, 30, 60, 100',
        'rippleControl.rules[2].inputs = "10": another rule already matches these inputs; remove one of them',
      ],
    ],
  ])('reports %s', (_name, settings, messages) => {
    expect(validateSiteSettings(settings).map((e) => e.message)).toEqual(messages);
  });
});
