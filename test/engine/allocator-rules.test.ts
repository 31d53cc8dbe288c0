/**
 * One row per rule: a load list, site settings and a short timeline; the last cycle's command
 * state and reason text are checked for every load named in `expect`.
 */
import { describe, expect, it } from 'vitest';
import type { LoadConfig, SiteDecision, SiteSettings } from '../../src/engine/allocator';
import { commandOf, evCharger, heater, heatPump, hold, onOff, simulate, stateOf, stepped, T0, type Step } from './allocator-helpers';

interface Row {
  rule: string;
  loads: LoadConfig[];
  settings?: SiteSettings;
  steps: Step[];
  /** load id → [state, reason] after the last step. */
  expect: Record<string, [string, string]>;
  site?: Partial<SiteDecision>;
}

function runRows(rows: Row[]): void {
  it.each(rows.map((row) => [row.rule, row] as const))('%s', (_rule, row) => {
    const { last } = simulate(row.loads, row.settings ?? {}, row.steps);
    const actual = Object.fromEntries(
      Object.keys(row.expect).map((id) => {
        const command = commandOf(last, id);
        return [id, [stateOf(command), command.reason]];
      }),
    );
    expect(actual).toEqual(row.expect);
    if (row.site !== undefined) expect(last.site).toMatchObject(row.site);
  });
}

const at = (atSeconds: number, exportW: number, extra: Partial<Step> = {}): Step => ({ atSeconds, exportW, ...extra });

describe('surplus and battery policy', () => {
  runRows([
    {
      rule: 'a running load’s own draw counts as surplus, so it does not switch itself off',
      loads: [onOff('rod')],
      steps: [at(0, 2500), at(5, 2500)],
      expect: { rod: ['on', 'on: surplus 2.5 kW ≥ 2.0 kW'] },
      site: { surplusW: 2500, projectedGridPowerW: -500 },
    },
    {
      rule: 'the margin is kept back from the surplus',
      loads: [onOff('rod')],
      settings: { marginW: 500 },
      steps: [at(0, 2400)],
      expect: { rod: ['off', 'waiting: surplus 1.9 kW < 2.0 kW'] },
    },
    {
      rule: 'loads_first: battery charging power is available to loads',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'loads_first' } },
      steps: [at(0, 500, { site: { batteryPowerW: 2000, batterySocPct: 40 } })],
      expect: { rod: ['on', 'on: surplus 2.5 kW ≥ 2.0 kW'] },
    },
    {
      rule: 'loads_first: a discharging battery is not a source for loads',
      loads: [onOff('rod')],
      steps: [at(0, 2500, { site: { batteryPowerW: -1000 } })],
      expect: { rod: ['off', 'waiting: surplus 1.5 kW < 2.0 kW'] },
    },
    {
      rule: 'battery_first_until_soc: below the threshold the battery charges first',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'battery_first_until_soc', socPct: 80 } },
      steps: [at(0, 500, { site: { batteryPowerW: 2000, batterySocPct: 60 } })],
      expect: { rod: ['off', 'waiting: surplus 0.5 kW < 2.0 kW'] },
    },
    {
      rule: 'battery_first_until_soc: at the threshold charging power goes to loads',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'battery_first_until_soc', socPct: 80 } },
      steps: [at(0, 500, { site: { batteryPowerW: 2000, batterySocPct: 80 } })],
      expect: { rod: ['on', 'on: surplus 2.5 kW ≥ 2.0 kW'] },
    },
    {
      rule: 'battery_first_until_soc: an unknown state of charge counts as below the threshold',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'battery_first_until_soc', socPct: 80 } },
      steps: [at(0, 500, { site: { batteryPowerW: 2000 } })],
      expect: { rod: ['off', 'waiting: surplus 0.5 kW < 2.0 kW'] },
    },
    {
      rule: 'battery_may_discharge_to_soc: above the threshold loads may discharge the battery',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'battery_may_discharge_to_soc', socPct: 30, maxDischargeW: 3000 } },
      steps: [at(0, 0, { site: { batteryPowerW: 0, batterySocPct: 50 } })],
      expect: { rod: ['on', 'on: surplus 3.0 kW ≥ 2.0 kW'] },
    },
    {
      rule: 'battery_may_discharge_to_soc: at the threshold the battery is left alone',
      loads: [onOff('rod')],
      settings: { battery: { kind: 'battery_may_discharge_to_soc', socPct: 30, maxDischargeW: 3000 } },
      steps: [at(0, 0, { site: { batteryPowerW: 0, batterySocPct: 30 } })],
      expect: { rod: ['off', 'waiting: surplus 0.0 kW < 2.0 kW'] },
    },
  ]);
});

