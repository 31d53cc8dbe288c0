/** Price units as sensors state them, to EUR/kWh: hems plans in euros per kilowatt-hour. */

/** Money part of the unit → euros. Nord Pool writes "c" for euro cents; others "ct" or "Cent". */
const MONEY_TO_EUR: Readonly<Record<string, number>> = {
  eur: 1,
  '€': 1,
  ct: 0.01,
  c: 0.01,
  cent: 0.01,
  cents: 0.01,
  'c€': 0.01,
};

/** Energy part of the unit → per kWh. A bare currency (Tibber's unit is often just "EUR") means per kWh. */
const PER_ENERGY_TO_PER_KWH: Readonly<Record<string, number>> = {
  kwh: 1,
  mwh: 0.001,
  wh: 1000,
};

/** The factor that turns a price in `unit` into EUR/kWh. */
export function eurPerKwhFactor(unit: string): number {
  const [money, energy = 'kwh', ...rest] = unit.trim().toLowerCase().split('/').map((s) => s.trim());
  const moneyFactor = MONEY_TO_EUR[money];
  const energyFactor = PER_ENERGY_TO_PER_KWH[energy];
  if (moneyFactor === undefined || energyFactor === undefined || rest.length > 0) {
    throw new Error(
      `price unit "${unit}" is not one hems converts (EUR/kWh, ct/kWh, EUR/MWh): set the price integration's currency to EUR, or pick the unit in the node`,
    );
  }
  return moneyFactor * energyFactor;
}
