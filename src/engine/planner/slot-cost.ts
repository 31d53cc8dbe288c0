/**
 * What a kWh of flexible load costs in each slot of a plan, at the margin: in a slot that imports,
 * the import price; in one that exports (or fills the battery from PV), the feed-in price the
 * energy would otherwise earn; in one that curtails PV, nothing. A load taking its energy
 * elsewhere saves this much per kWh it no longer draws here (docs/allocator.md "Surplus against the plan").
 */
import type { Plan, PlannerInput } from './types';

/** Below this a flow counts as none: solver noise, not a slot that imports or exports. */
const FLOW_EPSILON_W = 1;

/** Slot start → the plan's marginal cost of energy there; null where the price is not known yet. */
export function marginalCostsEurPerKwh(plan: Plan, input: PlannerInput): Map<number, number | null> {
  const prices = new Map(input.slots.map((slot) => [slot.startMs, slot]));
  return new Map(
    plan.site.map((flows) => {
      const slot = prices.get(flows.startMs);
      if (flows.pvCurtailedW > FLOW_EPSILON_W) return [flows.startMs, 0];
      const fromPv = flows.gridW < -FLOW_EPSILON_W || (flows.gridW <= FLOW_EPSILON_W && flows.batteryW > FLOW_EPSILON_W);
      return [flows.startMs, (fromPv ? slot?.exportEurPerKwh : slot?.importEurPerKwh) ?? null];
    }),
  );
}
