/** The slice of the Node-RED runtime API our nodes use (typed here rather than pulling in @types/node-red). */
import { settingsContract } from '../../src/settings/contract';
import { statusText } from './status-text';
export interface NodeMessage {
  topic?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface Node {
  id: string;
  name?: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', handler: (msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus): void;
  error(message: string, msg?: NodeMessage): void;
  warn(message: string): void;
  log(message: string): void;
  /** One message, or one per output (null where an output sends nothing). */
  send(msg: NodeMessage | Array<NodeMessage | null>): void;
}

interface HttpResponse {
  json(body: unknown): void;
  status(code: number): HttpResponse;
}
type HttpHandler = (req: { params: Record<string, string>; body?: unknown }, res: HttpResponse, next: () => void) => void;

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: object): void;
    /** `constructor` is called by Node-RED with the new node as `this` and its saved config. */
    registerType(type: string, constructor: (this: never, config: never) => void, options?: { credentials?: Record<string, { type: string }> }): void;
    getNode(id: string): Node | null;
  };
  httpAdmin: {
    get(path: string, permission: HttpHandler, handler: HttpHandler): void;
    post(path: string, permission: HttpHandler, handler: HttpHandler): void;
  };
  auth: { needsPermission(permission: string): HttpHandler };
  /** Messages to every open editor (RED.comms.subscribe in the browser). */
  comms: { publish(topic: string, data: unknown, retain: boolean): void };
  settings: { userDir?: string };
  /** A message catalogue lookup (i18next's `t`): "<namespace>:<key>" and `__name__` values to fill in. */
  _(key: string, options?: Record<string, unknown>): unknown;
}

/**
 * Runs a node's configuration check. On a problem the node shows it (red status, one error naming
 * the node and the fix) and stays idle: it never throws into the runtime.
 */
export function checkConfig<T>(RED: NodeAPI, node: Node, type: string, config: { name?: string }, check: () => T, label = config.name || node.id): T | undefined {
  try {
    return check();
  } catch (err) {
    const text = (err as Error).message;
    // The status line has room for the gist; the log has the whole message.
    node.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-site.status.badSetting', { problem: text }).slice(0, 120) });
    node.error(`${type} "${label}": ${text}`);
    node.on('close', (_removed: boolean, done: () => void) => done());
    return undefined;
  }
}

/**
 * Registers a node type whose constructor gets its settings at the current version: flows saved by
 * an older package are migrated first (resources/hems-settings.js, the editor's definition too).
 * Settings from a newer package, which no migration can read, leave the node idle with the reason.
 */
export function registerNodeType<C extends object, N extends Node>(
  RED: NodeAPI,
  type: string,
  constructor: (this: N, config: C) => void,
  options?: { credentials?: Record<string, { type: string }> },
): void {
  function MigratedNode(this: N, saved: C & { name?: string }) {
    let config: C;
    try {
      config = settingsContract.migrate<C>(type, saved);
    } catch (err) {
      RED.nodes.createNode(this, saved);
      checkConfig(RED, this, type, saved, () => {
        throw err;
      });
      return;
    }
    // Node-RED hands over its own hidden properties (_flow, _module) that createNode needs.
    for (const key of Object.getOwnPropertyNames(saved)) {
      if (!Object.hasOwn(config, key)) Object.defineProperty(config, key, Object.getOwnPropertyDescriptor(saved, key)!);
    }
    constructor.call(this, config);
  }
  RED.nodes.registerType(type, MigratedNode, options);
}
