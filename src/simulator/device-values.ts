/**
 * What each simulated device shows of the household's power flows: canonical values for the
 * Modbus devices (written into their profiles' registers) and the payloads of the MQTT devices in
 * their own formats. Pure.
 */
import type { HouseholdState, PowerFlows } from './household-model';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The SUN2000 inverter (profile sun2000): DC input from the panels, AC output to the house. */
export function inverterValues(flows: PowerFlows, state: HouseholdState, gridVoltagesV: readonly number[]): Record<string, number> {
  const [v1, v2, v3] = gridVoltagesV;
  const phaseCurrentA = (v: number) => Math.abs(flows.inverterAcW) / 3 / v;
  return {
    pv_power_w: flows.pvW,
    inverter_power_w: flows.inverterAcW,
    reactive_power_var: 0,
    power_factor: flows.inverterAcW > 0 ? 0.999 : 1,
    frequency_hz: 50,
    voltage_l1_v: v1,
    voltage_l2_v: v2,
    voltage_l3_v: v3,
    voltage_l1_l2_v: v1 * Math.sqrt(3),
    voltage_l2_l3_v: v2 * Math.sqrt(3),
    voltage_l3_l1_v: v3 * Math.sqrt(3),
    current_l1_a: phaseCurrentA(v1),
    current_l2_a: phaseCurrentA(v2),
    current_l3_a: phaseCurrentA(v3),
    pv_energy_kwh: state.pvKwh,
  };
}

/** The LUNA2000 battery (profile sun2000-battery). */
export function batteryValues(flows: PowerFlows, state: HouseholdState): Record<string, number> {
  return {
    battery_soc_pct: state.batterySocPct,
    battery_power_w: flows.batteryW,
    battery_charge_energy_kwh: state.batteryChargeKwh,
    battery_discharge_energy_kwh: state.batteryDischargeKwh,
  };
}

/** The heat pump's Shelly Pro 3EM (triphase profile): `status/em:0` and `status/emdata:0`, energies in Wh. */
export function shellyPro3emStatus(flows: PowerFlows, state: HouseholdState, voltagesV: readonly number[]) {
  const phaseW = flows.heatPumpW / 3;
  const em: Record<string, number | null> = { id: 0, n_current: null };
  const emdata: Record<string, number> = { id: 0 };
  let totalCurrentA = 0;
  (['a', 'b', 'c'] as const).forEach((phase, i) => {
    const voltage = voltagesV[i];
    const currentA = phaseW > 0 ? phaseW / 0.95 / voltage : 0.02;
    totalCurrentA += currentA;
    Object.assign(em, {
      [`${phase}_voltage`]: round(voltage, 1),
      [`${phase}_current`]: round(currentA, 3),
      [`${phase}_act_power`]: round(phaseW, 1),
      [`${phase}_aprt_power`]: round(currentA * voltage, 1),
      [`${phase}_pf`]: phaseW > 0 ? 0.95 : 0,
      [`${phase}_freq`]: 50,
    });
    emdata[`${phase}_total_act_energy`] = round((state.heatPumpKwh * 1000) / 3, 2);
    emdata[`${phase}_total_act_ret_energy`] = 0;
  });
  Object.assign(em, { total_current: round(totalCurrentA, 3), total_act_power: round(flows.heatPumpW, 1), total_aprt_power: round(flows.heatPumpW / 0.95, 1) });
  emdata.total_act = round(state.heatPumpKwh * 1000, 2);
  emdata.total_act_ret = 0;
  return { em, emdata };
}

/** The pool pump's Shelly Plus 1PM: the `switch:0` status (Shelly Gen2 Switch.GetStatus). */
export function shellySwitchStatus(on: boolean, flows: PowerFlows, state: HouseholdState, voltageV: number) {
  return {
    id: 0,
    source: 'MQTT',
    output: on,
    apower: round(flows.poolPumpW, 1),
    voltage: round(voltageV, 1),
    current: round(flows.poolPumpW / voltageV, 3),
    aenergy: { total: round(state.poolPumpKwh * 1000, 3) },
    temperature: { tC: 41.2, tF: 106.2 },
  };
}

/** The wallbox's status message (the demo's own JSON: set-point, phases, power, energy). */
export function wallboxStatus(currentA: number, phases: 1 | 3, flows: PowerFlows, state: HouseholdState) {
  return { currentA, phases, charging: flows.evW > 0, powerW: round(flows.evW, 0), energyKwh: round(state.evKwh, 3) };
}
