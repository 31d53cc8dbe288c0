/** Editor settings → engine settings, without Node-RED: a site (hems-site) and a load (hems-load). */
import { describe, expect, it } from 'vitest';
import { parseLoadNodeConfig } from '../../src/settings/load-config';
import { parseSiteConfig } from '../../src/settings/site-config';

describe('parseSiteConfig', () => {
  it('maps the dialog fields to the session settings; blanks take the defaults', () => {
    const parsed = parseSiteConfig({
      deviceId: 'home', gridDevice: ' grid ', pvDevice: '', strategy: 'pv_surplus', marginW: '100', staleAfterSeconds: 30, exportLimitW: '',
      pvPeakW: 9000, batteryPolicy: 'battery_first_until_soc', batterySocPct: '80', rippleInputs: 'k1, k2',
      rippleRules: [{ inputs: '10', feedInPct: 60 }], rippleBus: 'bus', rippleUnitId: '3', rippleAddress: '',
    });
    expect(parsed.settings).toEqual({
      deviceId: 'home', strategy: 'pv_surplus',
      sources: { gridDevice: 'grid', pvDevice: undefined, batteryDevice: undefined },
      site: { marginW: 100, staleAfterSeconds: 30, pvPeakW: 9000, battery: { kind: 'battery_first_until_soc', socPct: 80 }, rippleControl: { rules: [{ inputs: '10', feedInPct: 60 }] } },
    });
    expect(parsed.rippleNames).toEqual(['k1', 'k2']);
    expect(parsed.ripplePoll).toEqual({ busId: 'bus', unitId: '3', address: 0 });
    expect(parseSiteConfig({ gridDevice: 'grid' }).settings).toMatchObject({ deviceId: 'optimiser', strategy: 'pv_surplus', site: { battery: { kind: 'loads_first' } } });
  });

  it.each([
    [{ gridDevice: '' }, 'grid meter device id is empty'],
    [{ gridDevice: 'grid', strategy: 'cheapest' }, 'cheapest'],
    [{ gridDevice: 'grid', marginW: 'lots' }, 'marginW = "lots"'],
    [{ gridDevice: 'grid', rippleInputs: 'k1', rippleRules: [{ inputs: '10', feedInPct: 60 }] }, 'rippleRules[0].inputs = "10": must have one 0 (open) or 1 (closed) per named input (k1)'],
    [{ gridDevice: 'grid', rippleBus: 'bus' }, 'ripple-control inputs are polled but none are named'],
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
