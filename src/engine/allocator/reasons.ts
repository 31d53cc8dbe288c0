/**
 * Every sentence the allocator says, in one table, so wording and number formats stay
 * consistent. A reason starts with the state the load ends up in ("on", "stage 2 of 3",
 * "waiting", "held on", "shed"), then a colon and the why. "surplus" in a load reason is the
 * part of the site surplus left for that load after higher-priority loads took theirs.
 */
import { formatLocalClock } from '../local-time';
import {
  formatCurrentA,
  formatDuration,
  formatPct,
  formatPowerKw,
  formatPriceEurPerKwh,
} from './format';

interface Threshold {
  surplusW: number;
  thresholdW: number;
}

interface Timer {
  elapsedSeconds: number;
  delaySeconds: number;
}

function forDelay(delaySeconds: number): string {
  return delaySeconds > 0 ? ` for ${formatDuration(delaySeconds)}` : '';
}

function before(target: string | undefined): string {
  return target === undefined ? '' : ` before ${target}`;
}

function timer(t: Timer): string {
  return `for ${formatDuration(t.elapsedSeconds)} of ${formatDuration(t.delaySeconds)}`;
}

const LOAD_TEMPLATES = {
  modeOff: (p: { state: string }) => `${p.state}: mode off`,
  modeOn: (p: { state: string }) => `${p.state}: mode on`,
  noDemand: (p: { state: string }) => `${p.state}: no demand (unplugged or satisfied)`,
  planned: (p: { state: string; why: string }) => `${p.state}: planned, ${p.why}`,
  surplusWorthMoreExported: (p: { state: string; surplusEurPerKwh: number; laterEurPerKwh: number; slot: string }) =>
    `${p.state}: surplus earns ${formatPriceEurPerKwh(p.surplusEurPerKwh)} exported now > ${formatPriceEurPerKwh(p.laterEurPerKwh)} planned ${p.slot}`,
  override: (p: { state: string; expiresAtMs?: number; timeZone: string }) =>
    p.expiresAtMs === undefined
      ? `override ${p.state}, no expiry`
      : `override ${p.state} until ${formatLocalClock(p.expiresAtMs, p.timeZone)}`,
  started: (p: { state: string; delaySeconds: number } & Threshold) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} ≥ ${formatPowerKw(p.thresholdW)}${forDelay(p.delaySeconds)}`,
  running: (p: { state: string } & Threshold) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} ≥ ${formatPowerKw(p.thresholdW)}`,
  belowStart: (p: { state: string } & Threshold) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} < ${formatPowerKw(p.thresholdW)}`,
  pendingUp: (p: { state: string; target?: string } & Threshold & Timer) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} ≥ ${formatPowerKw(p.thresholdW)} ${timer(p)}${before(p.target)}`,
  pendingDown: (p: { state: string; target?: string } & Threshold & Timer) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} < ${formatPowerKw(p.thresholdW)} ${timer(p)}${before(p.target)}`,
  stopped: (p: { state: string; delaySeconds: number } & Threshold) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} < ${formatPowerKw(p.thresholdW)}${forDelay(p.delaySeconds)}`,
  toleratedImportHold: (p: { state: string; importW: number; toleratedW: number; leftSeconds: number }) =>
    `${p.state}: importing ${formatPowerKw(p.importW)} ≤ ${formatPowerKw(p.toleratedW)} tolerated, ${formatDuration(p.leftSeconds)} left`,
  toleratedImportEnd: (p: { state: string; importW: number; seconds: number }) =>
    `${p.state}: importing ${formatPowerKw(p.importW)} for ${formatDuration(p.seconds)}`,
  minOnHold: (p: { leftSeconds: number }) => `held on: min on-time, ${formatDuration(p.leftSeconds)} left`,
  minOffWait: (p: { leftSeconds: number }) => `waiting: min off-time, ${formatDuration(p.leftSeconds)} left`,
  startsExhausted: (p: { starts: number; maxStarts: number; nextInSeconds: number }) =>
    `waiting: ${p.starts} starts in the last hour (max ${p.maxStarts}), next in ${formatDuration(p.nextInSeconds)}`,
  minimumFromGrid: (p: { state: string; surplusW: number }) =>
    `${p.state}: min+surplus minimum, surplus ${formatPowerKw(p.surplusW)}`,
  following: (p: { state: string; surplusW: number }) =>
    `${p.state}: following surplus ${formatPowerKw(p.surplusW)}`,
  phaseSwitchPending: (p: { state: string; phases: number; surplusW: number } & Timer) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)} calls for ${p.phases} ph ${timer(p)}`,
  phaseSwitched: (p: { state: string; phases: number; surplusW: number; delaySeconds: number }) =>
    `${p.state}: surplus ${formatPowerKw(p.surplusW)}, switched to ${p.phases} ph after ${formatDuration(p.delaySeconds)}`,
  priceForceOn: (p: { priceEurPerKwh: number; belowEurPerKwh: number }) =>
    `force_on: price ${formatPriceEurPerKwh(p.priceEurPerKwh)} < ${formatPriceEurPerKwh(p.belowEurPerKwh)}`,
  shedImportCap: (p: { state: string; capW: number }) => `${p.state}: import cap ${formatPowerKw(p.capW)}`,
  shedFuse: (p: { state: string; phase: string; limitA: number; projectedA: number }) =>
    `${p.state}: ${p.phase} fuse ${formatCurrentA(p.limitA)} (projected ${formatCurrentA(p.projectedA)})`,
  dimmed14a: (p: { state: string; limitW: number }) =>
    `${p.state}: §14a dimming, controllable loads ≤ ${formatPowerKw(p.limitW)}`,
  rippleLock: () => 'lock: ripple-control utility lock',
  stale: (p: { state: string; ageSeconds: number; limitSeconds: number; safeState: string }) =>
    `${p.state}: readings ${formatDuration(p.ageSeconds)} old > ${formatDuration(p.limitSeconds)}, safe state ${p.safeState}`,
  noReading: (p: { state: string; safeState: string }) =>
    `${p.state}: no reading for this load, safe state ${p.safeState}`,
};

const SITE_TEMPLATES = {
  siteSurplus: (p: { surplusW: number; gridPowerW: number; managedDrawW: number; batteryW: number; marginW: number }) =>
    `surplus ${formatPowerKw(p.surplusW)} = export ${formatPowerKw(-p.gridPowerW)} + managed loads ${formatPowerKw(p.managedDrawW)}` +
    ` + battery ${formatPowerKw(p.batteryW)} - margin ${formatPowerKw(p.marginW)}`,
  siteStale: (p: { ageSeconds: number; limitSeconds: number }) =>
    `readings ${formatDuration(p.ageSeconds)} old > ${formatDuration(p.limitSeconds)}: all loads in safe state`,
  siteStaleInverter: (p: { limitW: number }) =>
    `stale readings: inverter held to the export limit ${formatPowerKw(p.limitW)}`,
  siteImportCap: (p: { projectedW: number; capW: number; reducedLoads: number }) =>
    `import ${formatPowerKw(p.projectedW)} > cap ${formatPowerKw(p.capW)}: battery grid charging stopped, ${p.reducedLoads} load(s) reduced`,
  siteFuse: (p: { phase: string; projectedA: number; limitA: number; reducedLoads: number }) =>
    `${p.phase} ${formatCurrentA(p.projectedA)} > fuse ${formatCurrentA(p.limitA)}: ${p.reducedLoads} load(s) reduced`,
  siteCurrentsMissing: () => 'phase currents missing: main-fuse check skipped',
  siteDimming: (p: { limitW: number; reducedLoads: number }) =>
    `§14a dimming: controllable loads ≤ ${formatPowerKw(p.limitW)}, ${p.reducedLoads} load(s) reduced`,
  siteRippleRule: (p: { inputs: string; feedInPct: number }) =>
    `ripple control ${p.inputs}: feed-in ≤ ${formatPct(p.feedInPct)}`,
  siteRippleUnmatched: (p: { inputs: string }) => `ripple control ${p.inputs} matches no rule: feed-in not limited`,
  siteInverterLimit: (p: { limitW: number; limitPct: number | null; maxExportW: number }) =>
    `inverter limited to ${formatPowerKw(p.limitW)}${p.limitPct === null ? '' : ` (${formatPct(p.limitPct)} of PV peak)`}: export limit ${formatPowerKw(p.maxExportW)}`,
  probeOffering: (p: { creditW: number; limitW: number }) =>
    `probe: export held at the ${formatPowerKw(p.limitW)} limit, PV may give more: ${formatPowerKw(p.creditW)} offered to loads, kept while import does not rise`,
  probeWindowOpen: (p: { extraW: number; leftSeconds: number }) =>
    `probe: export limit raised by ${formatPowerKw(p.extraW)} for ${formatDuration(p.leftSeconds)} to see what PV can give`,
  probeWindowClosed: (p: { keptW: number }) =>
    `probe: PV gave ${formatPowerKw(p.keptW)} above the export limit; export limit back, that power offered to loads`,
  probeBackOff: (p: { importW: number; waitSeconds: number }) =>
    `probe backs off: importing ${formatPowerKw(p.importW)}, PV did not follow; next probe in ${formatDuration(p.waitSeconds)}`,
  probeWaiting: (p: { leftSeconds: number }) => `probe: PV did not follow, next probe in ${formatDuration(p.leftSeconds)}`,
  probeNoPv: () => 'probe: no PV, nothing hidden',
  probeImporting: (p: { importW: number }) => `probe: importing ${formatPowerKw(p.importW)}, nothing hidden`,
  probeNotCurtailed: (p: { exportW: number; limitW: number }) =>
    `probe: export ${formatPowerKw(p.exportW)} below the ${formatPowerKw(p.limitW)} limit, PV not held back`,
};

type Templates = typeof LOAD_TEMPLATES;
export type ReasonCode = keyof Templates;

export interface Reason {
  code: ReasonCode;
  text: string;
}

export function reason<C extends ReasonCode>(code: C, ...params: Parameters<Templates[C]>): Reason {
  const template = LOAD_TEMPLATES[code] as (...args: Parameters<Templates[C]>) => string;
  return { code, text: template(...params) };
}

type SiteTemplates = typeof SITE_TEMPLATES;

export function siteReason<C extends keyof SiteTemplates>(code: C, ...params: Parameters<SiteTemplates[C]>): string {
  const template = SITE_TEMPLATES[code] as (...args: Parameters<SiteTemplates[C]>) => string;
  return template(...params);
}
