/**
 * Finding a device's answer in the bytes a serial line delivered. RS485 lines pick up noise, a
 * device answering late or another master can leave bytes that are no frame; the answer is the
 * first run of bytes that has the expected unit, function and length and a correct CRC.
 */

const EXCEPTION_ANSWER_BYTES = 5; // unit, function | 0x80, exception code, CRC
const EXCEPTION_FLAG = 0x80;

/** Answer length from the request, per function code the bus sends (unit, function, byte count, data, CRC). */
const ANSWER_BYTES: Record<number, (request: Buffer) => number> = {
  1: (request) => 5 + Math.ceil(request.readUInt16BE(4) / 8),
  2: (request) => 5 + Math.ceil(request.readUInt16BE(4) / 8),
  3: (request) => 5 + 2 * request.readUInt16BE(4),
  4: (request) => 5 + 2 * request.readUInt16BE(4),
  // Single writes echo the request: unit, function, address, value, CRC.
  5: () => 8,
  6: () => 8,
  // A multiple write answers with unit, function, address, quantity, CRC.
  16: () => 8,
};

export interface ExpectedAnswer {
  unitId: number;
  functionCode: number;
  bytes: number;
}

export function expectedAnswer(request: Buffer): ExpectedAnswer {
  const functionCode = request[1];
  const length = ANSWER_BYTES[functionCode];
  if (!length) throw new Error(`Modbus RTU: no answer length known for function code ${functionCode}; add it to ANSWER_BYTES`);
  return { unitId: request[0], functionCode, bytes: length(request) };
}

/** Modbus CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF), sent low byte first. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

function crcMatches(frame: Buffer): boolean {
  return frame.readUInt16LE(frame.length - 2) === crc16(frame.subarray(0, -2));
}

/** The expected answer (or the device's exception answer) within `received`, or undefined while none is complete. */
export function findAnswer(received: Buffer, expected: ExpectedAnswer): Buffer | undefined {
  for (let start = 0; start + EXCEPTION_ANSWER_BYTES <= received.length; start++) {
    if (received[start] !== expected.unitId) continue;
    const functionCode = received[start + 1];
    const bytes =
      functionCode === expected.functionCode
        ? expected.bytes
        : functionCode === (expected.functionCode | EXCEPTION_FLAG)
          ? EXCEPTION_ANSWER_BYTES
          : 0;
    if (bytes === 0 || start + bytes > received.length) continue;
    const frame = received.subarray(start, start + bytes);
    if (crcMatches(frame)) return frame;
  }
  return undefined;
}
