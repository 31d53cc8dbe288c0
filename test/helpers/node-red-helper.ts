/** node-red-node-test-helper with our compiled nodes: a real Node-RED runtime in the test process. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { MqttRecorder } from './mqtt-recorder';
import { startBroker, type Broker } from './peers';

const require = createRequire(import.meta.url);
export const helper = require('node-red-node-test-helper');
/** The Node-RED the tests run: the devDependency, or another install named by HEMS_NODE_RED (its node-red folder, e.g. a 5.x under Node 22). */
export const NODE_RED_DIR = process.env.HEMS_NODE_RED ?? dirname(require.resolve('node-red/package.json'));
helper.init(require.resolve(NODE_RED_DIR));

const DIST = join(__dirname, '..', '..', 'dist', 'nodes');

/**
 * The helper hands nodes `RED._ = v => v`; ours get Node-RED's own i18n (en-US) with our catalogues
 * instead, so a status with values reads as users see it. Status keys name their catalogue, so no
 * node namespace is needed.
 */
export const i18n = createRequire(join(NODE_RED_DIR, 'package.json'))('@node-red/util').i18n;
i18n.init({ lang: 'en-US' });
const NODE_TYPES = Object.keys(require(join(__dirname, '..', '..', 'package.json'))['node-red'].nodes as Record<string, string>);
export const catalogues = Promise.all(NODE_TYPES.map((type) => i18n.registerMessageCatalog(`node-red-contrib-hems/${type}`, join(DIST, 'locales'), `${type}.json`)));
const createNodeApi = helper._registryUtil.createNodeApi;
helper._registryUtil.createNodeApi = (...args: unknown[]) =>
  Object.defineProperty(createNodeApi(...args), '_', { get: () => i18n._, set: () => undefined, enumerable: true });
const load = helper.load.bind(helper);
helper.load = async (...args: unknown[]) => {
  await catalogues;
  return load(...args);
};
/** Our node modules as built by `npm run build` (npm test builds first). */
export const hemsNodes = ['hems-modbus', 'hems-meter', 'hems-ha', 'hems-sg-ready', 'hems-relay'].map((name) => require(join(DIST, `${name}.js`)));

interface SpyCall {
  thisValue: { id: string };
  args: unknown[];
}

/** Every status a node has shown so far (the helper spies on Node.prototype.status). */
export function statusesOf(node: { id: string; status: { getCalls(): SpyCall[] } }) {
  return node.status
    .getCalls()
    .filter((c) => c.thisValue?.id === node.id)
    .map((c) => c.args[0] as { fill?: string; shape?: string; text?: string });
}

export function lastStatus(node: Parameters<typeof statusesOf>[0]) {
  return statusesOf(node).at(-1);
}

/** Error log lines the runtime received from a node. */
export function errorsLogged(nodeId: string): string[] {
  return helper
    .log()
    .args.map((a: Array<{ level: number; id: string; msg: unknown }>) => a[0])
    .filter((e: { level: number; id: string }) => e.level === 20 && e.id === nodeId)
    .map((e: { msg: unknown }) => String(e.msg));
}

/**
 * The test-helper runtime around one test file: started before its tests, flows unloaded after
 * each test, then `afterUnload` and what the test pushed on `cleanup` (newest first); stopped after the last.
 */
export function runtimeAroundTests(afterUnload?: () => Promise<void>): { cleanup: Array<() => Promise<void>> } {
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(() => new Promise<void>((done) => helper.startServer(done)));
  afterEach(async () => {
    await helper.unload();
    await afterUnload?.();
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(() => new Promise<void>((done) => helper.stopServer(done)));
  return { cleanup };
}

/** `runtimeAroundTests` and a real broker. Read `broker` inside tests, once beforeAll has run. */
export function runtimeWithBroker(): {
  readonly broker: Broker;
  cleanup: Array<() => Promise<void>>;
  /** A recorder on the broker, closed after the test. */
  record(filters: string[]): Promise<MqttRecorder>;
} {
  let broker: Broker | undefined;
  const { cleanup } = runtimeAroundTests();
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  return {
    get broker() {
      if (!broker) throw new Error('the broker starts in beforeAll: use it inside a test');
      return broker;
    },
    cleanup,
    async record(filters) {
      const recorder = await MqttRecorder.connect(this.broker.port, filters);
      cleanup.push(() => recorder.close());
      return recorder;
    },
  };
}
