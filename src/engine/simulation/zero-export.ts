/**
 * How much of the PV a free-export site gives its loads a zero-export site still captures: the
 * same scenario and series run three times, with export free, at 0 W held by the inverter itself
 * (it gives min(available PV, what the site takes)) without the probe, and the same with the probe.
 */
import type { ZeroExportProbeSettings } from '../allocator';
import type { Scenario } from './scenario';
import type { SeriesRow } from './series';
import { simulate, type SimulationKpis } from './simulate';

export interface ZeroExportCapture {
  /** PV energy the managed loads drew with export free, at 0 W without the probe, at 0 W with it. */
  freeKwh: number;
  withoutProbeKwh: number;
  withProbeKwh: number;
  /** withProbeKwh / freeKwh (1 when the free run gives its loads no PV). */
  capturedShare: number;
  /** The zero-export run with the probe, in full. */
  withProbe: SimulationKpis;
}

/** Loads only, no export at all: what a grid operator that forbids any export allows. */
export const NO_EXPORT_PROBE: ZeroExportProbeSettings = { maxExportW: 0, maxSeconds: 30 };

export function zeroExportCapture(scenario: Scenario, series: readonly SeriesRow[], probe: ZeroExportProbeSettings = NO_EXPORT_PROBE): ZeroExportCapture {
  const { exportLimitW: _free, exportLimitPctOfPvPeak: _freePct, zeroExportProbe: _probe, ...freeSite } = scenario.site;
  const zeroSite = { ...freeSite, exportLimitW: 0 };
  const run = (site: Scenario['site'], pvCurtailment: Scenario['pvCurtailment']) => simulate({ ...scenario, site, pvCurtailment }, series).kpis;
  const free = run(freeSite, 'hems');
  const withoutProbe = run(zeroSite, 'inverter');
  const withProbe = run({ ...zeroSite, zeroExportProbe: probe }, 'inverter');
  return {
    freeKwh: free.pv_to_loads_kwh,
    withoutProbeKwh: withoutProbe.pv_to_loads_kwh,
    withProbeKwh: withProbe.pv_to_loads_kwh,
    capturedShare: free.pv_to_loads_kwh > 0 ? withProbe.pv_to_loads_kwh / free.pv_to_loads_kwh : 1,
    withProbe,
  };
}
