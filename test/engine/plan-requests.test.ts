import { describe, expect, it } from 'vitest';
import { PlanRequests } from '../../src/engine/planner-session';

/** A planner whose plans finish when the test says so. */
function plannerUnderTest() {
  const finish: Array<() => void> = [];
  const requests = new PlanRequests(() => new Promise<void>((resolve) => finish.push(resolve)));
  const endPlan = async () => {
    finish.at(-1)!();
    // The follow-up starts once the finished plan's promise has settled.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { requests, finish, endPlan };
}

describe('plan requests: a bounded queue of one', () => {
  it('merges every request during a plan into one follow-up plan', async () => {
    const { requests, finish, endPlan } = plannerUnderTest();
    requests.request();
    for (let i = 0; i < 10_000; i++) requests.request();
    expect(finish).toHaveLength(1);
    expect(requests.merged).toBe(9_999);
    await endPlan();
    expect(finish).toHaveLength(2);
    await endPlan();
    expect(finish).toHaveLength(2);
  });

  it('plans at once when none is under way, and again for a request after the follow-up started', async () => {
    const { requests, finish, endPlan } = plannerUnderTest();
    requests.request();
    requests.request();
    await endPlan();
    expect(finish).toHaveLength(2);
    requests.request();
    await endPlan();
    expect(finish).toHaveLength(3);
    await endPlan();
    requests.request();
    expect(finish).toHaveLength(4);
    expect(requests.merged).toBe(0);
  });

  it('drops the follow-up when cancelled (the node is closing)', async () => {
    const { requests, finish, endPlan } = plannerUnderTest();
    requests.request();
    requests.request();
    requests.cancel();
    await endPlan();
    expect(finish).toHaveLength(1);
  });
});
