/** Editor settings → engine settings, without Node-RED: a site (hems-site), a load (hems-load) and a planner (hems-planner). */
import { describe, expect, it } from 'vitest';
import { parseLoadNodeConfig } from '../../src/settings/load-config';
import { DEFAULT_TIME_LIMIT_SECONDS, parsePlannerNodeConfig } from '../../src/settings/planner-config';
import { parseSiteConfig } from '../../src/settings/site-config';
import { numberSetting } from '../../src/settings/values';

const HOST_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe('parseSiteConfig', () => {
  it('takes the site\'s time zone, or the host\'s when blank', () => {
    expect(parseSiteConfig({ gridDevice: 'grid', timeZone: ' Asia/Kathmandu ' }).settings.site.timeZone).toBe('Asia/Kathmandu');
    expect(parseSiteConfig({ gridDevice: 'grid', timeZone: '' }).settings.site.timeZone).toBe(HOST_ZONE);
  });

  it('maps the dialog fields to the session settings; blanks take the defaults', () => {
    const parsed = parseSiteConfig({
      deviceId: 'home', gridDevice: ' grid ', pvDevice: '', strategy: 'pv_surplus', marginW: '100', staleAfterSeconds: 30, exportLimitW: '',
      pvPeakW: 9000, batteryPolicy: 'battery_first_until_soc', batterySocPct: '80', rippleInputs: 'k1, k2',
      rippleRules: [{ inputs: '10', feedInPct: 60 }], rippleBus: 'bus', rippleUnitId: '3', rippleAddress: '',
    });
    expect(parsed.settings).toEqual({
      deviceId: 'home', strategy: 'pv_surplus',
      sources: { gridDevice: 'grid', pvDevice: undefined, batteryDevice: undefined },
      site: { marginW: 100, staleAfterSeconds: 30, pvPeakW: 9000, battery: { kind: 'battery_first_until_soc', socPct: 80 }, rippleControl: { rules: [{ inputs: '10', feedInPct: 60 }] }, timeZone: HOST_ZONE },
    });
    expect(parsed.rippleNames).toEqual(['k1', 'k2']);
    expect(parsed.ripplePoll).toEqual({ busId: 'bus', unitId: '3', address: 0 });
    expect(parseSiteConfig({ gridDevice: 'grid' }).settings).toMatchObject({ deviceId: 'optimiser', strategy: 'pv_surplus', site: { battery: { kind: 'loads_first' } } });
  });

  it('the zero-export probe: off by default and when off; on with its export and seconds (blanks: 0 W, 30 s)', () => {
    const site = { gridDevice: 'grid', exportLimitW: 0, pvPeakW: 9000 };
    expect(parseSiteConfig(site).settings.site).not.toHaveProperty('zeroExportProbe');
    expect(parseSiteConfig({ ...site, zeroExportProbe: 'off', probeMaxExportW: 500 }).settings.site).not.toHaveProperty('zeroExportProbe');
    expect(parseSiteConfig({ ...site, zeroExportProbe: 'on', probeMaxExportW: '', probeMaxSeconds: '' }).settings.site.zeroExportProbe).toEqual({ maxExportW: 0, maxSeconds: 30 });
    expect(parseSiteConfig({ ...site, zeroExportProbe: 'on', probeMaxExportW: '600', probeMaxSeconds: 20 }).settings.site.zeroExportProbe).toEqual({ maxExportW: 600, maxSeconds: 20 });
  });

  it.each([
    [{ gridDevice: '' }, 'grid meter device id is empty'],
    [{ gridDevice: 'grid', strategy: 'cheapest' }, 'cheapest'],
    [{ gridDevice: 'grid', marginW: 'lots' }, 'marginW = "lots"'],
    [{ gridDevice: 'grid', rippleInputs: 'k1', rippleRules: [{ inputs: '10', feedInPct: 60 }] }, 'rippleRules[0].inputs = "10": must have one 0 (open) or 1 (closed) per named input (k1)'],
    [{ gridDevice: 'grid', rippleBus: 'bus' }, 'ripple-control inputs are polled but none are named'],
    [{ gridDevice: 'grid', zeroExportProbe: 'yes' }, 'zeroExportProbe = "yes": must be off or on'],
    [{ gridDevice: 'grid', zeroExportProbe: 'on', probeMaxSeconds: 3600 }, 'zeroExportProbe.maxSeconds = 3600: must be how long the probe may export above the limit, 1 to 300 s'],
    [{ gridDevice: 'grid', timeZone: 'Berlin' }, 'timeZone = "Berlin": must be an IANA time zone like "Europe/Berlin" or "UTC", or blank for Node-RED\'s'],
    [{ gridDevice: 'grid', rippleInputs: 'k1', rippleBus: 'bus', rippleAddress: 70000 }, 'ripple first input 70000: use the discrete input address of the first contact, 0 to 65535'],
  ])('%j is refused: %s', (config, message) => {
    expect(() => parseSiteConfig(config)).toThrow(message);
  });
});