describe('anti-cycling', () => {
  runRows([
    {
      rule: 'enable threshold: below it the load waits',
      loads: [onOff('rod', { enableThresholdW: 2500 })],
      steps: [at(0, 2400)],
      expect: { rod: ['off', 'waiting: surplus 2.4 kW < 2.5 kW'] },
    },
    {
      rule: 'enable delay: surplus must persist',
      loads: [onOff('rod', { enableDelaySeconds: 60 })],
      steps: hold(2400, 0, 30),
      expect: { rod: ['off', 'waiting: surplus 2.4 kW ≥ 2.0 kW for 30 s of 60 s'] },
    },
    {
      rule: 'enable delay: the load starts once the surplus persisted',
      loads: [onOff('rod', { enableDelaySeconds: 60 })],
      steps: hold(2400, 0, 60),
      expect: { rod: ['on', 'on: surplus 2.4 kW ≥ 2.0 kW for 60 s'] },
    },
    {
      rule: 'enable delay: a dip restarts the wait',
      loads: [onOff('rod', { enableDelaySeconds: 60 })],
      steps: [...hold(2400, 0, 30), at(35, 1000), ...hold(2400, 40, 90)],
      expect: { rod: ['off', 'waiting: surplus 2.4 kW ≥ 2.0 kW for 50 s of 60 s'] },
    },
    {
      rule: 'disable delay: a running load is held while the deficit is young',
      loads: [onOff('rod', { disableDelaySeconds: 60 })],
      steps: [at(0, 3000), ...hold(1000, 5, 35)],
      expect: { rod: ['on', 'held on: surplus 1.0 kW < 2.0 kW for 30 s of 60 s'] },
    },
    {
      rule: 'disable delay: the load stops once the deficit persisted',
      loads: [onOff('rod', { disableDelaySeconds: 60 })],
      steps: [at(0, 3000), ...hold(1000, 5, 65)],
      expect: { rod: ['off', 'off: surplus 1.0 kW < 2.0 kW for 60 s'] },
    },
    {
      rule: 'disable threshold: the load stays on above it',
      loads: [onOff('rod', { disableThresholdW: 1500 })],
      steps: [at(0, 3000), at(5, 1600)],
      expect: { rod: ['on', 'on: surplus 1.6 kW ≥ 1.5 kW'] },
    },
    {
      rule: 'minimum on-time holds a load on without surplus',
      loads: [onOff('rod', { minOnSeconds: 600 })],
      steps: [at(0, 3000), ...hold(0, 5, 120, 23)],
      expect: { rod: ['on', 'held on: min on-time, 8 min left'] },
    },
    {
      rule: 'minimum on-time: the load stops when it has passed',
      loads: [onOff('rod', { minOnSeconds: 600 })],
      steps: [at(0, 3000), at(300, 0), at(600, 0)],
      expect: { rod: ['off', 'off: surplus 0.0 kW < 2.0 kW'] },
    },
    {
      rule: 'minimum off-time keeps a stopped load off despite surplus',
      loads: [onOff('rod', { minOffSeconds: 300 })],
      steps: [at(0, 3000), at(5, 0), ...hold(3000, 10, 65)],
      expect: { rod: ['off', 'waiting: min off-time, 4 min left'] },
    },
    {
      rule: 'maximum starts per hour',
      loads: [onOff('rod', { maxStartsPerHour: 2 })],
      steps: [at(0, 3000), at(5, 0), at(10, 3000), at(15, 0), at(20, 3000)],
      expect: { rod: ['off', 'waiting: 2 starts in the last hour (max 2), next in 1 h'] },
    },
    {
      rule: 'maximum starts per hour: a start is allowed again once the oldest is an hour old',
      loads: [onOff('rod', { maxStartsPerHour: 2 })],
      steps: [at(0, 3000), at(5, 0), at(10, 3000), at(15, 0), at(3600, 3000)],
      expect: { rod: ['on', 'on: surplus 3.0 kW ≥ 2.0 kW'] },
    },
    {
      rule: 'tolerated import: a small deficit is carried for the tolerated time',
      loads: [onOff('rod', { disableDelaySeconds: 60, toleratedImportW: 500, toleratedImportSeconds: 300 })],
      steps: [at(0, 3000), ...hold(1700, 5, 125)],
      expect: { rod: ['on', 'held on: importing 0.3 kW ≤ 0.5 kW tolerated, 3 min left'] },
    },
    {
      rule: 'tolerated import: the load is shed when the tolerated time is over',
      loads: [onOff('rod', { disableDelaySeconds: 60, toleratedImportW: 500, toleratedImportSeconds: 300 })],
      steps: [at(0, 3000), ...hold(1700, 5, 305, 20)],
      expect: { rod: ['off', 'off: importing 0.3 kW for 5 min'] },
    },
    {
      rule: 'tolerated import: a larger deficit gets only the disable delay',
      loads: [onOff('rod', { disableDelaySeconds: 60, toleratedImportW: 500, toleratedImportSeconds: 300 })],
      steps: [at(0, 3000), ...hold(1000, 5, 65)],
      expect: { rod: ['off', 'off: surplus 1.0 kW < 2.0 kW for 60 s'] },
    },
  ]);
});

