/**
 * Every profile read from an independent Modbus peer (pymodbus) loaded with register values at
 * the reference files' addresses, over every transport (TCP, and RTU on a socat pty pair): the
 * decoded values must equal the expected ones, signs included, in the request count pinned in
 * profiles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeterPoller } from '../../src/devices/meter-poller';
import { getProfile } from '../../src/devices/profiles';
import { planProfile, type RegisterReader } from '../../src/devices/read-device';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { expectedValues, peerSpecFor, PROFILE_CASES } from '../fixtures/profile-cases';
import { TRANSPORT_CASES, type RunningPeer } from '../helpers/modbus-transports';

describe.each(TRANSPORT_CASES)('profiles over Modbus $name', (transportCase) => {
  describe.skipIf(transportCase.skipReason).each(PROFILE_CASES)('$profileId', (profileCase) => {
    let running: RunningPeer;
    let bus: ModbusBus;
    beforeAll(async () => {
      running = await transportCase.start(peerSpecFor(profileCase));
      bus = new ModbusBus(running.transport(), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    });
    afterAll(async () => {
      await bus?.close();
      await running?.peer.stop();
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
