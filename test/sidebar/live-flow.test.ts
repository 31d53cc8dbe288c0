import { describe, expect, it } from 'vitest';
import type { CycleMessage } from '../../src/engine/optimiser';
import { liveFlowView } from '../../src/sidebar';

const SITE = {
  stale: false, surplusW: 1800, projectedGridPowerW: -200, inverterLimitW: null, inverterLimitPct: null, maxExportW: null,
  feedInLimitPct: 100, stopBatteryGridCharging: false, dimming14aActive: false, heatPumpLockActive: false, reasons: ['surplus 1.8 kW'],
};

function message(inputs: Partial<CycleMessage['payload']['inputs']>, commands: CycleMessage['payload']['commands']): CycleMessage {
  return {
    topic: 'optimiser',
    payload: { timestamp: '2026-06-01T10:00:00.000Z', strategy: 'pv_surplus', inputs: { gridPowerW: -1500, pvPowerW: 5000, readingsAgeSeconds: 1, ...inputs }, site: SITE, commands, alarms: [] },
  };
}

const common = { changed: false, reason: 'why', reasonCode: 'code' };

describe('liveFlowView', () => {
  it('the house draws grid + PV − battery charging; the rest of the house is that less the managed loads', () => {
    const view = liveFlowView('site1', 'Home', message({ batteryPowerW: 1000, batterySocPct: 55 }, [{ ...common, kind: 'on_off', loadId: 'heater', powerW: 2000, on: true, name: 'Water heater' }]), { heater: { on: true, powerW: 1900 } });
    expect(view).toMatchObject({ siteKey: 'site1', name: 'Home', gridW: -1500, pvW: 5000, batteryW: 1000, batterySocPct: 55, houseW: 2500, otherW: 600, surplusW: 1800, stale: false, strategy: 'pv_surplus' });
    expect(view.atMs).toBe(Date.parse('2026-06-01T10:00:00.000Z'));
    expect(view.loads).toEqual([{ id: 'heater', name: 'Water heater', powerW: 1900, on: true, setting: '', reason: 'why', reasonCode: 'code' }]);
  });

  it('without a battery reading the battery is null and the house is grid + PV', () => {
    const view = liveFlowView('s', 'S', message({}, []), {});
    expect([view.batteryW, view.batterySocPct, view.houseW, view.otherW]).toEqual([null, null, 3500, 3500]);
  });

  it("a load without a reading shows its command's power; the rest of the house never goes below 0", () => {
    const view = liveFlowView('s', 'S', message({ gridPowerW: 0, pvPowerW: 1000 }, [{ ...common, kind: 'on_off', loadId: 'pump', powerW: 1500, on: true }]), {});
    expect(view.loads[0]).toMatchObject({ name: 'pump', powerW: 1500 });
    expect(view.otherW).toBe(0);
  });

  it("shows each kind's command: stage, current and phases, SG Ready state", () => {
    const view = liveFlowView('s', 'S', message({}, [
      { ...common, kind: 'stepped', loadId: 'a', powerW: 2000, stage: 2 },
      { ...common, kind: 'stepped', loadId: 'b', powerW: 0, stage: 0 },
      { ...common, kind: 'modulating', loadId: 'ev', powerW: 11000, on: true, currentA: 16, phases: 3 },
      { ...common, kind: 'modulating', loadId: 'ev2', powerW: 0, on: false },
      { ...common, kind: 'sg_ready', loadId: 'hp', powerW: 1000, sgReadyState: 'force_on' },
      { ...common, kind: 'sg_ready', loadId: 'hp2', powerW: 0, sgReadyState: 'normal' },
    ]), {});
    expect(view.loads.map((l) => [l.id, l.on, l.setting])).toEqual([
      ['a', true, 'stage 2'],
      ['b', false, ''],
      ['ev', true, '16 A, 3 ph'],
      ['ev2', false, ''],
      ['hp', true, 'SG Ready force_on'],
      ['hp2', false, 'SG Ready normal'],
    ]);
  });
});
