import { describe, expect, it } from 'vitest';
import { frameGapMs, parseSerialLine, serialLineLabel } from '../../src/io/serial-line';

describe('parseSerialLine', () => {
  it('accepts settings as the editor saves them (numbers as strings)', () => {
    const line = parseSerialLine({ path: ' /dev/ttyUSB0 ', baudRate: '19200', parity: 'even', dataBits: '8', stopBits: '1' });
    expect(line).toEqual({ path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 });
    expect(serialLineLabel(line)).toBe('/dev/ttyUSB0 19200 8E1');
  });

  const good = { path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };
  it.each([
    [{ path: '' }, "serial port is empty: give the adapter's device, for example /dev/ttyUSB0"],
    [{ baudRate: 1234 }, 'baud rate "1234" is not supported: use one of 2400, 4800, 9600, 19200, 38400, 57600, 115200'],
    [{ parity: 'mark' }, 'parity "mark" is not supported: use one of none, even, odd'],
    [{ dataBits: 6 }, 'data bits "6" is not supported: use one of 7, 8'],
    [{ stopBits: 1.5 }, 'stop bits "1.5" is not supported: use one of 1, 2'],
  ])('%j → an error naming the setting, the value and the choices', (override, message) => {
    expect(() => parseSerialLine({ ...good, ...override })).toThrow(message);
  });

  it('names the setting as the caller calls it (the CLI flags)', () => {
    const flags = { path: '--rtu', baudRate: '--baud', parity: '--parity', dataBits: '--data-bits', stopBits: '--stop-bits' };
    expect(() => parseSerialLine({ ...good, baudRate: 'fast' }, flags)).toThrow('--baud "fast" is not supported');
  });
});

describe('frameGapMs: 3.5 character times', () => {
  it.each([
    [{ baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, (3.5 * 10 * 1000) / 9600],
    [{ baudRate: 9600, parity: 'even', dataBits: 8, stopBits: 1 }, (3.5 * 11 * 1000) / 9600],
    [{ baudRate: 2400, parity: 'none', dataBits: 8, stopBits: 2 }, (3.5 * 11 * 1000) / 2400],
    [{ baudRate: 19200, parity: 'odd', dataBits: 7, stopBits: 1 }, (3.5 * 10 * 1000) / 19200],
    // Above 19200 baud the spec fixes the gap at 1.75 ms.
    [{ baudRate: 38400, parity: 'none', dataBits: 8, stopBits: 1 }, 1.75],
    [{ baudRate: 115200, parity: 'even', dataBits: 8, stopBits: 1 }, 1.75],
  ] as const)('%j → %f ms', (line, gap) => {
    expect(frameGapMs(line)).toBeCloseTo(gap, 6);
  });
});
