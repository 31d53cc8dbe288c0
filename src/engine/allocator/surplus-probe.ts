/**
 * Zero-export sites: once the inverter is held at the export limit (0 W or a low one), PV power
 * shows only what the house takes, not what the panels could give, so the surplus looks like
 * nothing. The probe looks for that hidden surplus in small, bounded steps and keeps what PV
 * follows:
 *
 * - It offers loads a credit on top of the measured surplus, one step at a time. A load that starts
 *   on it makes the inverter produce more; when grid import does not rise, PV covered it, and that
 *   part of the credit is kept (it now shows as the load's own draw). The next step probes the
 *   next load.
 * - With `maxExportW` above 0 it may also lift the export limit by that much for at most
 *   `maxSeconds` (an export window): what PV then exports above the limit is surplus seen at once.
 * - Import (or a battery discharging into the loads) means PV did not follow: the credit goes, the
 *   window closes, and the probe waits before it tries again.
 *
 * Pure: time is passed in, the memory it returns is the only state.
 */
import { siteReason } from './reasons';

export interface ZeroExportProbeSettings {
  /** Export the probe may allow above the limit, in W; 0 where the grid operator forbids any. */
  maxExportW: number;
  /** How long an export window may stay open, in s; also the longest export above the limit. */
  maxSeconds: number;
}

export interface ProbeMemory {
  /** Hidden surplus offered to loads now, on top of the measured surplus. */
  creditW: number;
  /** When the credit last grew by a step. */
  lastStepMs: number;
  /** What the managed loads drew at the last decision: a rise without import is what PV followed. */
  managedDrawW: number;
  /** No probing before this time after PV did not follow. */
  backOffUntilMs: number;
  /** What PV was last seen to give at most (a window it did not fill, or a load it covered only in part), and until when that holds. */
  ceiling: { powerW: number; untilMs: number } | null;
  /** Export window: open since, must close by, largest export above the limit seen in it. */
  window: { openedAtMs: number; closesAtMs: number; revealedW: number } | null;
  nextWindowAtMs: number;
}

export interface ProbeInput {
  nowMs: number;
  gridPowerW: number;
  pvPowerW: number;
  /** + charging; a battery that discharges to cover a load hides the import the probe watches for. */
  batteryPowerW: number;
  managedDrawW: number;
  /** The feed-in limit in force; null = not limited, nothing can be hidden. */
  maxExportW: number | null;
  pvPeakW: number | undefined;
  /** The most any one load needs to start: a larger credit would start several loads on one guess. */
  largestStartW: number;
  settings: ZeroExportProbeSettings | undefined;
  memory: ProbeMemory | undefined;
}

export interface ProbeOutcome {
  /** Added to the surplus the loads are offered. */
  creditW: number;
  /** Export allowed above the limit now (an open export window). */
  extraExportW: number;
  /** The window must close by then: decide again at that time. */
  decideByMs: number | null;
  reason: string | null;
  memory: ProbeMemory | undefined;
}

/** One probe step: the credit grows by this much... */
export const PROBE_STEP_W = 500;
/** ...at most this often, so each step's effect is seen on the meter before the next. */
export const PROBE_STEP_SECONDS = 15;
/** Import above this means PV did not follow; export within this of the limit means PV is held at it. */
export const PROBE_TOLERANCE_W = 100;
/** After PV did not follow, no probing for this long. */
export const PROBE_BACK_OFF_SECONDS = 300;
/** An export window opens at most this often. */
export const EXPORT_WINDOW_EVERY_SECONDS = 300;
/** How long what PV was seen to give at most holds: the sun moves on. */
export const PROBE_CEILING_SECONDS = 900;
/** Below this PV gives nothing to probe for (night). */
const MIN_PV_W = 50;

const OFF: ProbeOutcome = { creditW: 0, extraExportW: 0, decideByMs: null, reason: null, memory: undefined };

function freshMemory(input: ProbeInput): ProbeMemory {
  const { nowMs, managedDrawW } = input;
  return { creditW: 0, lastStepMs: nowMs, managedDrawW, backOffUntilMs: nowMs, ceiling: null, window: null, nextWindowAtMs: nowMs };
}

/** Nothing offered now; the memory keeps the timers. */
function idle(memory: ProbeMemory, input: ProbeInput, reason: string): ProbeOutcome {
  const next = { ...memory, creditW: 0, window: null, managedDrawW: input.managedDrawW, lastStepMs: input.nowMs };
  return { creditW: 0, extraExportW: 0, decideByMs: null, reason, memory: next };
}

function offering(memory: ProbeMemory, input: ProbeInput, creditW: number, lastStepMs: number, limitW: number): ProbeOutcome {
  const next = { ...memory, creditW, lastStepMs, window: null, managedDrawW: input.managedDrawW };
  return { creditW, extraExportW: 0, decideByMs: null, reason: siteReason('probeOffering', { creditW, limitW }), memory: next };
}

/**
 * PV did not follow: the credit goes. When loads had just taken more, what PV covered of that (the
 * rise less the import) is the most the probe offers for a while.
 */
