/** The scan button of the hems-modbus dialog: its admin endpoint scans a deployed bus through the bus queue. */
import { describe, expect, it } from 'vitest';
import { SUNSPEC_METER, sunspecBus } from '../fixtures/sunspec-devices';
import { helper, hemsNodes, runtimeAroundTests } from '../helpers/node-red-helper';
import { pymodbusSkipReason, startModbusPeer } from '../helpers/peers';

const peers: Array<{ stop(): Promise<void> }> = [];
runtimeAroundTests(async () => {
  while (peers.length) await peers.pop()!.stop();
});

const SDM630_AT_4 = { units: [4], size: { input: 20, holding: 20 }, registers: [{ table: 'holding' as const, address: 10, type: 'float32' as const, value: 3 }] };

describe.skipIf(pymodbusSkipReason())('hems-modbus scan endpoint', () => {
  it('lists the devices on the bus with their profile, and refuses what it cannot do', async () => {
    const peer = await startModbusPeer(sunspecBus([SUNSPEC_METER], [SDM630_AT_4]));
    peers.push(peer);
    await helper.load(hemsNodes, [{ id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: peer.port, timeoutMs: 300, retries: 0, interFrameDelayMs: 0 }]);
    const scan = (id: string, units: string) => helper.request().post(`/hems/modbus/${id}/scan`).send({ units });

    const found = await scan('bus', '1-4');
    expect(found.status).toBe(200);
    expect(found.body.lines).toEqual([
      'unit 2: SunSpec Fronius Smart Meter TS 65A-3 (meter 203) → profile sunspec (serial 2200123)',
      'unit 4: Eastron SDM630 → profile sdm630 (an SDM72 with the same map reads as sdm72)',
    ]);

    expect((await scan('nothing', '1-4')).body).toEqual({ error: 'this bus is not deployed yet: deploy it, then scan' });
    const tooMany = await scan('bus', '1-100');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toBe('100 units: scan at most 32 at a time here, or all of them with hems scan');
    expect((await scan('bus', 'x')).body.error).toBe('units "x": "x" is not a unit id or range from 0 to 247 (for example 1-10,126,200-247)');
  });
});
