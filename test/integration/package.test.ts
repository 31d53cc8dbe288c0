/**
 * The package as users get it: `npm pack`, installed into a fresh Node-RED user directory; the
 * runtime's admin API must list our nodes in the palette.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../src/package-info';
import { startRuntime, type RunningNodeRed } from '../helpers/runtime';

const ROOT = join(__dirname, '..', '..');
const NPM_QUIET = { cwd: ROOT, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };

/** Every node type the package declares: each must ship complete and load. */
const NODE_TYPES = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes,
);

let tarball: string;
let files: string[];

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'hems-pack-'));
  // npm test has just built dist/ and examples/; the prepack build would only repeat it.
  // `prepare` skips `npm pack` (scripts/install-node-red-5.mjs); anything else on stdout is shown, not a bare JSON error.
  const stdout = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], NPM_QUIET);
  let packed: Array<{ filename: string; files: Array<{ path: string }> }>;
  try {
    packed = JSON.parse(stdout);
  } catch (err) {
    throw new Error(`npm pack --json printed more than its JSON (${(err as Error).message}):\n${stdout.slice(0, 2000)}`);
  }
  tarball = join(out, packed[0].filename);
  files = packed[0].files.map((f) => f.path);
}, 60_000);

describe('npm pack', () => {
  it('ships the compiled nodes with their editor files, the CLI and the examples', () => {
    for (const name of NODE_TYPES) {
      expect(files).toContain(`dist/nodes/${name}.js`);
      expect(files).toContain(`dist/nodes/${name}.html`);
      for (const lang of ['en-US', 'de']) {
        expect(files).toContain(`dist/nodes/locales/${lang}/${name}.json`);
        expect(files).toContain(`dist/nodes/locales/${lang}/${name}.html`);
      }
    }
    expect(files).toContain('dist/nodes/icons/hems-meter.svg');
    expect(files).toContain('resources/hems-editor.js');
    expect(files).toContain('resources/hems-sidebar.js');
    expect(files).toContain('dist/src/cli/main.js');
    // hems-planner forks it to plan.
    expect(files).toContain('dist/src/io/planner-child.js');
    for (const example of ['demo-meter-to-ha', 'optimiser-pv-surplus', 'planner-deadlines']) expect(files).toContain(`examples/${example}.json`);
    expect(files).toContain('LICENSE');
  });

  it('ships no tests, sources or development scripts', () => {
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|\.ts$|^scripts\/|^src\/|^nodes\/|^bench\//.test(f))).toEqual([]);
  });
});

describe('the packed tarball in a fresh Node-RED 4.1 user directory', () => {
  let nodeRed: RunningNodeRed;
  afterAll(async () => nodeRed?.stop());

  it('installs, and its nodes appear in the palette', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-userdir-'));
    nodeRed = await startRuntime([], {
      userDir,
      installPackage: false,
      prepare: (dir) => {
        mkdirSync(dir, { recursive: true });
        execFileSync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev'], { ...NPM_QUIET, cwd: dir });
      },
    });
    const response = await fetch(`http://127.0.0.1:${nodeRed.port}/nodes`, { headers: { Accept: 'application/json' } });
    const sets = (await response.json()) as Array<{ module: string; types: string[]; enabled: boolean; version: string; err?: string }>;
    const ours = sets.filter((s) => s.module === 'node-red-contrib-hems');
    expect(ours.map(({ types, enabled, version, err }) => ({ types, enabled, version, err }))).toEqual(
      NODE_TYPES.map((type) => ({ types: [type], enabled: true, version: PACKAGE_VERSION, err: undefined })),
    );
    // The editor's copy of the node definitions comes from the installed package.
    const html = await (await fetch(`http://127.0.0.1:${nodeRed.port}/nodes`, { headers: { Accept: 'text/html' } })).text();
    expect(html).toContain("RED.nodes.registerType('hems-meter'");
  }, 180_000);
});
