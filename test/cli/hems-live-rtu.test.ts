/** `hems live --rtu`: the serial alternative to --tcp, against pymodbus on a socat pty pair. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hems } from '../helpers/cli';
import { expectedValues, peerSpecFor, SDM630_CASE } from '../fixtures/profile-cases';
import { serialPeerSkipReason, startSerialModbusPeer, type SerialModbusPeer } from '../helpers/peers';


describe('hems live --rtu: usage errors name the bad value', () => {
  const rtu = ['live', '--profile', 'sdm630', '--rtu', '/dev/ttyUSB0'];
  it.each([
    [[...rtu, '--baud', '1234'], '--baud "1234" is not supported: use one of 2400, 4800, 9600, 19200, 38400, 57600, 115200'],
    [[...rtu, '--parity', 'mark'], '--parity "mark" is not supported: use one of none, even, odd'],
    [[...rtu, '--data-bits', '9'], '--data-bits "9" is not supported: use one of 7, 8'],
    [[...rtu, '--stop-bits', '3'], '--stop-bits "3" is not supported: use one of 1, 2'],
    [['live', '--profile', 'sdm630', '--rtu', ''], "--rtu is empty: give the adapter's device, for example /dev/ttyUSB0"],
    [[...rtu, '--tcp', '127.0.0.1:502'], 'give either --tcp HOST:PORT or --rtu PATH, not both'],
    [['live', '--profile', 'sdm630', '--tcp', '127.0.0.1:502', '--baud', '9600'], '--baud 9600 only applies to a serial line: use it with --rtu PATH'],
    [['live', '--profile', 'sdm630'], '--tcp HOST:PORT or --rtu PATH is required, for example --tcp 192.168.1.50:502 or --rtu /dev/ttyUSB0'],
  ])('%j', async (args, message) => {
    const { code, stderr } = await hems(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(`hems: ${message}`);
  });

  it('says what to check when the adapter is not there, and exits 1', async () => {
    const { code, stdout } = await hems(...rtu.slice(0, 4), '/dev/hems-no-such-adapter', '--once');
    expect(code).toBe(1);
    expect(stdout).toContain('cannot open /dev/hems-no-such-adapter 9600 8N1: No such file or directory');
  });
});

describe.skipIf(serialPeerSkipReason())('hems live --rtu against pymodbus', () => {
  let peer: SerialModbusPeer;
  beforeAll(async () => {
    peer = await startSerialModbusPeer(peerSpecFor(SDM630_CASE), { line: { baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 } });
  });
  afterAll(() => peer?.stop());

  it('--json prints the reading with canonical names', async () => {
    const line = ['--baud', '19200', '--parity', 'even', '--data-bits', '8', '--stop-bits', '1'];
    const { code, stdout, stderr } = await hems('live', '--profile', 'sdm630', '--rtu', peer.path, ...line, '--once', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const reading = JSON.parse(stdout);
    expect(reading.device).toBe('sdm630_1');
    expect(reading.values).toEqual(expectedValues(SDM630_CASE));
  });
});