describe('parseLoadNodeConfig', () => {
  const base = { loadId: 'rod', site: 'site', priority: '2', mode: 'surplus' };

  it('maps each editor kind to its allocator kind and fields; blanks take the defaults', () => {
    expect(parseLoadNodeConfig({ ...base, kind: 'stepped', stagePowersW: [1000, 2000], minOnSeconds: '', feedback: 'measured' })).toEqual({
      load: { id: 'rod', priority: 2, mode: 'surplus', kind: 'stepped', stagePowersW: [1000, 2000] },
      feedback: 'measured', everyCycle: false, siteKey: 'site',
    });
    expect(parseLoadNodeConfig({ ...base, kind: 'ev', minCurrentA: 6, maxCurrentA: '16', phases: 'auto', phase: 'L2', sendEvery: 'cycle' })).toMatchObject({
      load: { kind: 'modulating', control: 'current', minCurrentA: 6, maxCurrentA: 16, phases: 'auto', singlePhase: 'L2' }, everyCycle: true,
    });
    // A 0.1.0 load keeps finding its site under its optimiser's id.
    expect(parseLoadNodeConfig({ ...base, site: '', optimiser: 'opt', kind: 'on_off', powerW: 500 }).siteKey).toBe('opt');
  });

  it.each([
    [{ kind: 'heater' }, 'kind = "heater": choose one of on_off, stepped, modulating_power, ev, sg_ready'],
    [{ kind: 'stepped', stagePowersW: '2000, two' }, 'stagePowersW = "2000, two": must list 1 to 3 stage powers in W'],
    [{ kind: 'on_off', powerW: 500, site: '' }, 'no site selected'],
    [{ kind: 'on_off', powerW: -1 }, 'powerW = -1'],
  ])('%j is refused: %s', (extra, message) => {
    expect(() => parseLoadNodeConfig({ ...base, ...extra })).toThrow(message);
  });
});

