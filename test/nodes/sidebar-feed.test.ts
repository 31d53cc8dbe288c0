/**
 * nodes/lib/sidebar.ts: the last flow of each site and timeline of each planner, answered at
 * GET /hems/sidebar and sent on the editor's comms link, a site's flow at most once a second.
 * Node-RED's admin router and comms are stood in for by recorders (the Chromium test runs the real ones).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeAPI } from '../../nodes/lib/node-red';
import { forgetFlow, forgetTimeline, serveSidebar, showFlow, showTimeline } from '../../nodes/lib/sidebar';
import type { FlowView, TimelineView } from '../../src/sidebar';

const flow = (siteKey: string, gridW: number): FlowView => ({
  siteKey, name: siteKey, atMs: 0, stale: false, strategy: 'pv_surplus', gridW, pvW: 0, batteryW: null, batterySocPct: null, houseW: gridW, otherW: gridW, surplusW: 0, loads: [], reasons: [],
});
const timeline = (plannerId: string): TimelineView => ({ plannerId, name: plannerId, siteKey: 's', timeZone: 'UTC', nowMs: 0, slotMs: 900_000, planner: 'greedy', costEur: 0, slots: [], loads: [] });

describe('the sidebar feed', () => {
  let sent: Array<{ topic: string; data: any }>;
  let answer: () => unknown;
  let permission: string;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    const red = {
      comms: { publish: (topic: string, data: unknown) => sent.push({ topic, data }) },
      auth: { needsPermission: (p: string) => ((permission = p), () => undefined) },
      httpAdmin: {
        get: (_path: string, _permission: unknown, handler: (req: unknown, res: { json(body: unknown): void }) => void) => {
          answer = () => {
            let body: unknown;
            handler({}, { json: (b: unknown) => (body = b) });
            return body;
          };
        },
      },
    };
    serveSidebar(red as unknown as NodeAPI);
  });

  afterEach(() => {
    forgetFlow('a');
    forgetFlow('b');
    vi.useRealTimers();
  });

  it('needs the read permission and answers the last flow of each site and timeline of each planner', () => {
    expect(permission).toBe('hems-site.read');
    showFlow(flow('a', 100));
    showFlow(flow('a', 200));
    showFlow(flow('b', 300));
    showTimeline(timeline('p'));
    expect(answer()).toEqual({ flows: [flow('a', 200), flow('b', 300)], timelines: [timeline('p')] });
    forgetTimeline('p');
    expect(answer()).toEqual({ flows: [flow('a', 200), flow('b', 300)], timelines: [] });
  });

  it("sends a site's flow at once, then at most once a second with the latest", () => {
    showFlow(flow('a', 100));
    expect(sent).toEqual([{ topic: 'hems/sidebar/flow', data: flow('a', 100) }]);
    showFlow(flow('a', 200));
    showFlow(flow('a', 300));
    // Another site has its own second.
    showFlow(flow('b', 1));
    expect(sent.map((s) => s.data.gridW)).toEqual([100, 1]);
    vi.advanceTimersByTime(999);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent.map((s) => s.data.gridW)).toEqual([100, 1, 300]);
  });

  it('says when a site or a planner goes, and sends nothing held for it after', () => {
    showFlow(flow('a', 100));
    showFlow(flow('a', 200));
    forgetFlow('a');
    vi.advanceTimersByTime(5000);
    expect(sent.map((s) => s.data)).toEqual([flow('a', 100), { siteKey: 'a', removed: true }]);
    showTimeline(timeline('p'));
    forgetTimeline('p');
    forgetTimeline('p');
    expect(sent.slice(2)).toEqual([{ topic: 'hems/sidebar/timeline', data: timeline('p') }, { topic: 'hems/sidebar/timeline', data: { plannerId: 'p', removed: true } }]);
  });
});