const FOURTEEN_THIRTY = Date.UTC(2025, 5, 1, 14, 30);

describe('modes and overrides', () => {
  runRows([
    {
      rule: 'mode off keeps the load off whatever the surplus',
      loads: [onOff('rod', { mode: 'off' })],
      steps: [at(0, 9000)],
      expect: { rod: ['off', 'off: mode off'] },
    },
    {
      rule: 'mode off waits for the minimum on-time',
      loads: [onOff('rod', { minOnSeconds: 600 })],
      steps: [at(0, 3000), at(60, 3000, { loads: [onOff('rod', { minOnSeconds: 600, mode: 'off' })] })],
      expect: { rod: ['on', 'held on: min on-time, 9 min left'] },
    },
    {
      rule: 'mode on runs the load from the grid',
      loads: [onOff('rod', { mode: 'on' })],
      steps: [at(0, -500)],
      expect: { rod: ['on', 'on: mode on'] },
    },
    {
      rule: 'mode on runs a stepped load at all stages',
      loads: [stepped('rod', { mode: 'on' })],
      steps: [at(0, 0)],
      expect: { rod: ['stage 3', 'stage 3 of 3: mode on'] },
    },
    {
      rule: 'mode on respects the minimum off-time',
      loads: [onOff('rod', { minOffSeconds: 300 })],
      steps: [at(0, 3000), at(5, 0), at(65, 0, { loads: [onOff('rod', { minOffSeconds: 300, mode: 'on' })] })],
      expect: { rod: ['off', 'waiting: min off-time, 4 min left'] },
    },
    {
      rule: 'min_surplus: an EV charges at its minimum from the grid',
      loads: [evCharger('ev', { mode: 'min_surplus' })],
      steps: [at(0, 0)],
      expect: { ev: ['6 A x 1 ph', '6 A × 1 ph (1.4 kW): min+surplus minimum, surplus 0.0 kW'] },
    },
    {
      rule: 'min_surplus: surplus above the minimum is added',
      loads: [evCharger('ev', { mode: 'min_surplus' })],
      steps: [at(0, 2500)],
      expect: { ev: ['10 A x 1 ph', '10 A × 1 ph (2.3 kW): following surplus 2.5 kW'] },
    },
    {
      rule: 'min_surplus: a stepped load keeps its first stage from the grid',
      loads: [stepped('rod', { mode: 'min_surplus' })],
      steps: [at(0, 0)],
      expect: { rod: ['stage 1', 'stage 1 of 3: min+surplus minimum, surplus 0.0 kW'] },
    },
    {
      rule: 'override on with an expiry, on the site\'s clock (UTC unless the site names its zone)',
      loads: [onOff('rod', { override: { on: true, expiresAtMs: FOURTEEN_THIRTY } })],
      steps: [at(0, 0)],
      expect: { rod: ['on', 'override on until 14:30'] },
    },
    {
      rule: 'override expiry in Kathmandu (UTC+5:45)',
      loads: [onOff('rod', { override: { on: true, expiresAtMs: FOURTEEN_THIRTY } })],
      settings: { timeZone: 'Asia/Kathmandu' },
      steps: [at(0, 0)],
      expect: { rod: ['on', 'override on until 20:15'] },
    },
    {
      rule: 'override expiry in Berlin in summer (UTC+2)',
      loads: [onOff('rod', { override: { on: true, expiresAtMs: FOURTEEN_THIRTY } })],
      settings: { timeZone: 'Europe/Berlin' },
      steps: [at(0, 0)],
      expect: { rod: ['on', 'override on until 16:30'] },
    },
    {
      rule: 'override off without expiry beats surplus and mode on',
      loads: [onOff('rod', { mode: 'on', override: { on: false } })],
      steps: [at(0, 9000)],
      expect: { rod: ['off', 'override off, no expiry'] },
    },
    {
      rule: 'override beats the minimum on-time',
      loads: [onOff('rod', { minOnSeconds: 600 })],
      steps: [at(0, 3000), at(5, 3000, { loads: [onOff('rod', { minOnSeconds: 600, override: { on: false } })] })],
      expect: { rod: ['off', 'override off, no expiry'] },
    },
    {
      rule: 'an expired override no longer applies',
      loads: [onOff('rod', { override: { on: true, expiresAtMs: T0 } })],
      steps: [at(0, 0)],
      expect: { rod: ['off', 'waiting: surplus 0.0 kW < 2.0 kW'] },
    },
    {
      rule: 'override with a power for a modulating heater',
      loads: [heater('heater', { override: { on: true, powerW: 1200 } })],
      steps: [at(0, 0)],
      expect: { heater: ['1200 W', 'override 1.2 kW, no expiry'] },
    },
    {
      rule: 'override an SG Ready heat pump to lock',
      loads: [heatPump('hp', { override: { on: false, sgReadyState: 'lock' } })],
      steps: [at(0, 9000)],
      expect: { hp: ['lock', 'override lock, no expiry'] },
    },
  ]);
});

