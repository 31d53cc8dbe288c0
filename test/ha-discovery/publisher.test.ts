import { describe, expect, it } from 'vitest';
import { DiscoveryPublisher, stableJson } from '../../src/ha-discovery/publisher';

function recording() {
  const sent: Array<[string, string, boolean]> = [];
  const publisher = new DiscoveryPublisher((topic, payload, { retain }) => sent.push([topic, payload, retain]));
  return { sent, publisher };
}

describe('DiscoveryPublisher', () => {
  it('publishes a config retained, and again only when its content changes', () => {
    const { sent, publisher } = recording();
    publisher.publishConfig({ topic: 'c', payload: { a: 1, b: 2 } });
    publisher.publishConfig({ topic: 'c', payload: { b: 2, a: 1 } });
    publisher.publishConfig({ topic: 'c', payload: { a: 1, b: 3 } });
    expect(sent).toEqual([
      ['c', '{"a":1,"b":2}', true],
      ['c', '{"a":1,"b":3}', true],
    ]);
  });

  it('publishes states only when they change', () => {
    const { sent, publisher } = recording();
    for (const v of [1, 1, 2, 2, 1]) publisher.publishState('s', v);
    expect(sent.map(([, p]) => p)).toEqual(['1', '2', '1']);
  });

  it('republishes every config and the latest states after HA comes back', () => {
    const { sent, publisher } = recording();
    publisher.publishConfig({ topic: 'c', payload: { x: 1 } });
    publisher.publishState('s', 5);
    publisher.publishState('s', 6);
    sent.length = 0;
    publisher.republishAll();
    expect(sent).toEqual([
      ['c', '{"x":1}', true],
      ['s', '6', true],
    ]);
  });

  it('removes a config with an empty retained payload and forgets it', () => {
    const { sent, publisher } = recording();
    publisher.publishConfig({ topic: 'c', payload: { x: 1 } });
    publisher.removeConfig('c');
    sent.length = 0;
    publisher.republishAll();
    expect(sent).toEqual([]);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth, keeps array order', () => {
    expect(stableJson({ b: { d: 1, c: [2, 1] }, a: null })).toBe('{"a":null,"b":{"c":[2,1],"d":1}}');
  });
});
