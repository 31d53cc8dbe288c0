/** Forecasts the planner falls back on when no better one comes in (docs/planner.md, "Forecasts"). */
export { pvPersistenceForecast, DEFAULT_PV_PERSISTENCE_DAYS } from './pv-persistence';
export { pvNowcastForecast } from './pv-nowcast';
export { baseLoadProfileForecast, DEFAULT_BASE_LOAD_DAYS } from './base-load-profile';
export { powerAt } from './measured-series';
export type { MeasuredSeries, PowerSample } from './measured-series';
export { pvForecastFromHa } from './ha-solar-forecast';
export type { HaSolarForecasts, PvForecastPayload } from './ha-solar-forecast';
