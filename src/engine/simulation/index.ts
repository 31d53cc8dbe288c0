/** `hems simulate`: the real allocator over a time series with simple load and battery physics. */
export { parseScenario } from './scenario';
export type { Scenario } from './scenario';
export { parseSeries } from './series';
export type { SeriesRow } from './series';
export { simulate } from './simulate';
export type { SimulationKpis, SimulationResult } from './simulate';
export { resultCsv } from './result-csv';
export { SimulationInputError } from './errors';
export { NO_EXPORT_PROBE, zeroExportCapture } from './zero-export';
export type { ZeroExportCapture } from './zero-export';
