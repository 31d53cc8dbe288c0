import { describe, expect, it } from 'vitest';
import type { LoadConfig } from '../../src/engine/allocator';
import { BATTERY_INPUTS, NO_BATTERY_PLAN } from '../../src/settings/inputs/battery';
import { gateInput } from '../../src/settings/inputs/gate';
import { LOAD_INPUTS, type LoadInputContext } from '../../src/settings/inputs/load';
import { OPTIMISER_INPUTS, type OptimiserInputContext } from '../../src/settings/inputs/optimiser';
import { siteMaxPowerW } from '../../src/settings/inputs/physical-range';
import { PULSE_INPUTS } from '../../src/settings/inputs/pulse';

const SITE = { fuseLimitA: 35, phaseVoltageV: 230 };
const MAX_W = siteMaxPowerW(SITE);
const OPTIMISER: OptimiserInputContext = { site: { ...SITE, pvPeakW: 10_000 }, rippleNames: ['k1'], maxPowerW: MAX_W };
const LOAD: LoadConfig = { id: 'rod', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus' };
const LOAD_CONTEXT: LoadInputContext = { current: LOAD, voltageV: 230, maxPowerW: MAX_W, nowMs: 0 };
const reading = (values: Record<string, unknown>) => ({ payload: { device: 'grid', timestamp: '2026-12-05T10:00:00Z', values } });

describe('the input gate', () => {
  it("bounds powers by the main fuse: three phases at its conventional fusing current", () => {
    expect(MAX_W).toBe(3 * 35 * 230 * 1.6);
    expect(siteMaxPowerW({})).toBeUndefined();
  });

  it('takes a reading within range, and a topic input by its topic', () => {
    expect(gateInput(OPTIMISER_INPUTS, reading({ power_w: -2400, energy_import_kwh: 1e6 }), OPTIMISER)).toEqual({ ok: true, value: { topic: undefined, value: reading({ power_w: -2400, energy_import_kwh: 1e6 }).payload } });
    expect(gateInput(OPTIMISER_INPUTS, { topic: 'ripple', payload: { k1: true } }, OPTIMISER)).toEqual({ ok: true, value: { topic: 'ripple', value: [true] } });
    expect(gateInput(OPTIMISER_INPUTS, { topic: 'strategy', payload: 'pv_surplus' }, OPTIMISER)).toEqual({ ok: true, value: { topic: 'strategy', value: { strategy: 'pv_surplus' } } });
  });

  it('refuses a power beyond the main fuse and a value that is no number, naming the field', () => {
    expect(gateInput(OPTIMISER_INPUTS, reading({ power_w: 2_400_000 }), OPTIMISER)).toEqual({
      ok: false,
      error: "msg.payload.values.power_w = 2400000: beyond what the site's main fuse lets through (38640 W): check the sender's unit (W, not mW), or the site's fuse rating",
    });
    expect(gateInput(OPTIMISER_INPUTS, reading({ power_w: null }), OPTIMISER)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.values\.power_w = null: must be a number/) });
    // Without a fuse rating any finite power passes.
    expect(gateInput(OPTIMISER_INPUTS, reading({ power_w: 2_400_000 }), { ...OPTIMISER, maxPowerW: undefined }).ok).toBe(true);
  });

  it('says which topics there are when a mistyped one lands on the main input', () => {
    expect(gateInput(OPTIMISER_INPUTS, { topic: 'strategie', payload: 'pv_surplus' }, OPTIMISER)).toEqual({
      ok: false,
      error: 'msg.payload = "pv_surplus": must be a reading { device, timestamp, values }; or msg.topic = "strategie" is not one of strategy, exportLimitW, importCapW, ripple, prices',
    });
  });

  it("refuses a load's measured or override power beyond the main fuse, and checks a change with the load as it is", () => {
    expect(gateInput(LOAD_INPUTS, { payload: { on: true, powerW: 1e9 } }, LOAD_CONTEXT)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.powerW = 1000000000: beyond/) });
    expect(gateInput(LOAD_INPUTS, reading({ power_w: -1e9 }), LOAD_CONTEXT)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.values\.power_w = 1000000000: beyond/) });
    expect(gateInput(LOAD_INPUTS, { topic: 'override', payload: { on: true, powerW: 1e9 } }, LOAD_CONTEXT)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.powerW = 1000000000: beyond/) });
    expect(gateInput(LOAD_INPUTS, { topic: 'priority', payload: 'high' }, LOAD_CONTEXT)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload: priority = "high": must be a number/) });
    expect(gateInput(LOAD_INPUTS, { payload: { demand: 'yes' } }, LOAD_CONTEXT)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.demand = "yes": /) });
    expect(gateInput(LOAD_INPUTS, { payload: { on: true, powerW: 1800 } }, LOAD_CONTEXT)).toEqual({ ok: true, value: { topic: undefined, value: { measured: { on: true, powerW: 1800 } } } });
  });

  it("takes the cycle's battery command, or none, and a mode or power set by hand; refuses the rest naming the field", () => {
    const cycle = (battery?: unknown) => ({ topic: 'optimiser', payload: { site: {}, battery } });
    const at = { receivedAtMs: 7 };
    expect(gateInput(BATTERY_INPUTS, cycle({ mode: 'hold', powerW: 0, reason: 'planned: hold' }), at)).toEqual({ ok: true, value: { topic: undefined, value: { command: { mode: 'hold', powerW: 0, reason: 'planned: hold' }, receivedAtMs: 7 } } });
    expect(gateInput(BATTERY_INPUTS, cycle(), at)).toEqual({ ok: true, value: { topic: undefined, value: { missingReason: NO_BATTERY_PLAN, receivedAtMs: 7 } } });
    expect(gateInput(BATTERY_INPUTS, { topic: 'power_w', payload: '2500' }, at)).toEqual({ ok: true, value: { topic: 'power_w', value: 2500 } });
    expect(gateInput(BATTERY_INPUTS, { topic: 'power_w', payload: '' }, at)).toMatchObject({ ok: false, error: 'msg.payload = "": must be the power for a mode set by hand in W, 0 or more' });
    expect(gateInput(BATTERY_INPUTS, cycle({ mode: 'charge', powerW: Number.NaN }), at)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload\.battery\.powerW = NaN: must be a power in W, 0 or more/) });
  });

  it('refuses a level message to a pulse counter whose input is polled from Modbus', () => {
    const context = { messageMode: 'level' as const, maxIncrement: 10_000, levelFromModbus: true };
    expect(gateInput(PULSE_INPUTS, { payload: true }, context)).toMatchObject({ ok: false, error: expect.stringMatching(/^msg\.payload = true: the input is read from Modbus/) });
    expect(gateInput(PULSE_INPUTS, { payload: true }, { ...context, levelFromModbus: false })).toEqual({ ok: true, value: { topic: undefined, value: { level: true } } });
  });
});
