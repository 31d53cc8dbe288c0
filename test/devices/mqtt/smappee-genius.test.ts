import { describe, expect, it } from 'vitest';
import { createMqttMeterSource } from '../../../src/devices/mqtt/mqtt-meter-source';
import { CHANNEL_CONFIG, EXPECTED_GROUPS, REALTIME, SMAPPEE_PREFIX as P } from '../../fixtures/smappee-genius';

const source = (group: string) => createMqttMeterSource({ format: 'smappee-genius', topic: P, channelGroup: group });

describe('Smappee Genius format', () => {
  it('waits for the channel configuration before it reads a group', () => {
    const grid = source('grid');
    expect(grid.filters).toEqual([`${P}/channelConfigV2`, `${P}/realtime`]);
    expect(grid.take(`${P}/realtime`, JSON.stringify(REALTIME))).toEqual({ problem: `waiting for the retained ${P}/channelConfigV2 to learn which channels are "grid"` });
    expect(grid.take(`${P}/channelConfigV2`, JSON.stringify(CHANNEL_CONFIG))).toEqual({});
    expect(grid.take(`${P}/realtime`, JSON.stringify(REALTIME))).toEqual({ reading: { values: EXPECTED_GROUPS.grid, quality: {} }, online: true });
  });

  it('names a channel of the group that the realtime message lacks', () => {
    const solar = source('Solar');
    solar.take(`${P}/channelConfigV2`, JSON.stringify(CHANNEL_CONFIG));
    const partial = { ...REALTIME, channelPowers: REALTIME.channelPowers.filter((c) => c.publishIndex !== 4) };
    const update = solar.take(`${P}/realtime`, JSON.stringify(partial));
    expect(update.reading?.quality).toEqual({ power_w: `channel 4 of "solar" is not in ${P}/realtime` });
    expect(update.reading?.values.power_l2_w).toBeUndefined();
  });

  it.each([
    [`${P}/channelConfigV2`, '{"x":1}', `${P}/channelConfigV2: no dataProcessingSpecification.measurements list in the channel configuration`],
    [`${P}/channelConfigV2`, 'nope', `${P}/channelConfigV2: payload "nope" is not JSON (`],
    [`${P}/realtime`, 'nope', `${P}/realtime: payload "nope" is not JSON (`],
  ])('says what is wrong with %s %s', (topic, payload, problem) => {
    const grid = source('grid');
    if (topic.endsWith('realtime')) grid.take(`${P}/channelConfigV2`, JSON.stringify(CHANNEL_CONFIG));
    expect(grid.take(topic, payload).problem?.startsWith(problem)).toBe(true);
  });

  it('refuses a node without a channel group', () => {
    expect(() => source(' ')).toThrow('no channel group: enter grid, solar or the name of a measured load as the Smappee app shows it');
  });
});
