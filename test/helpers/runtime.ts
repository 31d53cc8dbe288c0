/** A real Node-RED process (the same launcher the demo uses), in a temporary user directory. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  options: { installPackage?: boolean; userDir?: string; keepState?: boolean; lang?: string; prepare?: (userDir: string) => void } = {},
): Promise<RunningNodeRed> {
  const { prepareUserDir, startNodeRed } = await import('../../scripts/lib/node-red-runtime.mjs');
  const port = await freePort();
  const userDir = options.userDir ?? mkdtempSync(join(tmpdir(), 'hems-nr-'));
  prepareUserDir(userDir, { flows, port, installPackage: options.installPackage ?? true, keepState: options.keepState, lang: options.lang });
  options.prepare?.(userDir);
  const nodeRed = startNodeRed(userDir);
  await nodeRed.ready;
  return { port, userDir, lines: nodeRed.lines, stop: (signal?: NodeJS.Signals) => nodeRed.stop(signal) };
}
