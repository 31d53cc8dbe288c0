import { join } from 'node:path';
import { CounterStore } from '../../src/io/counter-store';
import type { NodeAPI } from './node-red';

/** Where nodes keep what must survive a restart: the user directory's hems-state folder (none in tests without one). */
export function stateStoreOf(RED: NodeAPI): CounterStore | undefined {
  return RED.settings.userDir ? new CounterStore(join(RED.settings.userDir, 'hems-state')) : undefined;
}