describe('load kinds', () => {
  runRows([
    {
      rule: 'stepped: as many stages as the surplus covers',
      loads: [stepped('rod')],
      steps: [at(0, 4500)],
      expect: { rod: ['stage 2', 'stage 2 of 3: surplus 4.5 kW ≥ 4.0 kW'] },
    },
    {
      rule: 'stepped: climbing a stage waits for the enable delay',
      loads: [stepped('rod', { enableDelaySeconds: 60 })],
      steps: [...hold(2500, 0, 60, 30), ...hold(4500, 65, 95)],
      expect: { rod: ['stage 1', 'stage 1 of 3: surplus 4.5 kW ≥ 4.0 kW for 30 s of 60 s before stage 2 of 3'] },
    },
    {
      rule: 'stepped: descending a stage waits for the disable delay',
      loads: [stepped('rod', { disableDelaySeconds: 60 })],
      steps: [at(0, 7000), ...hold(4500, 5, 35)],
      expect: { rod: ['stage 3', 'stage 3 of 3: surplus 4.5 kW < 6.0 kW for 30 s of 60 s before stage 2 of 3'] },
    },
    {
      rule: 'stepped: the enable headroom applies to every stage',
      loads: [stepped('rod', { enableThresholdW: 2200 })],
      steps: [at(0, 4100)],
      expect: { rod: ['stage 1', 'stage 1 of 3: surplus 4.1 kW ≥ 2.2 kW'] },
    },
    {
      rule: 'modulating heater: starts at the surplus',
      loads: [heater('heater')],
      steps: [at(0, 1800)],
      expect: { heater: ['1800 W', '1.8 kW: surplus 1.8 kW ≥ 0.5 kW'] },
    },
    {
      rule: 'modulating heater: follows the surplus while running',
      loads: [heater('heater')],
      steps: [at(0, 1800), at(5, 2600)],
      expect: { heater: ['2600 W', '2.6 kW: following surplus 2.6 kW'] },
    },
    {
      rule: 'modulating heater: capped at its maximum',
      loads: [heater('heater')],
      steps: [at(0, 1800), at(5, 9000)],
      expect: { heater: ['3000 W', '3.0 kW: following surplus 9.0 kW'] },
    },
    {
      rule: 'EV: one phase below the three-phase minimum, whole amperes',
      loads: [evCharger('ev')],
      steps: [at(0, 3000)],
      expect: { ev: ['13 A x 1 ph', '13 A × 1 ph (3.0 kW): surplus 3.0 kW ≥ 1.4 kW'] },
    },
    {
      rule: 'EV: three phases from the start when the surplus covers them',
      loads: [evCharger('ev')],
      steps: [at(0, 8000)],
      expect: { ev: ['11 A x 3 ph', '11 A × 3 ph (7.6 kW): surplus 8.0 kW ≥ 1.4 kW'] },
    },
    {
      rule: 'EV: phase switching waits for its own delay',
      loads: [evCharger('ev', { phaseSwitchDelaySeconds: 120 })],
      steps: [at(0, 3000), ...hold(8000, 5, 65, 30)],
      expect: { ev: ['16 A x 1 ph', '16 A × 1 ph (3.7 kW): surplus 8.0 kW calls for 3 ph for 60 s of 120 s'] },
    },
    {
      rule: 'EV: switches to three phases after the delay',
      loads: [evCharger('ev', { phaseSwitchDelaySeconds: 120 })],
      steps: [at(0, 3000), ...hold(8000, 5, 125, 30)],
      expect: { ev: ['11 A x 3 ph', '11 A × 3 ph (7.6 kW): surplus 8.0 kW, switched to 3 ph after 120 s'] },
    },
    {
      rule: 'EV: back to one phase when the surplus drops',
      loads: [evCharger('ev')],
      steps: [at(0, 8000), at(5, 3000)],
      expect: { ev: ['13 A x 1 ph', '13 A × 1 ph (3.0 kW): surplus 3.0 kW, switched to 1 ph after 0 s'] },
    },
    {
      rule: 'EV: fixed three phases waits for the three-phase minimum',
      loads: [evCharger('ev', { phases: 3 })],
      steps: [at(0, 3000)],
      expect: { ev: ['off', 'waiting: surplus 3.0 kW < 4.1 kW'] },
    },
    {
      rule: 'SG Ready: normal without surplus',
      loads: [heatPump('hp')],
      steps: [at(0, 1000)],
      expect: { hp: ['normal', 'normal: surplus 1.0 kW < 1.5 kW'] },
    },
    {
      rule: 'SG Ready: recommend at its threshold',
      loads: [heatPump('hp')],
      steps: [at(0, 2000)],
      expect: { hp: ['recommend', 'recommend: surplus 2.0 kW ≥ 1.5 kW'] },
    },
    {
      rule: 'SG Ready: force_on on a large surplus',
      loads: [heatPump('hp')],
      steps: [at(0, 5000)],
      expect: { hp: ['force_on', 'force_on: surplus 5.0 kW ≥ 4.0 kW'] },
    },
    {
      rule: 'SG Ready: force_on at a negative price even without surplus',
      loads: [heatPump('hp')],
      steps: [at(0, -300, { site: { gridPriceEurPerKwh: -0.05 } })],
      expect: { hp: ['force_on', 'force_on: price -0.050 €/kWh < 0.000 €/kWh'] },
    },
    {
      rule: 'SG Ready: leaving recommend waits for the disable delay',
      loads: [heatPump('hp', { disableDelaySeconds: 60 })],
      steps: [at(0, 2000), ...hold(500, 5, 35)],
      expect: { hp: ['recommend', 'recommend: surplus 0.5 kW < 1.5 kW for 30 s of 60 s before normal'] },
    },
  ]);
});

