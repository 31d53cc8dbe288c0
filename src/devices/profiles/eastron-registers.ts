import type { RegisterSpec } from '../profile';

/**
 * Eastron meters hold every measurement as a float32 input register (function 04), already in
 * engineering units, high word first; the profiles differ only in which addresses exist.
 */
export const eastronInput = (name: RegisterSpec['name'], address: number, sign?: RegisterSpec['sign']): RegisterSpec => ({
  name,
  table: 'input',
  address,
  type: 'float32',
  ...(sign ? { sign } : {}),
});
