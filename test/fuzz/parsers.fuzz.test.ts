/**
 * Property-based tests over the pure parsers and validators every input passes: whatever comes
 * in, they answer with a value or a clear refusal, never an exception nobody wrote and never a
 * raw engine error text; what they accept is within its physical range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INCREMENT, pulseFromPayload } from '../../src/devices/pulse-counter';
import { shellyGen2, tasmota } from '../../src/devices/relays/protocols';
import { createMqttMeterSource } from '../../src/devices/mqtt/mqtt-meter-source';
import { validateLoadConfig, type LoadConfig } from '../../src/engine/allocator';
import { parseMeasuredState } from '../../src/engine/optimiser/load-feedback';
import { parsePrices } from '../../src/engine/optimiser/price-now';
import { parseRippleInputs } from '../../src/engine/optimiser/ripple-inputs';
import { parseJobMessage } from '../../src/engine/planner-session/jobs';
import { parsePvForecast } from '../../src/engine/planner-session/horizon-slots';
import { parseSgReadyInput } from '../../src/engine/sg-ready';
import { SHOWN_VALUE_MAX_CHARS, showValue } from '../../src/engine/show-value';
import { validateCommand } from '../../src/ha-discovery/commands';
import { relayDevice } from '../../src/ha-discovery/devices/relay';
import { sgReadyDevice } from '../../src/ha-discovery/devices/sg-ready';
import type { EntitySpec } from '../../src/ha-discovery/entities';
import { anyValue, fuzzParameters, NAMES_A_FIELD, payloadFor, RAW_ERROR, shaped } from './arbitraries';

/** 10 000 runs take seconds; a machine busy with other work may need minutes. */
const FUZZ_TIMEOUT_MS = 180_000;

/** A refusal a person can read: no raw engine text, and not a wall of data. */
function expectClear(text: string): void {
  expect(text).not.toMatch(RAW_ERROR);
  expect(text.length).toBeLessThan(2000);
}

/** Runs a parser: it may refuse by throwing an Error, never anything else. */
function refusalOf(parse: () => unknown): string | undefined {
  try {
    const outcome = parse() as { error?: unknown; problem?: unknown; ok?: boolean } | undefined;
    const said = outcome && typeof outcome === 'object' ? (outcome.error ?? outcome.problem) : undefined;
    return typeof said === 'string' ? said : undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return (err as Error).message;
  }
}

