import type { HaLinkState } from '../../src/io/ha-websocket';
import type { NodeAPI, NodeStatus } from './node-red';
import { statusText } from './status-text';

const LINK_LOOK: Readonly<Record<HaLinkState['state'], Pick<NodeStatus, 'fill' | 'shape'> & { key: string }>> = {
  connecting: { fill: 'yellow', shape: 'ring', key: 'hems-ha-server.status.connecting' },
  connected: { fill: 'green', shape: 'dot', key: 'hems-ha-server.status.connected' },
  disconnected: { fill: 'red', shape: 'ring', key: 'hems-ha-server.status.disconnected' },
  refused: { fill: 'red', shape: 'ring', key: 'hems-ha-server.status.refused' },
};

/** The status of a node using a hems-ha-server: the link's own (English) detail in a translated frame. */
export function linkStatus(RED: Pick<NodeAPI, '_'>, link: HaLinkState): NodeStatus {
  const { fill, shape, key } = LINK_LOOK[link.state];
  return { fill, shape, text: statusText(RED, key, { detail: link.detail }) };
}
