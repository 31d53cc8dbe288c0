import { REGISTER_WORDS, type RegisterSpec, type RegisterType, type WordOrder } from './profile';

const WRITERS: Record<RegisterType, (b: Buffer, v: number) => void> = {
  uint16: (b, v) => b.writeUInt16BE(Math.round(v) & 0xffff),
  int16: (b, v) => b.writeInt16BE(Math.round(v)),
  uint32: (b, v) => b.writeUInt32BE(Math.round(v) >>> 0),
  int32: (b, v) => b.writeInt32BE(Math.round(v)),
  float32: (b, v) => b.writeFloatBE(v),
  uint64: (b, v) => b.writeBigUInt64BE(BigInt(Math.round(v))),
};

/**
 * The register words a device would hold for a canonical value: the inverse of decodeRegister.
 * The simulator serves these; `abs` cannot be undone, so the value is stored as given.
 */
export function encodeRegister(spec: RegisterSpec, value: number, profileWordOrder: WordOrder): number[] {
  const signed = spec.sign === 'negate' ? -value : value;
  return encodeRaw(spec.type, signed / (spec.scale ?? 1), spec.wordOrder ?? profileWordOrder);
}

/** A raw value as register words of the given type. */
export function encodeRaw(type: RegisterType, raw: number, wordOrder: WordOrder): number[] {
  const bytes = Buffer.alloc(REGISTER_WORDS[type] * 2);
  WRITERS[type](bytes, raw);
  const words = Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16BE(i * 2));
  return wordOrder === 'big' ? words : words.reverse();
}
