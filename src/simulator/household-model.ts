/**
 * The physics of the demo household: one model behind every simulated device, so what the
 * controller switches on shows up at the grid meter and the battery answers it. PV and the base
 * load come from the real sample (household.ts); the managed loads draw what their relays, SG
 * Ready contacts and current set-point allow; the LUNA2000 battery on the SUN2000's DC side does
 * self-consumption within its limits; the SUN2000 curtails PV to an export limit written to it.
 * Pure: state, the devices' inputs and the time step in; state and power flows out.
 */
import { householdAt } from './household';

/** What the controller can change at the devices: relay outputs, contacts, set-points, limits. */
export interface HouseholdControls {
  waterHeaterOn: boolean;
  /** SG Ready contacts of the heat pump (BWP: lock 1:0, normal 0:0, recommend 0:1, force on 1:1). */
  sgContact1: boolean;
  sgContact2: boolean;
  poolPumpOn: boolean;
  /** The wallbox's set-point; below 6 A (IEC 61851) it does not charge. */
  evCurrentA: number;
  evPhases: 1 | 3;
  /** Feed-in cap the SUN2000 regulates on its grid meter; undefined: none. */
  exportLimitW: number | undefined;
}

export const CONTROLS_AT_START: HouseholdControls = {
  waterHeaterOn: false,
  sgContact1: false,
  sgContact2: false,
  poolPumpOn: false,
  evCurrentA: 0,
  evPhases: 3,
  exportLimitW: undefined,
};

export interface HouseholdConfig {
  waterHeaterW: number;
  poolPumpW: number;
  /** Heat pump electric power per SG Ready state (an inverter heat pump: it modulates, it does not cycle). */
  heatPumpW: Record<SgReadyContactsState, number>;
  voltageV: number;
  batteryCapacityWh: number;
  batteryMaxChargeW: number;
  batteryMaxDischargeW: number;
  batteryMinSocPct: number;
  /** Charging losses: energy stored per energy taken. */
  batteryChargeEfficiency: number;
  /** The inverter's AC rating: PV plus battery discharge never exceed it. */
  inverterRatedW: number;
}

/** A SUN2000-8KTL-M1 with a 10 kWh LUNA2000 (5 kW charge and discharge), a 2 kW water heater, a small heat pump, a pool pump. */
export const DEMO_HOUSEHOLD: HouseholdConfig = {
  waterHeaterW: 2000,
  poolPumpW: 800,
  heatPumpW: { lock: 0, normal: 500, recommend: 1800, force_on: 2600 },
  voltageV: 230,
  batteryCapacityWh: 10_000,
  batteryMaxChargeW: 5000,
  batteryMaxDischargeW: 5000,
  batteryMinSocPct: 5,
  batteryChargeEfficiency: 0.95,
  inverterRatedW: 8000,
};

export type SgReadyContactsState = 'lock' | 'normal' | 'recommend' | 'force_on';

/** The BWP table: contact 1 and 2 closed or open → state. */
export function sgReadyStateOf(contact1: boolean, contact2: boolean): SgReadyContactsState {
  if (contact1) return contact2 ? 'force_on' : 'lock';
  return contact2 ? 'recommend' : 'normal';
}

export interface HouseholdState {
  simMs: number;
  batterySocPct: number;
  /** Lifetime counters, kWh. */
  pvKwh: number;
  batteryChargeKwh: number;
  batteryDischargeKwh: number;
  heatPumpKwh: number;
  poolPumpKwh: number;
  evKwh: number;
}

export function newHousehold(simMs: number, batterySocPct: number): HouseholdState {
  return { simMs, batterySocPct, pvKwh: 18_432.5, batteryChargeKwh: 2_210.4, batteryDischargeKwh: 2_050.9, heatPumpKwh: 6_120.7, poolPumpKwh: 310.2, evKwh: 4_870.3 };
}

/** Every power in the house at one moment, W; grid + = import, battery + = charging. */
export interface PowerFlows {
  baseLoadW: number;
  waterHeaterW: number;
  heatPumpW: number;
  heatPumpState: SgReadyContactsState;
  poolPumpW: number;
  evW: number;
  /** What the panels could give, and what the inverter takes from them after curtailment. */
  pvAvailableW: number;
  pvW: number;
  batteryW: number;
  /** The inverter's AC output: PV minus battery charging plus discharging. */
  inverterAcW: number;
  gridW: number;
  /** All consumption: base load and managed loads. */
  houseW: number;
}

