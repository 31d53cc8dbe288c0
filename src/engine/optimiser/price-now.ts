/**
 * The grid price now, from the price forecast message (docs/architecture.md "Prices"): the slot
 * that contains the cycle's time. Slots are parsed once when the message comes, so a cycle only
 * compares numbers.
 */
import type { PriceSlot } from '../prices';
import { showValue } from '../show-value';
import { invalid, valid, type Validated } from '../validation';

export interface TimedPrice {
  startMs: number;
  endMs: number;
  importEurPerKwh: number;
  /** Present when the forecast lists a separate feed-in price. */
  exportEurPerKwh?: number;
}


const SHAPE = 'expected the hems-ha-price message { payload: { slots: [{ start, end, importEurPerKwh }] } }';
const SLOTS = 'msg.payload.slots';

function parseSlot(slot: Partial<PriceSlot> & { exportEurPerKwh?: unknown }, index: number): TimedPrice | string {
  const startMs = typeof slot.start === 'string' ? Date.parse(slot.start) : Number.NaN;
  const endMs = typeof slot.end === 'string' ? Date.parse(slot.end) : Number.NaN;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
    return `${SLOTS}[${index}]: start ${showValue(slot.start)} / end ${showValue(slot.end)} must be ISO times with end after start`;
  }
  if (typeof slot.importEurPerKwh !== 'number' || !Number.isFinite(slot.importEurPerKwh)) {
    return `${SLOTS}[${index}].importEurPerKwh = ${showValue(slot.importEurPerKwh)}: must be a price in EUR/kWh`;
  }
  const price: TimedPrice = { startMs, endMs, importEurPerKwh: slot.importEurPerKwh };
  if (typeof slot.exportEurPerKwh === 'number' && Number.isFinite(slot.exportEurPerKwh)) price.exportEurPerKwh = slot.exportEurPerKwh;
  return price;
}

export function parsePrices(payload: unknown): Validated<TimedPrice[]> {
  const slots = (payload as { slots?: unknown } | undefined)?.slots;
  if (!Array.isArray(slots)) return invalid(`${SLOTS} = ${showValue(slots)}: ${SHAPE}`);
  const parsed: TimedPrice[] = [];
  for (const [index, slot] of slots.entries()) {
    const price = parseSlot(slot ?? {}, index);
    if (typeof price === 'string') return invalid(price);
    parsed.push(price);
  }
  return valid(parsed.sort((a, b) => a.startMs - b.startMs));
}

/** The slot containing `nowMs`; none once the forecast has run out, so an old price never counts as current. */
export function priceAt(slots: readonly TimedPrice[], nowMs: number): TimedPrice | undefined {
  return slots.find((slot) => slot.startMs <= nowMs && nowMs < slot.endMs);
}
