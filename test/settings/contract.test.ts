/**
 * The settings contract: every key a node's runtime reads is declared in its editor `defaults`
 * (else the editor drops it on the first deploy, as it did the optimiser's ripple settings), every
 * node's defaults carry the current settings version, and every migration step does what it says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { settingsContract } from '../../src/settings/contract';

const ROOT = join(__dirname, '..', '..');
const TYPES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

/** Properties Node-RED itself gives every node; no editor default declares them. */
const NODE_RED_OWN = ['id', 'type', 'z', 'g', 'd', 'x', 'y', 'wires', '_users', 'credentials'];
/** Keys only a migration makes, never stored: a 0.1.0 optimiser's site settings, for the runtime to build its site from. */
const MIGRATED_ONLY: Record<string, string[]> = { 'hems-optimiser': ['legacySite'] };

type Defaults = Record<string, { value?: unknown; type?: string }>;

/** Each node's editor `defaults`, by running its registerType script against a stand-in RED. */
function editorDefaults(type: string): Defaults {
  const html = readFileSync(join(ROOT, 'nodes', `${type}.html`), 'utf8');
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const registered: Record<string, { defaults: Defaults }> = {};
  const validator = () => () => true;
  const RED = {
    nodes: { registerType: (name: string, def: { defaults: Defaults }) => (registered[name] = def) },
    validators: { number: validator, regex: validator, typedInput: validator },
    _: (key: string) => key,
  };
  for (const script of scripts) runInNewContext(script, { RED, window: {}, $: () => ({}) });
  if (!registered[type]) throw new Error(`${type}.html registers no ${type}`);
  return registered[type].defaults;
}

/** The config keys each node's runtime reads: the properties of its constructor's config parameter type. */
function runtimeKeys(): Record<string, string[]> {
  const files = TYPES.map((type) => join(ROOT, 'nodes', `${type}.ts`));
  const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const keys: Record<string, string[]> = {};
  for (const type of TYPES) {
    const source = program.getSourceFile(join(ROOT, 'nodes', `${type}.ts`))!;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText(source) === 'registerNodeType' && node.arguments[1]?.getText(source) === `'${type}'`) {
        const symbol = checker.getSymbolAtLocation(node.arguments[2]);
        const declaration = symbol?.valueDeclaration as ts.FunctionDeclaration | undefined;
        const config = declaration?.parameters.find((p) => p.name.getText(source) !== 'this');
        if (config) keys[type] = checker.getPropertiesOfType(checker.getTypeAtLocation(config)).map((p) => p.name);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (!keys[type]) throw new Error(`nodes/${type}.ts: no registerNodeType(RED, '${type}', constructor) with a config parameter found`);
  }
  return keys;
}

/** Keys the runtime reads that the editor does not declare. */
function undeclared(read: string[], defaults: Defaults, type: string): string[] {
  return read.filter((key) => !Object.hasOwn(defaults, key) && !NODE_RED_OWN.includes(key) && !(MIGRATED_ONLY[type] ?? []).includes(key));
}

describe('every key a node reads is declared in its editor defaults', () => {
  const read = runtimeKeys();
  const defaults = Object.fromEntries(TYPES.map((type) => [type, editorDefaults(type)]));

  it.each(TYPES)('%s', (type) => {
    expect(read[type].length).toBeGreaterThan(0);
    expect(undeclared(read[type], defaults[type], type)).toEqual([]);
  });

  it('the check fails when any declared key that the runtime reads is removed from the defaults', () => {
    for (const type of TYPES) {
      for (const key of read[type].filter((k) => Object.hasOwn(defaults[type], k))) {
        const { [key]: _removed, ...fewer } = defaults[type];
        expect(undeclared(read[type], fewer, type)).toEqual([key]);
      }
    }
  });

  it('the optimiser’s site reads its ripple-control settings, and the hems-site editor declares them', () => {
    for (const key of ['rippleInputs', 'rippleRules', 'rippleBus', 'rippleUnitId', 'rippleAddress']) {
      expect(read['hems-site']).toContain(key);
      expect(defaults['hems-site']).toHaveProperty(key);
    }
  });

  it.each(TYPES)('%s saves the current settings version', (type) => {
    expect(defaults[type].version?.value).toBe(settingsContract.currentVersion(type));
  });
});