const HOUR_MS = 3_600_000;

const evDrawW = (controls: HouseholdControls, voltageV: number) => (controls.evCurrentA >= 6 ? controls.evCurrentA * controls.evPhases * voltageV : 0);

/** Battery power that covers the house from PV first, within power and charge limits (+ = charging). */
function selfConsumptionW(config: HouseholdConfig, socPct: number, surplusW: number, hours: number): number {
  const storedWh = (socPct / 100) * config.batteryCapacityWh;
  if (surplusW >= 0) {
    // Charging tapers over the last 5 % as a real battery management system does.
    const taper = Math.min(1, Math.max(0, (100 - socPct) / 5));
    const roomW = hours > 0 ? (config.batteryCapacityWh - storedWh) / config.batteryChargeEfficiency / hours : Infinity;
    return Math.min(surplusW, config.batteryMaxChargeW * taper, roomW);
  }
  const usableWh = storedWh - (config.batteryMinSocPct / 100) * config.batteryCapacityWh;
  const availableW = hours > 0 ? Math.max(0, usableWh) / hours : Infinity;
  return -Math.min(-surplusW, config.batteryMaxDischargeW, availableW);
}

/** Advances the household by `dtMs` under the given controls. */
export function stepHousehold(state: HouseholdState, controls: HouseholdControls, dtMs: number, config: HouseholdConfig = DEMO_HOUSEHOLD) {
  const simMs = state.simMs + dtMs;
  const hours = dtMs / HOUR_MS;
  const sample = householdAt(simMs);
  const heatPumpState = sgReadyStateOf(controls.sgContact1, controls.sgContact2);
  const loads = {
    waterHeaterW: controls.waterHeaterOn ? config.waterHeaterW : 0,
    heatPumpW: config.heatPumpW[heatPumpState],
    poolPumpW: controls.poolPumpOn ? config.poolPumpW : 0,
    evW: evDrawW(controls, config.voltageV),
  };
  const houseW = sample.loadW + loads.waterHeaterW + loads.heatPumpW + loads.poolPumpW + loads.evW;
  const pvAvailableW = Math.min(sample.pvW, config.inverterRatedW);
  let batteryW = selfConsumptionW(config, state.batterySocPct, pvAvailableW - houseW, hours);
  let pvW = pvAvailableW;
  // The SUN2000 holds the export at its grid meter to the limit: the battery keeps charging, PV gives way.
  if (controls.exportLimitW !== undefined) {
    const exportW = pvW - batteryW - houseW;
    if (exportW > controls.exportLimitW) pvW -= exportW - controls.exportLimitW;
  }
  const inverterAcW = Math.min(pvW - batteryW, config.inverterRatedW);
  batteryW = pvW - inverterAcW;
  const gridW = houseW - inverterAcW;
  const chargeKwh = (Math.max(0, batteryW) * hours) / 1000;
  const dischargeKwh = (Math.max(0, -batteryW) * hours) / 1000;
  const storedKwh = chargeKwh * config.batteryChargeEfficiency - dischargeKwh;
  const next: HouseholdState = {
    simMs,
    batterySocPct: Math.min(100, Math.max(0, state.batterySocPct + (storedKwh * 1000 * 100) / config.batteryCapacityWh)),
    pvKwh: state.pvKwh + (pvW * hours) / 1000,
    batteryChargeKwh: state.batteryChargeKwh + chargeKwh,
    batteryDischargeKwh: state.batteryDischargeKwh + dischargeKwh,
    heatPumpKwh: state.heatPumpKwh + (loads.heatPumpW * hours) / 1000,
    poolPumpKwh: state.poolPumpKwh + (loads.poolPumpW * hours) / 1000,
    evKwh: state.evKwh + (loads.evW * hours) / 1000,
  };
  const flows: PowerFlows = { baseLoadW: sample.loadW, ...loads, heatPumpState, pvAvailableW, pvW, batteryW, inverterAcW, gridW, houseW };
  return { state: next, flows };
}