describe('priorities', () => {
  runRows([
    {
      rule: 'the lower priority number gets the surplus first',
      loads: [onOff('second', { priority: 2 }), onOff('first', { priority: 1 })],
      steps: [at(0, 3000)],
      expect: {
        first: ['on', 'on: surplus 3.0 kW ≥ 2.0 kW'],
        second: ['off', 'waiting: surplus 1.0 kW < 2.0 kW'],
      },
    },
    {
      rule: 'equal priorities keep list order',
      loads: [onOff('listed-first'), onOff('listed-second')],
      steps: [at(0, 3000)],
      expect: {
        'listed-first': ['on', 'on: surplus 3.0 kW ≥ 2.0 kW'],
        'listed-second': ['off', 'waiting: surplus 1.0 kW < 2.0 kW'],
      },
    },
    {
      rule: 'a higher-priority load takes power from a running lower one',
      loads: [onOff('boiler', { priority: 1, powerW: 3000 }), onOff('pool', { priority: 2 })],
      steps: [at(0, 2500), at(5, 3500)],
      expect: {
        boiler: ['on', 'on: surplus 3.5 kW ≥ 3.0 kW'],
        pool: ['off', 'off: surplus 0.5 kW < 2.0 kW'],
      },
    },
    {
      rule: 'power is reserved for a higher-priority load waiting out its enable delay',
      loads: [onOff('boiler', { priority: 1, enableDelaySeconds: 60 }), onOff('pool', { priority: 2 })],
      steps: [at(0, 3000)],
      expect: {
        boiler: ['off', 'waiting: surplus 3.0 kW ≥ 2.0 kW for 0 s of 60 s'],
        pool: ['off', 'waiting: surplus 1.0 kW < 2.0 kW'],
      },
    },
    {
      rule: 'a lower-priority load held by its minimum on-time keeps its power',
      loads: [onOff('boiler', { priority: 1, powerW: 3000 }), onOff('pool', { priority: 2, minOnSeconds: 600 })],
      steps: [at(0, 2500), at(5, 3500)],
      expect: {
        boiler: ['off', 'waiting: surplus 1.5 kW < 3.0 kW'],
        pool: ['on', 'on: surplus 3.5 kW ≥ 2.0 kW'],
      },
    },
    {
      rule: 'mode on power is set aside before surplus is shared',
      loads: [onOff('boiler', { priority: 1 }), onOff('pump', { priority: 5, mode: 'on', powerW: 1000 })],
      steps: [at(0, 2500)],
      expect: {
        boiler: ['off', 'waiting: surplus 1.5 kW < 2.0 kW'],
        pump: ['on', 'on: mode on'],
      },
    },
  ]);
});

