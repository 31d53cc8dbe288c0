/**
 * Prices the optimisation can work with. An unknown import or export price counts as the mean
 * of the known ones: the plan neither rushes into nor avoids the unknown hours, and the
 * preference for later slots (see LATER_SLOT_PREFERENCE) makes a plan without any prices start
 * as late as it can.
 */
import type { PlannerSlot } from './types';

export interface SlotPrices {
  importEurPerKwh: number[];
  exportEurPerKwh: number[];
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function filled(values: (number | null)[]): number[] {
  const fallback = mean(values.filter((v): v is number => v !== null));
  return values.map((v) => v ?? fallback);
}

export function slotPrices(slots: PlannerSlot[]): SlotPrices {
  return {
    importEurPerKwh: filled(slots.map((s) => s.importEurPerKwh)),
    exportEurPerKwh: filled(slots.map((s) => s.exportEurPerKwh)),
  };
}

/** EUR per kWh of flexible load, falling towards the horizon end: among equal prices the later slot wins. */
export const LATER_SLOT_PREFERENCE_EUR_PER_KWH = 1e-5;

export function laterSlotPreference(slot: number, slotCount: number): number {
  return (LATER_SLOT_PREFERENCE_EUR_PER_KWH * (slotCount - slot)) / slotCount;
}