describe('migrations, one step at a time', () => {
  it('every node type has one step per version, and a flow without a version is version 0', () => {
    for (const type of TYPES) {
      expect(settingsContract.MIGRATIONS[type]).toHaveLength(settingsContract.currentVersion(type));
      expect(settingsContract.migrate(type, {}).version).toBe(settingsContract.currentVersion(type));
    }
  });

  it('a node type whose settings did not change from 0.1.0 keeps them as they were', () => {
    const unchanged = TYPES.filter((t) => !['hems-optimiser', 'hems-load', 'hems-planner', 'hems-site'].includes(t));
    for (const type of unchanged) expect(settingsContract.migrate(type, { name: 'x', port: 502, profile: { a: 1 } })).toEqual({ name: 'x', port: 502, profile: { a: 1 }, version: 1 });
  });

  it('hems-site 1 → 2: the zero-export probe, off, as the site had it; a site that has it keeps it', () => {
    expect(settingsContract.migrate('hems-site', { name: 'home', gridDevice: 'grid', version: 1 })).toEqual({
      name: 'home', gridDevice: 'grid', zeroExportProbe: 'off', probeMaxExportW: 0, probeMaxSeconds: 30, timeZone: '', version: 3,
    });
    const probing = { gridDevice: 'grid', zeroExportProbe: 'on', probeMaxExportW: 400, probeMaxSeconds: 20, version: 2 };
    expect(settingsContract.migrate('hems-site', probing)).toEqual({ ...probing, timeZone: '', version: 3 });
  });

  it('hems-site 2 → 3: a site saved before it had a time zone keeps the host\'s (blank)', () => {
    expect(settingsContract.migrate('hems-site', { gridDevice: 'grid', zeroExportProbe: 'off', probeMaxExportW: 0, probeMaxSeconds: 30, version: 2 })).toEqual({
      gridDevice: 'grid', zeroExportProbe: 'off', probeMaxExportW: 0, probeMaxSeconds: 30, timeZone: '', version: 3,
    });
    expect(settingsContract.migrate('hems-site', { timeZone: 'Asia/Kathmandu', version: 2 })).toEqual({ timeZone: 'Asia/Kathmandu', version: 3 });
  });

  it('hems-optimiser 0 → 1: the site settings move to legacySite, ripple rules from JSON text to a list', () => {
    const rules = [{ inputs: '10', feedInPct: 60 }];
    const migrated = settingsContract.migrate('hems-optimiser', {
      name: 'Opt', deviceId: 'home', cycleSeconds: 5, gridDevice: 'grid', strategy: 'pv_surplus', pvPeakW: 8000,
      rippleInputs: 'k1', rippleRules: JSON.stringify(rules), rippleBus: 'bus', rippleUnitId: 3, rippleAddress: 10, ha: 'bridge',
    });
    expect(migrated).toEqual({
      name: 'Opt', cycleSeconds: 5, site: '', version: 1,
      legacySite: {
        name: 'Opt', version: 3, zeroExportProbe: 'off', probeMaxExportW: 0, probeMaxSeconds: 30, timeZone: '', deviceId: 'home', gridDevice: 'grid', strategy: 'pv_surplus', pvPeakW: 8000,
        rippleInputs: 'k1', rippleRules: rules, rippleBus: 'bus', rippleUnitId: 3, rippleAddress: 10, ha: 'bridge',
      },
    });
    expect(settingsContract.migrate('hems-optimiser', { gridDevice: 'grid' }).legacySite).toMatchObject({ rippleRules: [] });
    // Text that is no JSON list stays, so the check names it.
    expect(settingsContract.migrate('hems-optimiser', { rippleRules: '{ inputs: 10 }' }).legacySite.rippleRules).toBe('{ inputs: 10 }');
  });

  it('hems-load 0 → 1: stage powers from text to a list; the optimiser id stays as the link until the editor sets the site', () => {
    expect(settingsContract.migrate('hems-load', { kind: 'stepped', stagePowersW: '2000, 1500;1000', optimiser: 'opt' })).toEqual({
      kind: 'stepped', stagePowersW: [2000, 1500, 1000], optimiser: 'opt', site: '', version: 1,
    });
    expect(settingsContract.migrate('hems-load', { stagePowersW: '' }).stagePowersW).toEqual([]);
    expect(settingsContract.migrate('hems-load', { stagePowersW: '2000, two' }).stagePowersW).toBe('2000, two');
  });

  it('hems-planner 0 → 1: the optimiser id stays as the link until the editor sets the site; a time budget of 0 (greedy only) becomes a time limit of 0', () => {
    const step = settingsContract.MIGRATIONS['hems-planner'][0];
    expect(step({ deviceId: 'planner', optimiser: 'opt', timeBudgetMs: 1000 })).toEqual({ deviceId: 'planner', optimiser: 'opt', site: '', timeLimitSeconds: 60 });
    expect(step({ timeBudgetMs: '0' })).toEqual({ site: '', timeLimitSeconds: 0 });
  });

  it('hems-planner 1 → 2: the battery options come with the values that plan as before; values already set stay', () => {
    expect(settingsContract.migrate('hems-planner', { site: 's', batteryCapacityWh: '10000', version: 1 })).toEqual({
      site: 's', batteryCapacityWh: '10000', version: 2,
      batteryGridChargeMaxSocPct: '', batteryHoldOnly: false, batteryTargetSocPct: '', batteryTargetSocBy: '', batteryWearEurPerKwh: '', batteryEndValueEurPerKwh: '',
    });
    expect(settingsContract.migrate('hems-planner', { batteryHoldOnly: true, batteryWearEurPerKwh: '0.05', version: 1 })).toMatchObject({ batteryHoldOnly: true, batteryWearEurPerKwh: '0.05' });
    // A 0.1.0 planner goes through both steps.
    expect(settingsContract.migrate('hems-planner', { timeBudgetMs: '0' })).toMatchObject({ site: '', timeLimitSeconds: 0, batteryHoldOnly: false, version: 2 });
  });

  it('settings of the current version are left as they are; a newer version is refused with what to do', () => {
    const current = { site: 's', kind: 'stepped', stagePowersW: [1000], version: 1 };
    expect(settingsContract.migrate('hems-load', current)).toEqual(current);
    expect(() => settingsContract.migrate('hems-load', { version: 2 })).toThrow('settings version 2 was saved by a newer node-red-contrib-hems (this one knows up to 1): update the package');
  });

  it('a whole flow: a site per 0.1.0 optimiser, its loads and planner pointed at it, other nodes untouched', () => {
    const flow = [
      { id: 'tab', type: 'tab' },
      { id: 'opt', type: 'hems-optimiser', z: 'tab', name: 'Opt', gridDevice: 'grid', cycleSeconds: 5, wires: [['dbg']] },
      { id: 'rod', type: 'hems-load', z: 'tab', optimiser: 'opt', kind: 'on_off', powerW: 2000, wires: [[]] },
      { id: 'lost', type: 'hems-load', z: 'tab', optimiser: 'elsewhere', kind: 'on_off', powerW: 2000, wires: [[]] },
      { id: 'plan', type: 'hems-planner', z: 'tab', optimiser: 'opt', wires: [[]] },
      { id: 'dbg', type: 'debug', z: 'tab' },
    ];
    const migrated = settingsContract.migrateFlow(flow, (o) => `${o.id}_site`);
    expect(migrated.map((n) => n.id)).toEqual(['tab', 'opt', 'opt_site', 'rod', 'lost', 'plan', 'dbg']);
    expect(migrated[1]).toEqual({ id: 'opt', type: 'hems-optimiser', z: 'tab', name: 'Opt', cycleSeconds: 5, wires: [['dbg']], site: 'opt_site', version: 1 });
    expect(migrated[2]).toEqual({
      id: 'opt_site', type: 'hems-site', name: 'Opt', gridDevice: 'grid', rippleRules: [], zeroExportProbe: 'off', probeMaxExportW: 0, probeMaxSeconds: 30, timeZone: '', version: 3,
    });
    expect(migrated[3]).toMatchObject({ site: 'opt_site', version: 1 });
    expect(migrated[3]).not.toHaveProperty('optimiser');
    expect(migrated[4]).toMatchObject({ site: '', optimiser: 'elsewhere' });
    expect(migrated[5]).toMatchObject({ site: 'opt_site', version: 2 });
    expect(migrated[6]).toBe(flow[5]);
    expect(settingsContract.migrateFlow(migrated, () => 'unused')).toEqual(migrated);
  });
});

