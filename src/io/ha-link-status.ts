import type { HaLinkState } from './ha-websocket';

export interface LinkStatus {
  fill: 'green' | 'yellow' | 'red';
  shape: 'dot' | 'ring';
  text: string;
}

const LINK_LOOK: Readonly<Record<HaLinkState['state'], Omit<LinkStatus, 'text'>>> = {
  connecting: { fill: 'yellow', shape: 'ring' },
  connected: { fill: 'green', shape: 'dot' },
  disconnected: { fill: 'red', shape: 'ring' },
  refused: { fill: 'red', shape: 'ring' },
};

/** The node status for a link that is not up: nodes using a server show its problem as theirs. */
export function linkStatus(link: HaLinkState): LinkStatus {
  return { ...LINK_LOOK[link.state], text: link.detail };
}
