/** A real Node-RED process (the same launcher the demo uses), in a temporary user directory. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort } from './peers';

export interface RunningNodeRed {
  port: number;
  userDir: string;
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export const FLOWS_DIR = join(__dirname, '..', '..', 'flows');

export function readFlow(name: string): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(join(FLOWS_DIR, name), 'utf8'));
}

/** Points every config node of a given type at another port (tests run beside a live demo). */
export async function withPorts(flow: Array<Record<string, unknown>>, ports: Record<string, number>) {
  const runtime = await import('../../scripts/lib/node-red-runtime.mjs');
  return runtime.withPorts(flow, ports) as Array<Record<string, unknown>>;
}

export async function startRuntime(
  flows: unknown[],
  /** keepState: start again on a user directory a previous run left (its state files kept). */
  /** lang: Node-RED's `lang` setting (the language of status texts with values). */
  /** nodeRed: another Node-RED folder and the Node binary to run it (default: the devDependency under this Node). */
  options: {
    installPackage?: boolean;
    userDir?: string;
    keepState?: boolean;
    lang?: string;
    prepare?: (userDir: string) => void;
    nodeRed?: { dir: string; node: string };
  } = {},
): Promise<RunningNodeRed> {
  const { prepareUserDir, startNodeRed } = await import('../../scripts/lib/node-red-runtime.mjs');
  const port = await freePort();
  const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'hems-nr-'));
  prepareUserDir(userDir, { flows, port, installPackage: options.installPackage ?? true, keepState: options.keepState, lang: options.lang });
  options.prepare?.(userDir);
  const nodeRed = startNodeRed(userDir, options.nodeRed ? { nodeRed: options.nodeRed } : {});
  await nodeRed.ready;
  return { port, userDir, lines: nodeRed.lines, stop: (signal?: NodeJS.Signals) => nodeRed.stop(signal) };
}

export interface NodeStatus {
  fill?: string;
  shape?: string;
  text?: string;
}

/** The latest status of each node (by id), as the editor receives them over Node-RED's comms socket. */
export async function watchStatuses(port: number): Promise<{ latest: Record<string, NodeStatus>; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/comms`);
  const latest: Record<string, NodeStatus> = {};
  socket.on('message', (data: Buffer) => {
    for (const { topic, data: status } of [JSON.parse(data.toString())].flat() as Array<{ topic: string; data: NodeStatus }>) {
      if (topic.startsWith('status/')) latest[topic.slice('status/'.length)] = status;
    }
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ subscribe: 'status/#' }));
  return { latest, close: () => socket.close() };
}
