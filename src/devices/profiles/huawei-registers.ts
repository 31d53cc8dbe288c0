import type { RegisterSpec } from '../profile';

/**
 * Huawei devices answer every register with function 03, high word first. `scale` is 1/gain from
 * Huawei's tables; the two Huawei devices scale the same quantity differently, so each profile
 * states its own scales rather than sharing entries.
 */
export const huaweiHolding = (
  name: RegisterSpec['name'],
  address: number,
  type: RegisterSpec['type'],
  scale?: number,
  sign?: RegisterSpec['sign'],
): RegisterSpec => ({
  name,
  table: 'holding',
  address,
  type,
  ...(scale !== undefined ? { scale } : {}),
  ...(sign ? { sign } : {}),
});

/**
 * Read limits shared by Huawei's SUN2000, SDongle and EMMA: huawei-solar-lib reads at most 64
 * registers with gaps of at most 16 (below the 125 Modbus allows), and Huawei firmware answers
 * exception 2 to a read that spans an address it does not define (wlcrs/huawei_solar #35, #1339),
 * so each profile lists the undocumented holes near its registers as rejected.
 */
export const HUAWEI_READ_LIMITS = { maxRegistersPerRead: 64, maxGapRegisters: 16, evenAlignment: false } as const;

/**
 * Huawei answers registers that have no value (a missing string, meter or battery) with the
 * type's all-ones or largest positive value; such a read is "no value", not a measurement.
 */
export const HUAWEI_NO_VALUE = { uint16: 0xffff, int16: 0x7fff, uint32: 0xffffffff, int32: 0x7fffffff } as const;
