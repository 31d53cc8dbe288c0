/** The price forecast message (docs/architecture.md, "Prices"): what hems-ha-price emits. */
export interface PriceSlot {
  /** ISO 8601 UTC, inclusive. */
  start: string;
  /** ISO 8601 UTC, exclusive; 15 or 60 minutes after start, as the integration gives it. */
  end: string;
  importEurPerKwh: number;
}

export type PriceIntegration = 'nordpool' | 'tibber' | 'entsoe';

export interface PriceForecast {
  unit: 'EUR/kWh';
  slots: PriceSlot[];
  source: { integration: PriceIntegration; entity?: string };
}

/** One price as an integration lists it, still in the sensor's own unit. */
export interface RawPricePoint {
  startMs: number;
  /** Only when the integration states it; otherwise the next start or the series' step decides. */
  endMs?: number;
  price: number;
}

/** Where "today" and "tomorrow" begin, for integrations that list bare numbers without times. */
export interface DayStarts {
  todayStartMs: number;
  tomorrowStartMs: number;
}

export type Attributes = Record<string, unknown>;

/** One integration's attribute style: how to recognise it and read its prices. */
export interface PriceFormat {
  integration: PriceIntegration;
  matches(attributes: Attributes): boolean;
  points(attributes: Attributes, days: DayStarts): RawPricePoint[];
  /** The unit the prices are in, when the attributes say so. */
  unit(attributes: Attributes): string | undefined;
}
