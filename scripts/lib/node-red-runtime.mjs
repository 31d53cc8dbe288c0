// Starts a real Node-RED (the package's own dev dependency) as a child process, with this package
// installed into a fresh user directory: the way a user runs it. Used by the demo and the tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
/**
 * The Node-RED to run: its node-red folder and the Node binary that runs it. By default the
 * devDependency under this Node; HEMS_NODE_RED and HEMS_NODE name another install and its Node
 * (e.g. a 5.x, which needs Node >= 22.9), as for the node tests.
 */
export const DEFAULT_NODE_RED = {
  dir: process.env.HEMS_NODE_RED ?? dirname(require.resolve('node-red/package.json')),
  node: process.env.HEMS_NODE ?? process.execPath,
};

/** What a Node-RED logs, in each of its languages (it logs in `lang`), once the flows run or while types are missing. */
function runtimeSays(dir) {
  const runtimeLocales = join(dirname(createRequire(join(dir, 'red.js')).resolve('@node-red/runtime')), '..', 'locales');
  const says = readdirSync(runtimeLocales).map((lang) => JSON.parse(readFileSync(join(runtimeLocales, lang, 'runtime.json'), 'utf8')).nodes.flows);
  return { started: says.map((flows) => flows['started-flows']), missingTypes: says.map((flows) => flows['missing-types']) };
}

/** Points every config node of a given type at another port (the demo's and the tests' own ports). */
export function withPorts(flows, ports) {
  return flows.map((node) => (ports[node.type] ? { ...node, port: ports[node.type] } : node));
}

/**
 * Prepares userDir with the given flows and this package linked in (unless `installPackage` is
 * false, for a user dir that installs the packed tarball instead). `lang` is Node-RED's language
 * setting; without it Node-RED takes the system locale.
 */
export function prepareUserDir(userDir, { flows, port, installPackage = true, keepState = false, lang }) {
  if (!keepState) rmSync(userDir, { recursive: true, force: true });
  mkdirSync(join(userDir, 'node_modules'), { recursive: true });
  const link = join(userDir, 'node_modules', 'node-red-contrib-hems');
  if (installPackage && !existsSync(link)) symlinkSync(packageRoot, link, 'dir');
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  writeFileSync(
    join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiHost: '127.0.0.1',
        uiPort: port,
        flowFile: 'flows.json',
        credentialSecret: false,
        logging: { console: { level: 'info', metrics: false, audit: false } },
        editorTheme: { tours: false, projects: { enabled: false } },
        // Node-RED would otherwise try the npm catalogue on the network at start.
        externalModules: { autoInstall: false, palette: { allowInstall: false } },
        diagnostics: { enabled: false },
        telemetry: { enabled: false },
        ...(lang ? { lang } : {}),
      },
      null,
      2,
    )};\n`,
  );
}

/** Spawns Node-RED (`nodeRed`: which one, see DEFAULT_NODE_RED); resolves once it says the flows are running (or rejects on early exit). */
export function startNodeRed(userDir, { onLine = () => {}, timeoutMs = 30_000, nodeRed = DEFAULT_NODE_RED } = {}) {
  const { started, missingTypes } = runtimeSays(nodeRed.dir);
  const child = spawn(nodeRed.node, [join(nodeRed.dir, 'red.js'), '--userDir', userDir, '--settings', join(userDir, 'settings.js')], {
    cwd: userDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    const take = (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        onLine(line);
        if (started.some((said) => line.includes(said))) {
          clearTimeout(timer);
          resolve();
        }
        if (missingTypes.some((said) => line.includes(said))) {
          clearTimeout(timer);
          reject(new Error(`Node-RED could not load our nodes:\n${lines.join('\n')}`));
        }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited with ${code} before starting:\n${lines.join('\n')}`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    lines,
    ready,
    /** SIGINT is Node-RED's clean stop (nodes close, the MQTT bridge says offline). */
    async stop(signal = 'SIGINT', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