const RIPPLE_RULES: SiteSettings['rippleControl'] = {
  rules: [
    { inputs: '00', feedInPct: 100 },
    { inputs: '10', feedInPct: 60 },
    { inputs: '01', feedInPct: 30, dimConsumption: true },
    { inputs: '11', feedInPct: 0, lockHeatPumps: true },
  ],
};

describe('grid limits', () => {
  runRows([
    {
      rule: 'export limit: the inverter is curtailed after loads took what they can',
      loads: [onOff('rod')],
      settings: { exportLimitW: 1000, pvPeakW: 10000 },
      steps: [at(0, 5000)],
      expect: { rod: ['on', 'on: surplus 5.0 kW ≥ 2.0 kW'] },
      site: {
        projectedGridPowerW: -3000,
        inverterLimitW: 3000,
        inverterLimitPct: 30,
        reasons: [
          'surplus 5.0 kW = export 5.0 kW + managed loads 0.0 kW + battery 0.0 kW - margin 0.0 kW',
          'inverter limited to 3.0 kW (30 % of PV peak): export limit 1.0 kW',
        ],
      },
    },
    {
      rule: 'export limit: no curtailment while export stays below it',
      loads: [onOff('rod')],
      settings: { exportLimitW: 1000, pvPeakW: 10000 },
      steps: [at(0, 2800)],
      expect: { rod: ['on', 'on: surplus 2.8 kW ≥ 2.0 kW'] },
      site: { inverterLimitW: null, inverterLimitPct: null },
    },
    {
      rule: 'export limit as a percentage of PV peak',
      loads: [],
      settings: { exportLimitPctOfPvPeak: 70, pvPeakW: 10000 },
      steps: [at(0, 8000)],
      expect: {},
      site: { inverterLimitW: 7000, inverterLimitPct: 70 },
    },
    {
      rule: 'export limit: the curtailment is held while export sits at the limit',
      loads: [onOff('rod')],
      settings: { exportLimitW: 1000, pvPeakW: 10000 },
      steps: [at(0, 5000), at(5, 0, { site: { pvPowerW: 3000, gridPowerW: -1000 } })],
      expect: { rod: ['on', 'on: surplus 3.0 kW ≥ 2.0 kW'] },
      site: { inverterLimitW: 3000, inverterLimitPct: 30 },
    },
    {
      rule: 'export limit: the curtailment is released once it would reach the PV peak',
      loads: [onOff('rod')],
      settings: { exportLimitW: 1000, pvPeakW: 10000 },
      steps: [
        at(0, 5000),
        at(5, 0, { site: { pvPowerW: 3000, gridPowerW: -1000 } }),
        at(10, 0, { site: { pvPowerW: 3000, gridPowerW: 8000 } }),
      ],
      expect: { rod: ['off', 'off: surplus -6.0 kW < 2.0 kW'] },
      site: { inverterLimitW: null, inverterLimitPct: null },
    },
    {
      rule: 'ripple control: inputs select the feed-in percentage',
      loads: [],
      settings: { pvPeakW: 10000, rippleControl: RIPPLE_RULES },
      steps: [at(0, 8000, { site: { rippleInputs: [true, false] } })],
      expect: {},
      site: {
        feedInLimitPct: 60,
        inverterLimitW: 6000,
        reasons: [
          'surplus 8.0 kW = export 8.0 kW + managed loads 0.0 kW + battery 0.0 kW - margin 0.0 kW',
          'ripple control 10: feed-in ≤ 60 %',
          'inverter limited to 6.0 kW (60 % of PV peak): export limit 6.0 kW',
        ],
      },
    },
    {
      rule: 'ripple control: an unknown input combination limits nothing and says so',
      loads: [],
      settings: { pvPeakW: 10000, rippleControl: { rules: [{ inputs: '10', feedInPct: 60 }] } },
      steps: [at(0, 8000, { site: { rippleInputs: [true, true] } })],
      expect: {},
      site: { feedInLimitPct: 100, inverterLimitW: null },
    },
    {
      rule: 'ripple control: utility lock puts heat pumps in lock',
      loads: [heatPump('hp')],
      settings: { pvPeakW: 10000, rippleControl: RIPPLE_RULES },
      steps: [at(0, 5000, { site: { rippleInputs: [true, true] } })],
      expect: { hp: ['lock', 'lock: ripple-control utility lock'] },
      site: { heatPumpLockActive: true, feedInLimitPct: 0 },
    },
    {
      rule: '§14a dimming limits controllable loads, never below 4.2 kW in total',
      loads: [evCharger('ev', { mode: 'on', controllable14a: true }), onOff('rod', { mode: 'on', priority: 2 })],
      settings: { pvPeakW: 10000, rippleControl: RIPPLE_RULES },
      steps: [at(0, 0, { site: { rippleInputs: [false, true] } })],
      expect: {
        ev: ['6 A x 3 ph', 'reduced to 6 A × 3 ph (4.1 kW): §14a dimming, controllable loads ≤ 4.2 kW'],
        rod: ['on', 'on: mode on'],
      },
      site: { dimming14aActive: true },
    },
    {
      rule: 'import cap: the lowest priority is shed first and battery grid charging stops',
      loads: [onOff('boiler', { mode: 'on', powerW: 3000 }), onOff('pool', { mode: 'on', priority: 2, powerW: 3000 })],
      settings: { importCapW: 5000 },
      steps: [at(0, -1000)],
      expect: {
        boiler: ['on', 'on: mode on'],
        pool: ['off', 'shed: import cap 5.0 kW'],
      },
      site: {
        stopBatteryGridCharging: true,
        projectedGridPowerW: 4000,
        reasons: [
          'surplus -1.0 kW = export -1.0 kW + managed loads 0.0 kW + battery 0.0 kW - margin 0.0 kW',
          'import 7.0 kW > cap 5.0 kW: battery grid charging stopped, 1 load(s) reduced',
        ],
      },
    },
    {
      rule: 'import cap: stopping battery grid charging counts before loads are shed',
      loads: [onOff('pool', { mode: 'on', powerW: 3000 })],
      settings: { importCapW: 5000, battery: { kind: 'battery_first_until_soc', socPct: 100 } },
      steps: [at(0, -1000, { site: { gridPowerW: 4000, batteryPowerW: 3000 } })],
      expect: { pool: ['on', 'on: mode on'] },
      site: { stopBatteryGridCharging: true },
    },
    {
      rule: 'import cap: a modulating load is reduced before it is shed',
      loads: [evCharger('ev', { mode: 'on', phases: 3 })],
      settings: { importCapW: 8000 },
      steps: [at(0, 0)],
      expect: { ev: ['11 A x 3 ph', 'reduced to 11 A × 3 ph (7.6 kW): import cap 8.0 kW'] },
    },
    {
      rule: 'import cap: a heat pump is locked when shedding reaches it',
      loads: [heatPump('hp', { priority: 9 })],
      settings: { importCapW: 5000 },
      steps: [at(0, -6000, { site: { loads: { hp: { powerW: 2500, on: true, sgReadyState: 'normal' } } } })],
      expect: { hp: ['lock', 'lock: import cap 5.0 kW'] },
    },
    {
      rule: 'main fuse: loads on the overloaded phase are shed, lowest priority first',
      loads: [onOff('kettle-l1', { mode: 'on' }), onOff('rod-3ph', { mode: 'on', priority: 2, powerW: 6000, phase: 'L1L2L3' })],
      settings: { fuseLimitA: 25 },
      steps: [at(0, 0, { site: { currentL1A: 10, currentL2A: 5, currentL3A: 5 } })],
      expect: {
        'kettle-l1': ['on', 'on: mode on'],
        'rod-3ph': ['off', 'shed: L1 fuse 25 A (projected 27.4 A)'],
      },
    },
    {
      rule: 'main fuse: without phase currents the check is skipped and the site says so',
      loads: [onOff('kettle', { mode: 'on' })],
      settings: { fuseLimitA: 25 },
      steps: [at(0, 0)],
      expect: { kettle: ['on', 'on: mode on'] },
      site: {
        reasons: [
          'surplus 0.0 kW = export 0.0 kW + managed loads 0.0 kW + battery 0.0 kW - margin 0.0 kW',
          'phase currents missing: main-fuse check skipped',
        ],
      },
    },
    {
      rule: 'main fuse overrides the minimum on-time',
      loads: [onOff('rod', { minOnSeconds: 600 })],
      settings: { fuseLimitA: 25 },
      steps: [at(0, 3000, { site: { currentL1A: 10, currentL2A: 0, currentL3A: 0 } }), at(5, 3000, { site: { currentL1A: 30, currentL2A: 0, currentL3A: 0 } })],
      expect: { rod: ['off', 'shed: L1 fuse 25 A (projected 30 A)'] },
    },
  ]);
});

