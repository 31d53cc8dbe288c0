/**
 * Every example flow deploys on Node-RED 5 under Node 22, as a user runs it: one Node-RED process
 * with the package in its user directory, each example deployed in turn through the admin API (as
 * the editor's Deploy does), against the same peers as test/nodes/example-flows.test.ts (which
 * runs them on the devDependency Node-RED 4.1 under the system Node). Node-RED 5 and its Node come
 * from test/node-red-5/, installed by `npm install` (the prepare script) apart from the package's
 * own node_modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, startExamplePeers, type ExamplePeers, type FlowNode } from '../helpers/example-peers';
import { pymodbusSkipReason, startBroker, waitFor, type Broker } from '../helpers/peers';
import { startRuntime, watchStatuses, type NodeStatus, type RunningNodeRed } from '../helpers/runtime';

const INSTALL = join(__dirname, '..', 'node-red-5', 'node_modules');
const NODE_RED_5 = { dir: join(INSTALL, 'node-red'), node: join(INSTALL, 'node', 'bin', 'node') };
if (!existsSync(NODE_RED_5.dir) || !existsSync(NODE_RED_5.node)) {
  throw new Error(`Node-RED 5 or Node 22 missing in ${INSTALL}: run \`npm run prepare\` (npm install runs it) to install test/node-red-5/`);
}

/** Nodes that sit in a flow (config nodes have no wires) and are ours: each shows a status once it runs. */
const showsStatus = (node: FlowNode) => 'wires' in node && node.type.startsWith('hems-');
const problemLines = (lines: string[]) => lines.filter((line) => /\[(error|fatal)\]/.test(line));

let broker: Broker;
let peers: ExamplePeers;
let nodeRed: RunningNodeRed;
let statuses: { latest: Record<string, NodeStatus>; close(): void };

beforeAll(async () => {
  broker = await startBroker();
  peers = await startExamplePeers(broker.port);
  nodeRed = await startRuntime([], { nodeRed: NODE_RED_5, lang: 'en-US' });
  statuses = await watchStatuses(nodeRed.port);
}, 60_000);
afterAll(async () => {
  statuses?.close();
  await nodeRed?.stop();
  await peers?.stop();
  await broker?.stop();
});

/** A full deploy, as the editor's Deploy button sends it, with the credentials a user types in. */
async function deploy(flow: FlowNode[]) {
  const credentials = peers.credentialsOf(flow);
  const response = await fetch(`http://127.0.0.1:${nodeRed.port}/flows`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(flow.map((node) => (credentials[node.id] ? { ...node, credentials: credentials[node.id] } : node))),
  });
  expect(response.status, await response.text()).toBe(204);
}

describe.skipIf(pymodbusSkipReason())('the examples on Node-RED 5 under Node 22', () => {
  it('runs Node-RED 5 on Node 22', async () => {
    const settings = (await (await fetch(`http://127.0.0.1:${nodeRed.port}/settings`)).json()) as { version: string };
    expect(settings.version).toMatch(/^5\./);
    expect(nodeRed.lines.find((line) => line.includes('Node.js'))).toMatch(/version: v22\./);
  });

  it.each(EXAMPLES)('%s deploys without an error and each of its nodes shows a status that is no error', async (name) => {
    const flow = peers.wired(name);
    const from = nodeRed.lines.length;
    const since = () => nodeRed.lines.slice(from);
    await deploy(flow);
    const outcome = await waitFor(() => since().find((line) => /Started flows|Waiting for missing types/.test(line)), 15_000, `"Started flows" after deploying ${name}`);
    expect(outcome, since().join('\n')).toContain('Started flows');
    const ours = flow.filter(showsStatus).map((node) => node.id);
    await waitFor(() => ours.every((id) => statuses.latest[id]?.text) || undefined, 15_000, `a status from each of ${ours.join(', ')}; got ${JSON.stringify(statuses.latest)}`);
    // Errors that follow the first status (a failed connection, a bad reply) surface within a poll or two.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(problemLines(since())).toEqual([]);
    expect(ours.map((id) => ({ id, ...statuses.latest[id] })).filter((status) => status.fill === 'red')).toEqual([]);
  }, 40_000);
});
