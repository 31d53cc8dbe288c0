/**
 * Ripple-control receiver (Rundsteuerempfänger): the grid operator's digital inputs select a
 * feed-in percentage, and optionally §14a consumption dimming or a heat-pump utility lock.
 */
import { siteReason } from './reasons';
import type { RippleControlRule } from './types';

export interface RippleOutcome {
  feedInPct: number;
  dimConsumption: boolean;
  lockHeatPumps: boolean;
  siteReason: string | null;
}

const UNRESTRICTED: RippleOutcome = { feedInPct: 100, dimConsumption: false, lockHeatPumps: false, siteReason: null };

function inputPattern(inputs: boolean[]): string {
  return inputs.map((closed) => (closed ? '1' : '0')).join('');
}

export function evaluateRippleControl(rules: RippleControlRule[] | undefined, inputs: boolean[] | undefined): RippleOutcome {
  if (rules === undefined || rules.length === 0) return UNRESTRICTED;
  const pattern = inputs === undefined ? '(no inputs)' : inputPattern(inputs);
  const rule = rules.find((candidate) => candidate.inputs === pattern);
  if (rule === undefined) return { ...UNRESTRICTED, siteReason: siteReason('siteRippleUnmatched', { inputs: pattern }) };
  return {
    feedInPct: rule.feedInPct,
    dimConsumption: rule.dimConsumption ?? false,
    lockHeatPumps: rule.lockHeatPumps ?? false,
    siteReason: siteReason('siteRippleRule', { inputs: pattern, feedInPct: rule.feedInPct }),
  };
}