function backOff(memory: ProbeMemory, input: ProbeInput, importW: number): ProbeOutcome {
  const { nowMs } = input;
  const riseW = input.managedDrawW - memory.managedDrawW;
  const ceiling = riseW > 0 ? { powerW: Math.max(0, riseW - importW), untilMs: nowMs + PROBE_CEILING_SECONDS * 1000 } : memory.ceiling;
  const backedOff = { ...memory, backOffUntilMs: nowMs + PROBE_BACK_OFF_SECONDS * 1000, ceiling };
  return idle(backedOff, input, siteReason('probeBackOff', { importW, waitSeconds: PROBE_BACK_OFF_SECONDS }));
}

function inWindow(memory: ProbeMemory, input: ProbeInput, settings: ZeroExportProbeSettings, limitW: number): ProbeOutcome {
  const window = memory.window!;
  const shownW = Math.max(0, -input.gridPowerW - limitW);
  const revealedW = Math.max(window.revealedW, shownW);
  const managedDrawW = input.managedDrawW;
  if (input.nowMs < window.closesAtMs) {
    // Export above the limit is surplus the loads see anyway: the credit counts only beyond it.
    const creditW = Math.max(0, memory.creditW - shownW);
    const next = { ...memory, window: { ...window, revealedW }, managedDrawW };
    const reason = siteReason('probeWindowOpen', { extraW: settings.maxExportW, leftSeconds: (window.closesAtMs - input.nowMs) / 1000 });
    return { creditW, extraExportW: settings.maxExportW, decideByMs: window.closesAtMs, reason, memory: next };
  }
  // What PV gave above the limit is kept as credit, so loads can start on it once the window is shut.
  // A window PV did not fill shows all there is: the credit grows no further until the next one.
  const filled = revealedW >= settings.maxExportW - PROBE_TOLERANCE_W;
  const creditW = filled ? Math.max(memory.creditW, revealedW) : revealedW;
  const nextWindowAtMs = input.nowMs + EXPORT_WINDOW_EVERY_SECONDS * 1000;
  const ceiling = filled ? memory.ceiling : { powerW: revealedW, untilMs: nextWindowAtMs };
  const next = { ...memory, creditW, lastStepMs: input.nowMs, ceiling, window: null, managedDrawW, nextWindowAtMs };
  return { creditW, extraExportW: 0, decideByMs: null, reason: siteReason('probeWindowClosed', { keptW: revealedW }), memory: next };
}

function openWindow(memory: ProbeMemory, input: ProbeInput, settings: ZeroExportProbeSettings): ProbeOutcome {
  const closesAtMs = input.nowMs + settings.maxSeconds * 1000;
  const next = { ...memory, window: { openedAtMs: input.nowMs, closesAtMs, revealedW: 0 }, managedDrawW: input.managedDrawW };
  const reason = siteReason('probeWindowOpen', { extraW: settings.maxExportW, leftSeconds: settings.maxSeconds });
  return { creditW: memory.creditW, extraExportW: settings.maxExportW, decideByMs: closesAtMs, reason, memory: next };
}

/** The credit one step further, within what the PV peak leaves, what PV was last seen to give and what one load needs. */
function grownCreditW(memory: ProbeMemory, input: ProbeInput, keptCreditW: number): number {
  const roomW = Math.min(input.largestStartW, Math.max(0, (input.pvPeakW ?? input.pvPowerW) - input.pvPowerW));
  const ceilingW = memory.ceiling !== null && input.nowMs < memory.ceiling.untilMs ? memory.ceiling.powerW : Number.POSITIVE_INFINITY;
  return Math.min(roomW, Math.max(keptCreditW, Math.min(ceilingW, keptCreditW + PROBE_STEP_W)));
}

export function probeHiddenSurplus(input: ProbeInput): ProbeOutcome {
  const { settings, maxExportW: limitW, nowMs } = input;
  if (settings === undefined || limitW === null) return OFF;
  const memory = input.memory ?? freshMemory(input);
  const importW = Math.max(0, input.gridPowerW) + Math.max(0, -input.batteryPowerW);
  const probing = memory.creditW > 0 || memory.window !== null;

  if (importW > PROBE_TOLERANCE_W && probing) return backOff(memory, input, importW);
  if (input.pvPowerW < MIN_PV_W) return idle(memory, input, siteReason('probeNoPv'));
  if (importW > PROBE_TOLERANCE_W) return idle(memory, input, siteReason('probeImporting', { importW }));
  if (nowMs < memory.backOffUntilMs) return idle(memory, input, siteReason('probeWaiting', { leftSeconds: (memory.backOffUntilMs - nowMs) / 1000 }));
  if (memory.window !== null) return inWindow(memory, input, settings, limitW);

  const exportW = -input.gridPowerW;
  if (exportW < limitW - PROBE_TOLERANCE_W) return idle(memory, input, siteReason('probeNotCurtailed', { exportW, limitW }));
  if (settings.maxExportW > 0 && nowMs >= memory.nextWindowAtMs) return openWindow(memory, input, settings);

  // What the loads now draw more than at the last decision, without import: PV followed, keep it.
  const followedW = Math.max(0, input.managedDrawW - memory.managedDrawW);
  const keptCreditW = Math.max(0, memory.creditW - followedW);
  const stepDue = nowMs - memory.lastStepMs >= PROBE_STEP_SECONDS * 1000;
  const creditW = stepDue ? grownCreditW(memory, input, keptCreditW) : keptCreditW;
  return offering(memory, input, creditW, stepDue ? nowMs : memory.lastStepMs, limitW);
}