describe('stale input', () => {
  const stale = { readingsTimestampMs: T0 - 45_000 };
  runRows([
    {
      rule: 'every load goes to its safe state and says why',
      loads: [
        onOff('off-safe', { mode: 'on' }),
        onOff('on-safe', { safeState: 'on' }),
        onOff('held', { safeState: 'hold', mode: 'on' }),
      ],
      steps: [at(0, 0, { atSeconds: 0 }), at(45, 0, { site: stale })],
      expect: {
        'off-safe': ['off', 'off: readings 90 s old > 30 s, safe state off'],
        'on-safe': ['on', 'on: readings 90 s old > 30 s, safe state on'],
        held: ['on', 'held: readings 90 s old > 30 s, safe state hold'],
      },
      site: { stale: true, reasons: ['readings 90 s old > 30 s: all loads in safe state'] },
    },
    {
      rule: 'with stale readings PV may produce only what may be exported',
      loads: [],
      settings: { exportLimitW: 2000, pvPeakW: 10000 },
      steps: [at(0, 0, { site: stale })],
      expect: {},
      site: { stale: true, inverterLimitW: 2000, inverterLimitPct: 20 },
    },
    {
      rule: 'a load without a reading goes to its safe state',
      loads: [onOff('rod', { mode: 'on' }), onOff('pump', { mode: 'on', priority: 2 })],
      steps: [at(0, 5000, { site: { loads: { pump: { powerW: 0, on: false } } } })],
      expect: {
        rod: ['off', 'off: no reading for this load, safe state off'],
        pump: ['on', 'on: mode on'],
      },
    },
  ]);
});
