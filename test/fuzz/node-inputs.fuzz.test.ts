/**
 * Generated messages of every shape into every node's input, through a real Node-RED runtime
 * (node-red-node-test-helper): no exception escapes, every refusal names the `msg.` field it
 * refuses (the input gate, src/settings/inputs/), none shows a raw engine error or a wall of data,
 * and afterwards each node still does its job. Seeded and bounded: HEMS_FUZZ_SEED
 * replays a failure, HEMS_FUZZ_RUNS sets the messages per node (10 000 by default).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helper, runtimeAroundTests } from '../helpers/node-red-helper';
import { waitFor } from '../helpers/peers';
import { anyValue, FUZZ_RUNS, fuzzParameters, NAMES_A_FIELD, payloadFor, RAW_ERROR } from './arbitraries';

const require = createRequire(import.meta.url);
const DIST = join(__dirname, '..', '..', 'dist', 'nodes');
const NODE_TYPES = ['hems-modbus', 'hems-meter', 'hems-pulse', 'hems-relay', 'hems-sg-ready', 'hems-optimiser', 'hems-load', 'hems-inverter-limit', 'hems-battery', 'hems-planner'];
const nodes = NODE_TYPES.map((name) => require(join(DIST, `${name}.js`)));

runtimeAroundTests(async () => helper.settings({ userDir: undefined }));

/** A Modbus bus nobody answers (port 1 refuses at once): nodes on it fail their reads, not their inputs. */
const DEAD_BUS = { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: 1, timeoutMs: 100, retries: 0 };
const OPTIMISER = { id: 'opt', z: 'tab', type: 'hems-optimiser', name: 'Optimiser', deviceId: 'optimiser', cycleSeconds: 1, gridDevice: 'grid', strategy: 'pv_surplus', pvPeakW: 10_000, wires: [['cycles']] };
const READING_FIELDS = ['device', 'timestamp', 'values', 'quality'];

interface NodeCase {
  name: string;
  /** The node under test is `under`; the rest of the flow it needs. */
  flow: Array<Record<string, unknown>>;
  topics: string[];
  fields: string[];
  /** After the fuzzing: the node still does its job. */
  stillWorks: () => Promise<void>;
  /** False for a node whose input only triggers a read: it refuses nothing, its errors are the device's answer. */
  refuses?: false;
}

let outputs: Array<{ payload: any }> = [];
const waitForOutput = (match: (payload: any) => boolean, what: string) => waitFor(() => outputs.find((m) => match(m.payload)), 5000, what);

