/**
 * A hems-load's settings as the editor stores them → the allocator's LoadConfig and how the node
 * reports. Pure: tested without Node-RED.
 */
import { validateLoadConfig, type LoadConfig } from '../engine/allocator';
import type { LoadFeedback } from '../engine/optimiser';
import { assertDeviceId } from '../ha-discovery/topics';
import { settingsContract } from './contract';
import { optionalNumber } from './values';

/** Every key the runtime reads of a hems-load; the editor's defaults declare each (test/settings). */
export interface LoadNodeConfig {
  name?: string;
  version?: number;
  loadId: string;
  /** The hems-site config node. */
  site?: string;
  /** 0.1.0: the optimiser flow node's id; its site is found under it until the editor points the load at a hems-site. */
  optimiser?: string;
  kind: string;
  priority: string | number;
  mode: string;
  powerW?: string | number;
  /** W per stage, in switching order (0.1.0: text "2000, 2000", migrated). */
  stagePowersW?: unknown;
  minPowerW?: string | number;
  maxPowerW?: string | number;
  minCurrentA?: string | number;
  maxCurrentA?: string | number;
  phases?: string;
  phase?: string;
  recommendThresholdW?: string | number;
  forceOnThresholdW?: string | number;
  boostPowerW?: string | number;
  enableThresholdW?: string | number;
  disableThresholdW?: string | number;
  enableDelaySeconds?: string | number;
  disableDelaySeconds?: string | number;
  minOnSeconds?: string | number;
  minOffSeconds?: string | number;
  maxStartsPerHour?: string | number;
  toleratedImportW?: string | number;
  toleratedImportSeconds?: string | number;
  safeState?: string;
  controllable14a?: boolean;
  feedback?: string;
  sendEvery?: string;
}

function stagePowersOf(value: unknown): number[] {
  const problems = settingsContract.stagePowerProblems(value);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return value as number[];
}

const SINGLE_PHASES = ['L1', 'L2', 'L3'];

/** The editor offers five kinds of load; each maps to an allocator kind and its own fields. */
const EDITOR_KINDS: Record<string, (c: LoadNodeConfig) => Record<string, unknown>> = {
  on_off: (c) => ({ kind: 'on_off', powerW: optionalNumber(c.powerW), phase: c.phase || undefined }),
  stepped: (c) => ({ kind: 'stepped', stagePowersW: stagePowersOf(c.stagePowersW), phase: c.phase || undefined }),
  modulating_power: (c) => ({
    kind: 'modulating', control: 'power', minPowerW: optionalNumber(c.minPowerW), maxPowerW: optionalNumber(c.maxPowerW), phase: c.phase || undefined,
  }),
  ev: (c) => ({
    kind: 'modulating',
    control: 'current',
    minCurrentA: optionalNumber(c.minCurrentA),
    maxCurrentA: optionalNumber(c.maxCurrentA),
    phases: c.phases === 'auto' ? 'auto' : optionalNumber(c.phases || 1),
    singlePhase: SINGLE_PHASES.includes(String(c.phase)) ? c.phase : undefined,
  }),
  sg_ready: (c) => ({
    kind: 'sg_ready',
    recommendThresholdW: optionalNumber(c.recommendThresholdW),
    forceOnThresholdW: optionalNumber(c.forceOnThresholdW),
    boostPowerW: optionalNumber(c.boostPowerW),
    phase: c.phase || undefined,
  }),
};

function loadConfigOf(c: LoadNodeConfig): LoadConfig {
  const byKind = EDITOR_KINDS[c.kind];
  if (!byKind) throw new Error(`kind = ${JSON.stringify(c.kind)}: choose one of ${Object.keys(EDITOR_KINDS).join(', ')}`);
  const fields: Record<string, unknown> = {
    id: String(c.loadId ?? '').trim(),
    name: c.name || undefined,
    priority: optionalNumber(c.priority),
    mode: c.mode || 'surplus',
    ...byKind(c),
    enableThresholdW: optionalNumber(c.enableThresholdW),
    disableThresholdW: optionalNumber(c.disableThresholdW),
    enableDelaySeconds: optionalNumber(c.enableDelaySeconds),
    disableDelaySeconds: optionalNumber(c.disableDelaySeconds),
    minOnSeconds: optionalNumber(c.minOnSeconds),
    minOffSeconds: optionalNumber(c.minOffSeconds),
    maxStartsPerHour: optionalNumber(c.maxStartsPerHour),
    toleratedImportW: optionalNumber(c.toleratedImportW),
    toleratedImportSeconds: optionalNumber(c.toleratedImportSeconds),
    safeState: c.safeState || undefined,
    controllable14a: c.controllable14a || undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as LoadConfig;
}

export interface ParsedLoadNode {
  load: LoadConfig;
  feedback: LoadFeedback;
  everyCycle: boolean;
  /** The hems-site's id, or a 0.1.0 optimiser's node id (its site is published under it). */
  siteKey: string;
}

/** Checks a load's settings up front: the error names the field, its value and what to enter instead. */
export function parseLoadNodeConfig(c: LoadNodeConfig): ParsedLoadNode {
  const load = loadConfigOf(c);
  assertDeviceId(load.id, 'load id');
  const errors = validateLoadConfig(load);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('; '));
  const siteKey = c.site || c.optimiser;
  if (!siteKey) throw new Error('no site selected: open the node and pick the hems-site this load belongs to');
  return { load, feedback: c.feedback === 'measured' ? 'measured' : 'commanded', everyCycle: c.sendEvery === 'cycle', siteKey };
}

