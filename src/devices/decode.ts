import { REGISTER_WORDS, type RegisterSpec, type RegisterType, type WordOrder } from './profile';

/** Raw 16-bit register words, most significant first, into a buffer of big-endian bytes. */
function toBigEndianBytes(words: readonly number[], wordOrder: WordOrder): Buffer {
  const ordered = wordOrder === 'big' ? words : [...words].reverse();
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((word, i) => bytes.writeUInt16BE(word & 0xffff, i * 2));
  return bytes;
}

const READERS: Record<RegisterType, (bytes: Buffer) => number> = {
  uint16: (b) => b.readUInt16BE(0),
  int16: (b) => b.readInt16BE(0),
  uint32: (b) => b.readUInt32BE(0),
  int32: (b) => b.readInt32BE(0),
  float32: (b) => b.readFloatBE(0),
  uint64: (b) => Number(b.readBigUInt64BE(0)),
};

/** ASCII over registers, two characters each, up to the first NUL, trimmed (model names, serials). */
export function decodeText(words: readonly number[]): string {
  return toBigEndianBytes(words, 'big').toString('latin1').replace(/\0.*$/s, '').trim();
}

/** Two registers, most significant first, as a float32 (NaN stays NaN: the caller decides what it means). */
export function decodeFloat32(words: readonly number[]): number {
  return toBigEndianBytes(words, 'big').readFloatBE(0);
}

const SIGN_RULES = {
  negate: (v: number) => -v,
  abs: Math.abs,
  non_negative: (v: number) => Math.max(0, v),
  power_factor: (v: number) => (Math.abs(v) > 1 ? Math.abs(v) / 100 : Math.abs(v)),
} as const;

/**
 * Decodes one register's words into its canonical value. NaN, infinity and the device's own
 * "no value" marker come back as undefined. `powerOfTen` is a scale-factor register's exponent.
 */
export function decodeRegister(
  spec: RegisterSpec,
  words: readonly number[],
  profileWordOrder: WordOrder,
  noValueRaw?: number,
  powerOfTen = 0,
): number | undefined {
  const expected = REGISTER_WORDS[spec.type];
  if (words.length !== expected) {
    throw new Error(`${spec.name}: ${spec.type} needs ${expected} registers, got ${words.length}`);
  }
  const raw = READERS[spec.type](toBigEndianBytes(words, spec.wordOrder ?? profileWordOrder));
  if (!Number.isFinite(raw) || raw === noValueRaw) return undefined;
  // A float32 carries about 7 significant digits; more would be noise (230.10000610351562).
  const exact = spec.type === 'float32' ? Number(raw.toPrecision(7)) : raw;
  const scaled = exact * (spec.scale ?? 1) * 10 ** powerOfTen;
  const signed = spec.sign ? SIGN_RULES[spec.sign](scaled) : scaled;
  // Scaling by 0.1 leaves binary noise (230.10000000000002); 1e-9 resolution is far below any meter's.
  return Math.round(signed * 1e9) / 1e9 + 0;
}