const CASES: NodeCase[] = [
  {
    name: 'hems-pulse (increments)',
    flow: [{ id: 'under', z: 'tab', type: 'hems-pulse', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 0, messageMode: 'increment', wires: [['out']] }],
    topics: [],
    fields: ['count', 'increment'],
    stillWorks: async () => {
      const before = outputs.at(-1)?.payload.values.pulse_count ?? 0;
      helper.getNode('under').receive({ payload: 3 });
      await waitForOutput((p) => p.values.pulse_count === before + 3, 'three more pulses counted');
    },
  },
  {
    name: 'hems-pulse (levels)',
    flow: [{ id: 'under', z: 'tab', type: 'hems-pulse', deviceId: 'gas', medium: 'gas_m3', pulsesPerUnit: 100, debounceMs: 0, messageMode: 'level', wires: [['out']] }],
    topics: [],
    fields: ['level'],
    stillWorks: async () => {
      for (const level of [false, true]) helper.getNode('under').receive({ payload: level });
      await waitForOutput((p) => p.input === true, 'the level followed');
    },
  },
  {
    name: 'hems-relay',
    flow: [
      DEAD_BUS,
      { id: 'under', z: 'tab', type: 'hems-relay', deviceId: 'boiler', driver: 'modbus', bus: 'bus', unitId: 1, board: 'coil', channel: 1, safeState: 'off', commandTimeoutSeconds: 0, feedbackTimeoutSeconds: 5, pollSeconds: 60, startState: 'safe', wires: [['out']] },
    ],
    topics: ['optimiser'],
    fields: ['on', 'reason'],
    stillWorks: async () => {
      helper.getNode('under').receive({ payload: { on: true, reason: 'after the fuzz' } });
      helper.getNode('under').receive({ payload: false });
      await waitForOutput((p) => p.commanded === false, 'the last command taken');
    },
  },
  {
    name: 'hems-sg-ready',
    flow: [
      {
        id: 'under', z: 'tab', type: 'hems-sg-ready', deviceId: 'heat_pump', minDwellMinutes: 0.001, maxLockMinutes: 120, maxLocksPerDay: 1000, minGapMinutes: 0,
        controlTimeoutSeconds: 300, contact1Relay: 'a', contact1Terminal: 'NO', contact2Relay: 'b', contact2Terminal: 'NO', wires: [[], [], ['out']],
      },
    ],
    topics: ['optimiser'],
    fields: ['mode', 'sgReadyState', 'reason'],
    stillWorks: async () => {
      helper.getNode('under').receive({ payload: { mode: 'force' } });
      await waitForOutput((p) => p.state === 'force_on', 'forced on');
    },
  },
  {
    name: 'hems-optimiser',
    flow: [{ ...OPTIMISER, id: 'under', wires: [['out']] }],
    topics: ['strategy', 'exportLimitW', 'importCapW', 'ripple', 'prices'],
    fields: [...READING_FIELDS, 'slots', 'k1'],
    stillWorks: async () => {
      helper.getNode('under').receive({ topic: 'strategy', payload: 'pv_surplus' });
      helper.getNode('under').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: -2500 } } });
      await waitForOutput((p) => p.inputs?.gridPowerW === -2500, 'a cycle with the reading');
    },
  },
  {
    name: 'hems-load',
    flow: [
      OPTIMISER,
      { id: 'cycles', z: 'tab', type: 'helper' },
      { id: 'under', z: 'tab', type: 'hems-load', loadId: 'boiler', optimiser: 'opt', kind: 'on_off', powerW: 2000, priority: 1, mode: 'surplus', enableDelaySeconds: 0, feedback: 'measured', wires: [['out']] },
    ],
    topics: ['mode', 'priority', 'override', 'demand'],
    fields: ['on', 'powerW', 'stage', 'phases', 'sgReadyState', 'minutes', 'demand', ...READING_FIELDS],
    stillWorks: async () => {
      // Whatever the fuzzing left: no override, wanting power, mode on.
      helper.getNode('under').receive({ topic: 'override', payload: 'auto' });
      helper.getNode('under').receive({ topic: 'demand', payload: true });
      helper.getNode('under').receive({ topic: 'mode', payload: 'on' });
      helper.getNode('under').receive({ payload: { on: true, powerW: 2000 } });
      helper.getNode('opt').receive({ payload: { device: 'grid', timestamp: new Date().toISOString(), values: { power_w: 0 } } });
      await waitForOutput((p) => p.on === true, 'the load switched on in mode on');
    },
  },
  {
    name: 'hems-battery',
    flow: [{ id: 'under', z: 'tab', type: 'hems-battery', deviceId: 'battery', control: 'output-only', maxChargeW: 5000, maxDischargeW: 5000, wires: [['out']] }],
    topics: ['mode', 'power_w'],
    fields: ['site', 'battery', 'mode', 'powerW', 'reason'],
    stillWorks: async () => {
      helper.getNode('under').receive({ topic: 'mode', payload: 'auto' });
      helper.getNode('under').receive({ payload: { site: {}, battery: { mode: 'hold', powerW: 0, reason: 'planned: hold' } } });
      await waitForOutput((p) => p.mode === 'hold' && p.reason === 'planned: hold', 'the planned hold');
    },
  },
  {
    name: 'hems-inverter-limit',
    flow: [
      DEAD_BUS,
      { id: 'under', z: 'tab', type: 'hems-inverter-limit', deviceId: 'inverter_limit', bus: 'bus', control: 'huawei-emma-export-pct', unitId: 1, ratedPowerW: 10_000, refreshSeconds: 60, onStop: 'keep', wires: [['out']] },
    ],
    topics: ['optimiser'],
    fields: ['site', 'inverterLimitW', 'maxExportW'],
    stillWorks: async () => {
      helper.getNode('under').receive({ payload: { site: { inverterLimitW: 4000, maxExportW: 3000 } } });
      // The bus is dead: the node's answer is the communication alarm naming the limit it tried.
      await waitForOutput((p) => p.alarms?.[0]?.detail?.includes('cannot set'), 'the limit tried');
    },
  },
  {
    name: 'hems-planner',
    flow: [
      OPTIMISER,
      { id: 'cycles', z: 'tab', type: 'helper' },
      { id: 'under', z: 'tab', type: 'hems-planner', name: 'Planner', deviceId: 'planner', optimiser: 'opt', timeZone: 'UTC', wires: [['out']] },
    ],
    // Plans requested while one runs are merged into one follow-up (PlanRequests): every message is cheap.
    topics: ['prices', 'pv_forecast', 'job', 'replan'],
    fields: ['slots', 'loadId', 'energyKwh', 'runtimeMinutes', 'by', 'earliestStart', 'id', 'cancel', ...READING_FIELDS],
    stillWorks: async () => {
      helper.getNode('under').receive({ topic: 'replan', payload: true });
      await waitForOutput((p) => Array.isArray(p?.slots) || p?.planner !== undefined, 'a plan');
    },
  },
  {
    name: 'hems-meter',
    flow: [DEAD_BUS, { id: 'under', z: 'tab', type: 'hems-meter', bus: 'bus', profile: 'sdm630', unitId: 1, deviceId: 'grid', interval: 3600, wires: [['out'], []] }],
    topics: [],
    fields: [],
    refuses: false,
    stillWorks: async () => undefined,
  },
];