const LOAD: LoadConfig = { id: 'boiler', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus' };
const NOW_MS = Date.UTC(2026, 11, 5, 10, 0, 0);

/** Name, payloads, parser, and whether it parses a message (its refusals then name the `msg.` field). */
const PARSERS: Array<[string, fc.Arbitrary<unknown>, (payload: unknown) => unknown, boolean?]> = [
  ['pulse levels', anyValue(), (p) => pulseFromPayload('level', p), true],
  ['pulse increments', anyValue(), (p) => pulseFromPayload('increment', p), true],
  ['SG Ready input', payloadFor(['mode', 'sgReadyState', 'reason']), (p) => parseSgReadyInput(p, 'optimiser'), true],
  ['load read-back', payloadFor(['on', 'powerW', 'stage', 'phases', 'sgReadyState', 'device', 'timestamp', 'values']), (p) => parseMeasuredState(p, LOAD, 230), true],
  ['price slots', fc.oneof(anyValue(), fc.record({ slots: fc.array(payloadFor(['start', 'end', 'importEurPerKwh', 'exportEurPerKwh']), { maxLength: 4 }) })), parsePrices, true],
  ['PV forecast', fc.oneof(anyValue(), fc.record({ slots: fc.array(payloadFor(['start', 'end', 'pvW']), { maxLength: 4 }) })), parsePvForecast, true],
  ['ripple inputs', payloadFor(['k1', 'k2']), (p) => parseRippleInputs(p, ['k1', 'k2']), true],
  ['planner job', payloadFor(['loadId', 'energyKwh', 'runtimeMinutes', 'by', 'earliestStart', 'interruptible', 'runningMinutesLeft', 'id', 'cancel']), (p) => parseJobMessage(p, NOW_MS, 'Europe/Berlin'), true],
  // A load's settings are always an object (the node's own, merged with a change).
  ['load settings', shaped(['id', 'kind', 'powerW', 'priority', 'mode', 'override', 'minOnSeconds', 'phase']), (p) => validateLoadConfig(p as LoadConfig).map((e) => e.message).join('; ')],
];

describe('pure input parsers under fuzzing (seeded: HEMS_FUZZ_SEED replays a failure)', () => {
  it.each(PARSERS)('%s: a value or a clear refusal, never a raw error', (_name, payloads, parse, message) => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const refusal = refusalOf(() => parse(payload));
        const shown = typeof refusal === 'string' ? refusal : typeof parse(payload) === 'string' ? (parse(payload) as string) : undefined;
        if (shown) expectClear(shown);
        if (shown && message) expect(shown).toMatch(NAMES_A_FIELD);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('accepts only whole pulse increments from 0 to the largest allowed', () => {
    fc.assert(
      fc.property(anyValue(), (payload) => {
        const pulse = pulseFromPayload('increment', payload);
        if ('increment' in pulse) expect(Number.isSafeInteger(pulse.increment) && pulse.increment >= 0 && pulse.increment <= DEFAULT_MAX_INCREMENT).toBe(true);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('showValue prints anything, short, without a second exception', () => {
    fc.assert(
      fc.property(anyValue(), (value) => {
        const shown = showValue(value);
        expect(typeof shown).toBe('string');
        expect(shown.length).toBeLessThanOrEqual(SHOWN_VALUE_MAX_CHARS);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);
});

/** Every kind of entity HA can command, as our devices declare them. */
const COMMANDED: EntitySpec[] = [
  ...relayDevice('boiler', 'Boiler').entities,
  ...sgReadyDevice('heat_pump', 'Heat pump').entities,
  { kind: 'number', key: 'export_limit_w', name: 'Export limit', min: 0, max: 100_000, step: 100 } as EntitySpec,
  { kind: 'text', key: 'note', name: 'Note', max: 40, pattern: '[a-z]+' } as EntitySpec,
  { kind: 'button', key: 'read_now', name: 'Read now' },
];

describe('HA command payloads under fuzzing', () => {
  it('every command to every entity kind is taken or refused clearly; nothing but a known value is taken', () => {
    const payloads = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('ON', 'OFF', 'PRESS', 'auto', 'force', '1e21', 'NaN', '-0', ' 5 ', 'x'.repeat(5_000)));
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDED), payloads, (entity, payload) => {
        const check = validateCommand(entity, payload);
        if (!check.ok) return expectClear(check.error);
        if (entity.kind === 'switch') expect(typeof check.value).toBe('boolean');
        if (entity.kind === 'select') expect(entity.options).toContain(check.value);
        if (entity.kind === 'number') expect(Number.isFinite(check.value) && (check.value as number) >= entity.min && (check.value as number) <= entity.max).toBe(true);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);
});

describe('device messages under fuzzing', () => {
  const strings = fc.oneof(fc.string(), fc.json(), fc.constantFrom('null', '[]', '"ON"', '{"POWER":null}', '{"params":null}', 'x'.repeat(10_000)));

  it('relay state messages from Shelly and Tasmota: a state, nothing, or a plain refusal', () => {
    fc.assert(
      fc.property(fc.constantFrom('p/status/switch:0', 'p/events/rpc', 'stat/t/POWER', 'stat/t/RESULT', 'tele/t/STATE'), strings, (topic, payload) => {
        const parse = topic.startsWith('p/') ? () => shellyGen2.parseState(topic, payload, 0) : () => tasmota.parseState(topic, payload, 1);
        const refusal = refusalOf(parse);
        if (refusal) expect(refusal).toMatch(/^not (a )?JSON( object)?$/);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);

  it.each([
    ['shelly-pro-3em', { format: 'shelly-pro-3em' as const, topic: 'shellypro3em', shellyProfile: 'triphase' as const, paths: [] }],
    ['tasmota-sml', { format: 'tasmota-sml' as const, topic: 'sml', paths: [] }],
    ['json', { format: 'json' as const, topic: 'meter/json', paths: [{ measurement: 'power_w', path: 'a.b[0]', scale: 1000 }] }],
  ])('MQTT meter %s: every message read or named as a problem, never an exception', (_format, settings) => {
    const source = createMqttMeterSource(settings);
    const topics = [...new Set([...source.filters.map((f) => f.replace('+', 'x').replace('#', 'y')), 'shellypro3em/status/em:0', 'shellypro3em/online', 'tele/sml/SENSOR', 'tele/sml/LWT'])];
    fc.assert(
      fc.property(fc.constantFrom(...topics), strings, (topic, payload) => {
        const update = source.take(topic, payload);
        if (update.problem) expectClear(update.problem);
        for (const value of Object.values(update.reading?.values ?? {})) expect(Number.isFinite(value)).toBe(true);
      }),
      fuzzParameters(),
    );
  }, FUZZ_TIMEOUT_MS);
});
