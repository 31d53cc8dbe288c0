/**
 * What the fuzz suites throw at our inputs: any JSON-like or JavaScript value (fast-check's
 * anything, with null prototypes, dates, maps, typed arrays, BigInt), values we have seen break
 * error messages (circular objects, objects whose toString or valueOf is not a function, huge
 * arrays and strings, absurd numbers), and objects shaped like each input with wrong fields.
 * Seeded: HEMS_FUZZ_SEED=<seed> replays a failure; HEMS_FUZZ_RUNS sets the runs per property.
 */
import fc from 'fast-check';

export const FUZZ_SEED = Number(process.env.HEMS_FUZZ_SEED ?? 20_261_205);
export const FUZZ_RUNS = Number(process.env.HEMS_FUZZ_RUNS ?? 10_000);
export const fuzzParameters = (numRuns = FUZZ_RUNS) => ({ seed: FUZZ_SEED, numRuns });

/** Texts of errors nobody wrote for a user: a refusal showing one of these is a bug. */
export const RAW_ERROR = /TypeError|RangeError|SyntaxError|ReferenceError|Cannot read prop|Cannot use 'in'|is not a function|is not iterable|Converting circular|Cannot convert|object to primitive|\[object Object\]|Maximum call stack|undefined is not/;

/** A refusal names what it refuses: `msg.payload.on = …`, `msg.topic = …` (src/settings/inputs/gate.ts). */
export const NAMES_A_FIELD = /\bmsg\.(payload|topic)\b/;

function exoticValues(): unknown[] {
  const circular: Record<string, unknown> = { on: true };
  circular.self = circular;
  const circularArray: unknown[] = [1];
  circularArray.push(circularArray);
  // A failing run prints its counterexample: huge values say what they are instead of all of it.
  const huge = Object.assign(Array.from({ length: 100_000 }, (_, i) => i), { [fc.toStringMethod]: () => 'Array(100000)' });
  const bare = Object.create(null) as Record<string, unknown>;
  bare.on = true;
  return [
    circular,
    circularArray,
    bare,
    { toString: 1, valueOf: 'x' },
    { toString: null, valueOf: null, toJSON: 3 },
    Object.assign(Object.create(null), { valueOf: () => ({}) }),
    huge,
    'x'.repeat(5_000),
    1e21,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '',
    ' ',
    'null',
    'NaN',
    '1e21',
    '__proto__',
    new Date(Number.NaN),
    new Map([['on', true]]),
    10n,
    () => true,
    Symbol('x'),
  ];
}

export const exotic = (): fc.Arbitrary<unknown> => fc.constantFrom(...exoticValues());

export const anyValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true, withBoxedValues: true }) },
    { weight: 2, arbitrary: exotic() },
  );

/** Objects with an input's own field names (and the odd stranger), each holding anything. */
export const shaped = (fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(fc.oneof(fc.constantFrom(...fields, '__proto__', 'constructor'), fc.string()), anyValue(), { maxKeys: fields.length + 2 });

/** A payload for an input with these fields: anything, or an object shaped like it. */
export const payloadFor = (fields: readonly string[]): fc.Arbitrary<unknown> => fc.oneof(anyValue(), shaped(fields));
