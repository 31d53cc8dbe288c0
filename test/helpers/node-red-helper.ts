/** node-red-node-test-helper with our compiled nodes: a real Node-RED runtime in the test process. */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
export const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
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
