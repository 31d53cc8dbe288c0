/**
 * Every profile read from an independent Modbus peer (pymodbus) loaded with register values at
 * the reference files' addresses: the decoded values must equal the expected ones, signs included,
 * in the request count pinned in profiles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeterPoller } from '../../src/devices/meter-poller';
import { getProfile } from '../../src/devices/profiles';
import { planProfile, type RegisterReader } from '../../src/devices/read-device';
import { DEFAULT_BUS_TIMING, ModbusTcpBus } from '../../src/io/modbus-bus';
import { expectedValues, peerSpecFor, PROFILE_CASES } from '../fixtures/profile-cases';
import { pymodbusSkipReason, startModbusPeer, type ModbusPeer } from '../helpers/peers';

describe.skipIf(pymodbusSkipReason())('profiles over Modbus TCP', () => {
  describe.each(PROFILE_CASES)('$profileId', (profileCase) => {
    let peer: ModbusPeer;
    let bus: ModbusTcpBus;
    beforeAll(async () => {
      peer = await startModbusPeer(peerSpecFor(profileCase));
      bus = new ModbusTcpBus({ host: '127.0.0.1', port: peer.port }, { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    });
    afterAll(async () => {
      await bus?.close();
      await peer?.stop();
    });

    it('decodes every value as expected, in the planned number of requests', async () => {
      const profile = getProfile(profileCase.profileId);
      let requests = 0;
      const counting: RegisterReader = { readRegisters: (...args) => (requests++, bus.readRegisters(...args)) };
      const result = await new MeterPoller(counting, profile, 1, 'dut').poll();
      expect(result.reading.quality).toBeUndefined();
      expect(result.reading.values).toEqual(expectedValues(profileCase));
      expect(requests).toBe(planProfile(profile).length);
    });
  });
});
