import { guardCounters } from '../src/engine/counter-guard';
import { MEASUREMENTS } from '../src/engine/measurements';
import { makeReading, type Reading } from '../src/engine/reading';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { entityReading, validateMappings, type EntityMapping, type EntityState } from '../src/io/ha-entity-reading';
import type { HaServerApi } from '../src/io/ha-websocket';
import { numberSetting } from '../src/settings/values';
import { linkStatus } from './lib/ha-link-status';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { statusText } from './lib/status-text';

interface HaMeterConfig {
  name?: string;
  server: string;
  deviceId: string;
  entities?: Array<{ entity?: string; measurement?: string; invert?: boolean | string }>;
  throttle?: string | number;
}

type HaServerNode = Node & HaServerApi & { configError?: string };

/** Checks the configuration up front, so a user sees what to fix instead of silence. */
function validate(RED: NodeAPI, config: HaMeterConfig) {
  const server = RED.nodes.getNode(config.server) as HaServerNode | null;
  if (!server) throw new Error('no Home Assistant server selected: open the node and pick or add a hems-ha-server');
  const deviceId = String(config.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  const mappings: EntityMapping[] = (config.entities ?? []).map((m) => ({
    entity: String(m.entity ?? '').trim(),
    measurement: String(m.measurement ?? '').trim(),
    invert: m.invert === true || m.invert === 'true',
  }));
  validateMappings(mappings);
  const throttleS = numberSetting(config.throttle, 0, 'throttle (s)');
  if (throttleS < 0) throw new Error(`throttle ${config.throttle} s is negative: use 0 (every change) or more`);
  return { server, deviceId, mappings, throttleMs: throttleS * 1000 };
}

function readingStatus(RED: NodeAPI, reading: Reading, expected: number) {
  const problems = Object.values(reading.quality ?? {});
  if (problems.length === 0) return { fill: 'green' as const, shape: 'dot' as const, text: statusText(RED, 'hems-ha-meter.status.values', { count: expected }) };
  const shown = expected - problems.length;
  return {
    fill: shown > 0 ? ('yellow' as const) : ('red' as const),
    shape: 'ring' as const,
    text: statusText(RED, 'hems-ha-meter.status.partial', { shown, expected, problem: problems[0] }),
  };
}

export = function register(RED: NodeAPI): void {
  function HemsHaMeterNode(this: Node, config: HaMeterConfig) {
    RED.nodes.createNode(this, config);
    const settings = checkConfig(RED, this, 'hems-ha-meter', config, () => validate(RED, config));
    if (!settings) return;
    const { server, deviceId, mappings, throttleMs } = settings;
    const states = new Map<string, EntityState | undefined>();
    let highestCounters: Record<string, number> = {};
    let emitTimer: NodeJS.Timeout | undefined;
    let lastEmitMs = Number.NEGATIVE_INFINITY;
    let lastProblems = '';

    const allKnown = () => mappings.every((m) => states.has(m.entity));

    const takeReading = (): Reading => {
      const raw = entityReading(deviceId, mappings, states, Date.now());
      const guarded = guardCounters(highestCounters, raw.values);
      highestCounters = guarded.highest;
      const quality = { ...raw.quality };
      for (const drop of guarded.dropped) {
        this.warn(`${deviceId}: ${drop.name} went backwards (${drop.previous} → ${drop.value}); value dropped`);
        quality[drop.name] = `went backwards (${drop.previous} → ${drop.value}); value dropped`;
      }
      const reading = makeReading(deviceId, Date.parse(raw.timestamp), guarded.values, quality);
      this.status(readingStatus(RED, reading, mappings.length));
      // Log missing values once when they start or change, not on every update.
      const problems = Object.values(reading.quality ?? {}).join('; ');
      if (problems !== lastProblems) {
        if (problems) this.warn(`${deviceId}: ${problems}`);
        lastProblems = problems;
      }
      return reading;
    };

    const emit = () => {
      emitTimer = undefined;
      lastEmitMs = Date.now();
      this.send({ topic: deviceId, payload: takeReading() });
    };

    // Changes arriving together (the first snapshot, one HA update touching several entities) become one reading.
    const scheduleEmit = () => {
      if (emitTimer || !allKnown() || server.linkState.state !== 'connected') return;
      emitTimer = setTimeout(emit, Math.max(0, lastEmitMs + throttleMs - Date.now()));
    };

    const unsubscribers = mappings.map((m) =>
      server.subscribeEntity(m.entity, (entity) => {
        states.set(m.entity, entity);
        scheduleEmit();
      }),
    );
    const showLink = () => {
      const link = server.linkState;
      if (link.state === 'connected') return;
      // Values from before a lost connection must not go out as fresh; HA sends them all again on reconnect.
      states.clear();
      clearTimeout(emitTimer);
      emitTimer = undefined;
      this.status(linkStatus(RED, link));
    };
    unsubscribers.push(server.onLinkState(showLink));
    showLink();

    this.on('input', (_msg: NodeMessage, send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      if (server.linkState.state !== 'connected') return done(new Error(`${deviceId}: no reading: ${server.linkState.detail}`));
      if (!allKnown()) return done(new Error(`${deviceId}: no reading yet: Home Assistant has not sent the entities`));
      send({ topic: deviceId, payload: takeReading() });
      done();
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      clearTimeout(emitTimer);
      for (const unsubscribe of unsubscribers) unsubscribe();
      done();
    });
  }
  registerNodeType(RED, 'hems-ha-meter', HemsHaMeterNode);

  // The editor lists measurements from the runtime, so the package has one vocabulary.
  RED.httpAdmin.get('/hems/measurements', RED.auth.needsPermission('hems-ha-meter.read'), (_req, res) => {
    res.json(Object.entries(MEASUREMENTS).map(([name, spec]) => ({ name, unit: spec.unit, label: spec.label })));
  });
};