describe('the shipped example flows', () => {
  it.each(readdirSync(join(ROOT, 'flows')))('%s is at the current settings versions (a migration leaves it as it is)', (name) => {
    const flow = JSON.parse(readFileSync(join(ROOT, 'flows', name), 'utf8')) as Array<Record<string, unknown>>;
    expect(settingsContract.migrateFlow(flow, () => 'unused')).toEqual(flow);
  });
});

describe('list settings: one check for the editor and the runtime', () => {
  it('ripple rules: one 0/1 per named input, a known feed-in step, no two rules for the same contacts', () => {
    const names = ['k1', 'k2'];
    expect(settingsContract.rippleRuleProblems([{ inputs: '10', feedInPct: 60, dimConsumption: true }], names)).toEqual([]);
    expect(settingsContract.rippleRuleProblems([{ inputs: '1', feedInPct: 60 }], names).map((p) => p.message)).toEqual([
      'rippleRules[0].inputs = "1": must have one 0 (open) or 1 (closed) per named input (k1, k2)',
    ]);
    expect(settingsContract.rippleRuleProblems([{ inputs: '10', feedInPct: 50 }, { inputs: '10', feedInPct: 0, lockHeatPumps: 'yes' }], names).map((p) => p.field)).toEqual([
      'rippleRules[0].feedInPct', 'rippleRules[1].inputs', 'rippleRules[1].lockHeatPumps',
    ]);
    expect(settingsContract.rippleRuleProblems('[]', names)[0].message).toMatch(/^rippleRules = "\[\]": must be a list of rules/);
  });

  it('stage powers: 1 to 3, each above 0', () => {
    expect(settingsContract.stagePowerProblems([2000, 2000])).toEqual([]);
    for (const bad of [[], [0], [1, 2, 3, 4], '2000', [Number.NaN]]) expect(settingsContract.stagePowerProblems(bad)).toHaveLength(1);
  });
});
