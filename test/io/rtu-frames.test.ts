/** Finding an RTU answer among noise; the frames were encoded by pymodbus (computeCRC), not by us. */
import { describe, expect, it } from 'vitest';
import { crc16, expectedAnswer, findAnswer } from '../../src/io/rtu-frames';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const REQUEST = hex('01 04 0000 0002 71cb'); // unit 1, read input registers 0..1
const ANSWER = hex('01 04 04 4366 199a 85e4'); // 230.1 as float32
const EXCEPTION_2 = hex('01 84 02 c2c1');

describe('crc16', () => {
  it('matches the CRC pymodbus puts on a request (sent low byte first)', () => {
    expect(crc16(REQUEST.subarray(0, -2))).toBe(REQUEST.readUInt16LE(4 + 2));
  });
});

describe('expectedAnswer', () => {
  it('derives unit, function and answer length from the request', () => {
    expect(expectedAnswer(REQUEST)).toEqual({ unitId: 1, functionCode: 4, bytes: 9 });
  });

  it('expects a multiple register write (16) to echo address and quantity', () => {
    expect(expectedAnswer(hex('01 10 9CBE 0002 04 0000 0BB8'))).toEqual({ unitId: 1, functionCode: 16, bytes: 8 });
  });

  it('refuses a function code it cannot frame, naming it', () => {
    expect(() => expectedAnswer(hex('01 0F 0000 0002 01 03'))).toThrow('no answer length known for function code 15');
  });
});

describe('findAnswer', () => {
  const expected = expectedAnswer(REQUEST);

  it.each([
    ['the answer alone', ANSWER],
    ['noise before it', Buffer.concat([hex('ff 00 13 37'), ANSWER])],
    ['a false start (unit and function, then noise) before it', Buffer.concat([hex('01 04 04 de ad be ef 00 00'), ANSWER])],
    ['noise after it', Buffer.concat([ANSWER, hex('01 04 99')])],
  ])('finds it with %s', (_what, received) => {
    expect(findAnswer(received, expected)).toEqual(ANSWER);
  });

  it('finds the device exception answer', () => {
    expect(findAnswer(Buffer.concat([hex('aa'), EXCEPTION_2]), expected)).toEqual(EXCEPTION_2);
  });

  it.each([
    ['while the answer is incomplete', ANSWER.subarray(0, 8)],
    ['in an answer from another unit', Buffer.from([2, ...ANSWER.subarray(1)])],
    ['in an answer with a damaged byte', Buffer.from([...ANSWER.subarray(0, 4), 0x00, ...ANSWER.subarray(5)])],
  ])('finds nothing %s', (_what, received) => {
    expect(findAnswer(received, expected)).toBeUndefined();
  });
});