interface LogEntry {
  level: number;
  id: string;
  msg: unknown;
}

/** Errors and warnings the runtime logged for the node under test since log entry `from`; `refusal`: given to done(err), which Node-RED logs as the Error itself. */
function complaintsSince(from: number): Array<{ text: string; refusal: boolean }> {
  return helper
    .log()
    .args.slice(from)
    .map((a: LogEntry[]) => a[0])
    .filter((e: LogEntry) => (e.level === 20 || e.level === 30) && e.id === 'under')
    .map((e: LogEntry) => ({ text: String(e.msg), refusal: e.level === 20 && e.msg instanceof Error }));
}


describe('node inputs under fuzzing (seeded: HEMS_FUZZ_SEED replays a failure)', () => {
  it.each(CASES)('$name: every message answered, every refusal naming its field, and the node still works', async ({ flow, topics, fields, stillWorks, refuses }) => {
    helper.settings({ userDir: mkdtempSync(join(tmpdir(), 'hems-fuzz-')) });
    await helper.load(nodes, [{ id: 'tab', type: 'tab', label: 'fuzz' }, ...flow, { id: 'out', z: 'tab', type: 'helper' }]);
    outputs = [];
    helper.getNode('out').on('input', (m: { payload: any }) => outputs.push(m));
    const under = helper.getNode('under');
    // The message itself is a plain object, as Node-RED makes every message; what it carries is anything.
    const messages = fc
      .record({ topic: topics.length > 0 ? fc.oneof(fc.constantFrom(...topics), anyValue()) : anyValue(), payload: payloadFor(fields) }, { requiredKeys: [] })
      .map((msg) => ({ ...msg }));
    await fc.assert(
      fc.asyncProperty(messages, async (msg) => {
        const from = helper.log().args.length;
        under.receive(msg);
        await new Promise((resolve) => setImmediate(resolve));
        for (const { text, refusal } of complaintsSince(from)) {
          expect(text).not.toMatch(RAW_ERROR);
          expect(text.length).toBeLessThan(2000);
          if (refusal && refuses !== false) expect(text).toMatch(NAMES_A_FIELD);
        }
      }),
      fuzzParameters(),
    );
    await stillWorks();
  }, 300_000);
});

describe('counters under fuzzing', () => {
  it('a pulse count never goes backwards, on the output or on the disk, whatever comes in', async () => {
    const userDir = mkdtempSync(join(tmpdir(), 'hems-fuzz-'));
    helper.settings({ userDir });
    await helper.load(nodes, [
      { id: 'tab', type: 'tab', label: 'fuzz' },
      { id: 'under', z: 'tab', type: 'hems-pulse', deviceId: 'water', medium: 'water_l', pulsesPerUnit: 1, debounceMs: 0, messageMode: 'increment', wires: [['out']] },
      { id: 'out', z: 'tab', type: 'helper' },
    ]);
    const counts: number[] = [];
    helper.getNode('out').on('input', (m: { payload: { values: { pulse_count: number } } }) => counts.push(m.payload.values.pulse_count));
    const saved = () => {
      try {
        return JSON.parse(readFileSync(join(userDir, 'hems-state', 'pulse-water.json'), 'utf8')).count as number;
      } catch {
        return 0;
      }
    };
    let lastSaved = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyValue(), fc.integer({ min: -5, max: 20_000 })), async (payload) => {
        helper.getNode('under').receive({ payload });
        await new Promise((resolve) => setImmediate(resolve));
        const now = saved();
        expect(Number.isSafeInteger(now) && now >= lastSaved).toBe(true);
        lastSaved = now;
      }),
      fuzzParameters(Math.ceil(FUZZ_RUNS / 5)),
    );
    expect(counts.every((c, i) => Number.isSafeInteger(c) && (i === 0 || c >= counts[i - 1]))).toBe(true);
  }, 120_000);
});
