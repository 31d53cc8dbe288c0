/**
 * The runtime side of the editor's HEMS sidebar: the last energy flow of every site and the last
 * timeline of every planner, served at GET /hems/sidebar (admin API, read permission) for a tab that
 * opens, and pushed over the editor's comms link (`hems/sidebar/flow`, `hems/sidebar/timeline`) as
 * they change. The shapes are made by src/sidebar (pure); this only keeps and sends them.
 */
import type { FlowView, TimelineView } from '../../src/sidebar';
import type { NodeAPI } from './node-red';

/** A site's flow is sent at most this often (decisions between cycles can come 5 times a second). */
const FLOW_MIN_INTERVAL_MS = 1000;

const flows = new Map<string, FlowView>();
const timelines = new Map<string, TimelineView>();
let comms: NodeAPI['comms'] | undefined;
const lastFlowSentMs = new Map<string, number>();
const heldFlows = new Map<string, NodeJS.Timeout>();

function sendFlow(siteKey: string): void {
  heldFlows.delete(siteKey);
  lastFlowSentMs.set(siteKey, Date.now());
  comms?.publish('hems/sidebar/flow', flows.get(siteKey) ?? { siteKey, removed: true }, false);
}

/** A site's flow after a cycle: sent now, or at the end of the interval with the latest one. */
export function showFlow(view: FlowView): void {
  flows.set(view.siteKey, view);
  if (heldFlows.has(view.siteKey)) return;
  const waitMs = (lastFlowSentMs.get(view.siteKey) ?? 0) + FLOW_MIN_INTERVAL_MS - Date.now();
  if (waitMs <= 0) return sendFlow(view.siteKey);
  heldFlows.set(view.siteKey, setTimeout(() => sendFlow(view.siteKey), waitMs));
}

export function forgetFlow(siteKey: string): void {
  clearTimeout(heldFlows.get(siteKey));
  flows.delete(siteKey);
  sendFlow(siteKey);
  lastFlowSentMs.delete(siteKey);
}

export function showTimeline(view: TimelineView): void {
  timelines.set(view.plannerId, view);
  comms?.publish('hems/sidebar/timeline', view, false);
}

export function forgetTimeline(plannerId: string): void {
  if (!timelines.delete(plannerId)) return;
  comms?.publish('hems/sidebar/timeline', { plannerId, removed: true }, false);
}

/** Once per Node-RED process (from the hems-site module): the endpoint and the comms link. */
export function serveSidebar(RED: NodeAPI): void {
  comms = RED.comms;
  RED.httpAdmin.get('/hems/sidebar', RED.auth.needsPermission('hems-site.read'), (_req, res) => {
    res.json({ flows: [...flows.values()], timelines: [...timelines.values()] });
  });
}