describe('parsePlannerNodeConfig', () => {
  const base = { deviceId: 'planner', site: 'site', timeZone: 'Europe/Berlin' };

  it('maps the dialog fields to the session settings; blanks take the defaults, a blank capacity means no battery', () => {
    const parsed = parsePlannerNodeConfig({
      ...base, horizonHours: '36', exportEurPerKwh: '0.08', cheapAtOrBelowEurPerKwh: '', timeLimitSeconds: '',
      jobs: '[{ "loadId": "pool", "runtimeMinutes": 360, "by": "20:00" }]', batteryCapacityWh: '10000', batteryMaxChargeW: '',
    });
    expect(parsed.siteKey).toBe('site');
    expect(parsed.timeLimitSeconds).toBe(DEFAULT_TIME_LIMIT_SECONDS);
    expect(parsed.settings).toMatchObject({ deviceId: 'planner', timeZone: 'Europe/Berlin', horizonHours: 36, exportEurPerKwh: 0.08 });
    expect(parsed.settings).not.toHaveProperty('cheapAtOrBelowEurPerKwh');
    expect(parsed.settings.configuredJobs).toHaveLength(1);
    expect(parsed.settings.battery).toEqual({ capacityWh: 10000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 100 });
    expect(parsePlannerNodeConfig({ ...base, timeLimitSeconds: 0 }).timeLimitSeconds).toBe(0);
    expect(parsePlannerNodeConfig(base).settings.battery).toBeUndefined();
    // A 0.1.0 planner keeps finding its site under its optimiser's id.
    expect(parsePlannerNodeConfig({ deviceId: 'planner', optimiser: 'opt' }).siteKey).toBe('opt');
  });

  it('takes the battery options: grid charging cap, hold only, a daily target SoC, wear cost, end value', () => {
    const battery = { batteryCapacityWh: '10000', batteryMaxSocPct: '90' };
    expect(parsePlannerNodeConfig({
      ...base, ...battery, batteryGridChargeMaxSocPct: '60', batteryHoldOnly: true, batteryTargetSocPct: '80', batteryTargetSocBy: ' 17:00 ',
      batteryWearEurPerKwh: '0.05', batteryEndValueEurPerKwh: '0.12',
    }).settings.battery).toEqual({
      capacityWh: 10000, maxChargeW: 5000, maxDischargeW: 5000, roundTripEfficiency: 0.9, minSocPct: 10, maxSocPct: 90,
      gridChargeMaxSocPct: 60, holdOnly: true, targetSoc: { socPct: 80, byTime: '17:00' }, wearEurPerKwh: 0.05, endValueEurPerKwh: 0.12,
    });
    // The defaults a migrated flow carries plan as before.
    const asMigrated = { batteryGridChargeMaxSocPct: '', batteryHoldOnly: false, batteryTargetSocPct: '', batteryTargetSocBy: '', batteryWearEurPerKwh: '', batteryEndValueEurPerKwh: '' };
    expect(parsePlannerNodeConfig({ ...base, ...battery, ...asMigrated }).settings.battery).toEqual(parsePlannerNodeConfig({ ...base, ...battery }).settings.battery);
    expect(Object.keys(parsePlannerNodeConfig({ ...base, ...battery, ...asMigrated }).settings.battery ?? {})).not.toContain('holdOnly');
  });

  it.each([
    [{ batteryGridChargeMaxSocPct: '120' }, 'battery grid charge up to = "120": give a percentage, 0 to 100'],
    [{ batteryTargetSocPct: '80' }, 'battery target SoC by = missing: give the local time the target is due, "HH:MM", or clear the target SoC'],
    [{ batteryTargetSocBy: '07:00' }, 'battery target SoC = missing: give a percentage, 0 to 100, or clear the time it is due by'],
    [{ batteryTargetSocPct: '80', batteryTargetSocBy: '7 am' }, 'battery target SoC by = "7 am": must be a local clock time "HH:MM"'],
    [{ batteryWearEurPerKwh: '-1' }, 'battery wear cost = "-1": give EUR per discharged kWh'],
    [{ batteryHoldOnly: 'yes' }, 'battery hold only = "yes": must be true (never charges from the grid) or false'],
    [{ batteryEndValueEurPerKwh: 'much' }, 'battery end value = "much": give EUR per kWh left at the horizon\'s end'],
  ])('battery option %j is refused: %s', (extra, message) => {
    expect(() => parsePlannerNodeConfig({ ...base, batteryCapacityWh: '10000', ...extra })).toThrow(message);
  });

  it.each([
    [{ site: '' }, 'no site selected'],
    [{ timeZone: 'Mars/Olympus' }, 'time zone = "Mars/Olympus": use an IANA zone like "Europe/Berlin"'],
    [{ horizonHours: 72 }, 'horizon = 72: plan 1 to 48 hours ahead'],
    [{ timeLimitSeconds: -1 }, 'time limit = -1: give 0 (greedy plans only) to 600 s'],
    [{ batteryCapacityWh: 10000, batteryEfficiency: 1.5 }, 'battery efficiency = 1.5: give the round trip as a fraction'],
    [{ jobs: '[{ "loadId": "pool", "runtimeMinutes": 60, "by": "7 am" }]' }, 'jobs[0].by = "7 am"'],
  ])('%j is refused: %s', (extra, message) => {
    expect(() => parsePlannerNodeConfig({ ...base, ...extra })).toThrow(message);
  });
});

describe('numberSetting', () => {
  it('takes numbers and numeric text, gives the default for blank, and refuses anything else naming the setting', () => {
    expect(numberSetting(5, 1, 'cycle (s)')).toBe(5);
    expect(numberSetting(' 2.5 ', 1, 'cycle (s)')).toBe(2.5);
    expect(numberSetting('', 1, 'cycle (s)')).toBe(1);
    expect(numberSetting(undefined, 1, 'cycle (s)')).toBe(1);
    expect(() => numberSetting('12abc', 1, 'cycle (s)')).toThrow('cycle (s) = "12abc": must be a number, or leave it empty for 1');
    expect(() => numberSetting('x', Number.NaN, 'pulses per unit')).toThrow(/^pulses per unit = "x": must be a number$/);
    expect(() => numberSetting({}, 1, 'cycle (s)')).toThrow('cycle (s) = {}: must be a number');
  });
});
