/**
 * The installation check an installer runs once (Smappee calls it "validation of the
 * installation"): likely wiring errors judged from one reading. Pure.
 */
export type MeterRole = 'grid' | 'consumption' | 'production';

export interface InstallationFinding {
  code: 'voltage_out_of_range' | 'phase_missing' | 'reversed_ct' | 'ct_on_wrong_phase';
  phase?: 'L1' | 'L2' | 'L3';
  message: string;
}

/** EN 50160 allows 230 V −10 %/+10 % in normal operation; beyond 184–264 V something is wrong. */
export const VOLTAGE_RANGE_V = { min: 184, max: 264 } as const;
/** Below this a phase counts as absent, not merely low. */
const PHASE_PRESENT_V = 50;
/** A CT read against another phase's voltage is shifted by 120°: |cos φ| falls to 0.5 or less. */
const WRONG_PHASE_PF = 0.5;
/** Too little current makes the power factor meaningless. */
const PF_JUDGED_ABOVE_A = 1;
/** Consumption channels may show a little negative power from meter noise. */
const REVERSED_BELOW_W = -50;

const PHASES = [['l1', 'L1'], ['l2', 'L2'], ['l3', 'L3']] as const;
const fmt = (v: number, digits: number) => v.toFixed(digits);

export function checkInstallation(values: Readonly<Record<string, number>>, role: MeterRole): InstallationFinding[] {
  const findings: InstallationFinding[] = [];
  const present = PHASES.filter(([p]) => (values[`voltage_${p}_v`] ?? 0) >= PHASE_PRESENT_V);
  for (const [p, phase] of PHASES) {
    const voltage = values[`voltage_${p}_v`];
    if (voltage === undefined) continue;
    if (voltage < PHASE_PRESENT_V) {
      if (present.length > 0) findings.push({ code: 'phase_missing', phase, message: `${phase} has no voltage (${fmt(voltage, 1)} V): phase missing or its voltage input not connected` });
      continue;
    }
    if (voltage < VOLTAGE_RANGE_V.min || voltage > VOLTAGE_RANGE_V.max) {
      findings.push({ code: 'voltage_out_of_range', phase, message: `${phase} voltage ${fmt(voltage, 1)} V is outside ${VOLTAGE_RANGE_V.min}–${VOLTAGE_RANGE_V.max} V: check the voltage wiring of ${phase}` });
    }
    const power = values[`power_${p}_w`];
    if (role === 'consumption' && power !== undefined && power < REVERSED_BELOW_W) {
      findings.push({ code: 'reversed_ct', phase, message: `${phase} power is ${fmt(power, 0)} W on a consumption meter: the CT on ${phase} is reversed (or this channel measures generation)` });
    }
    if (role === 'production' && power !== undefined && power > -REVERSED_BELOW_W && values.power_w !== undefined && values.power_w < 0) {
      findings.push({ code: 'reversed_ct', phase, message: `${phase} power is ${fmt(power, 0)} W while the production meter's total is negative: the CT on ${phase} is reversed` });
    }
    const pf = values[`power_factor_${p}`];
    const current = values[`current_${p}_a`];
    if (pf !== undefined && current !== undefined && current > PF_JUDGED_ABOVE_A && Math.abs(pf) < WRONG_PHASE_PF) {
      findings.push({ code: 'ct_on_wrong_phase', phase, message: `${phase} power factor ${fmt(pf, 2)} at ${fmt(current, 1)} A: the CT of ${phase} may sit on another phase than its voltage` });
    }
  }
  return findings;
}
