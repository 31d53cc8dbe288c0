// Time per allocator cycle for a large site: 40 loads of every kind, all grid limits on,
// noisy surplus fed back through a plant that draws what it was told. Prints figures only;
// the target is well under 1 ms per cycle. Build first: npx tsc -p tsconfig.json
import { performance, PerformanceObserver } from 'node:perf_hooks';
import engine from '../dist/src/engine/allocator/index.js';

const { allocate, EMPTY_MEMORY } = engine;

const LOAD_COUNT = 40;
const WARM_UP_CYCLES = 500;
const MEASURED_CYCLES = 10_000;
const CYCLE_MS = 5_000;
const START_MS = Date.UTC(2025, 5, 1, 6, 0, 0);

function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

const KIND_TEMPLATES = [
  (id) => ({ id, kind: 'on_off', powerW: 500 + (id.length % 5) * 300, phase: 'L2' }),
  (id) => ({ id, kind: 'stepped', stagePowersW: [1000, 1000, 1000], phase: 'L1L2L3' }),
  (id) => ({ id, kind: 'modulating', control: 'current', minCurrentA: 6, maxCurrentA: 16, phases: 'auto', controllable14a: true }),
  (id) => ({ id, kind: 'modulating', control: 'power', minPowerW: 300, maxPowerW: 2500, phase: 'L3' }),
  (id) => ({ id, kind: 'sg_ready', recommendThresholdW: 1500, forceOnThresholdW: 4000, boostPowerW: 1200, controllable14a: true }),
];

const MODES = ['surplus', 'surplus', 'surplus', 'min_surplus', 'on'];

function fleet() {
  return Array.from({ length: LOAD_COUNT }, (_, index) => {
    const template = KIND_TEMPLATES[index % KIND_TEMPLATES.length];
    const load = template(`load-${index}`);
    const mode = MODES[index % MODES.length];
    const allowed = mode === 'min_surplus' && (load.kind === 'on_off' || load.kind === 'sg_ready') ? 'surplus' : mode;
    return {
      ...load,
      priority: index % 10,
      mode: allowed,
      enableDelaySeconds: 30,
      disableDelaySeconds: 60,
      minOnSeconds: 300,
      minOffSeconds: 120,
      maxStartsPerHour: 6,
      toleratedImportW: 300,
      toleratedImportSeconds: 180,
    };
  });
}

const settings = {
  marginW: 100,
  battery: { kind: 'battery_first_until_soc', socPct: 60 },
  pvPeakW: 30_000,
  exportLimitPctOfPvPeak: 70,
  importCapW: 25_000,
  fuseLimitA: 63,
  rippleControl: {
    rules: [
      { inputs: '00', feedInPct: 100 },
      { inputs: '10', feedInPct: 60 },
      { inputs: '01', feedInPct: 30, dimConsumption: true },
      { inputs: '11', feedInPct: 0, lockHeatPumps: true },
    ],
  },
};

function readingFor(command) {
  if (command === undefined) return { powerW: 0, on: false };
  const reading = { powerW: command.powerW, on: command.powerW > 0 };
  if (command.kind === 'stepped') reading.stage = command.stage;
  if (command.kind === 'modulating' && command.phases !== undefined) reading.phases = command.phases;
  if (command.kind === 'sg_ready') reading.sgReadyState = command.sgReadyState;
  return reading;
}

function run() {
  const loads = fleet();
  const random = seededRandom(20250601);
  const cycles = [];
  let memory = EMPTY_MEMORY;
  let commands = new Map();
  for (let cycle = 0; cycle < WARM_UP_CYCLES + MEASURED_CYCLES; cycle += 1) {
    const nowMs = START_MS + cycle * CYCLE_MS;
    const pvW = Math.max(0, 30_000 * Math.sin((Math.PI * cycle) / (WARM_UP_CYCLES + MEASURED_CYCLES)) * (0.4 + 0.6 * random()));
    const readings = {};
    let drawW = 0;
    for (const load of loads) {
      const reading = readingFor(commands.get(load.id));
      readings[load.id] = reading;
      drawW += reading.powerW;
    }
    const gridPowerW = 2_000 + drawW - pvW;
    const phaseA = gridPowerW / 3 / 230;
    const site = {
      readingsTimestampMs: nowMs,
      gridPowerW,
      pvPowerW: pvW,
      batteryPowerW: (random() - 0.5) * 4_000,
      batterySocPct: 40 + 40 * random(),
      currentL1A: phaseA,
      currentL2A: phaseA,
      currentL3A: phaseA,
      rippleInputs: [random() < 0.05, random() < 0.05],
      loads: readings,
    };
    const startMs = performance.now();
    const output = allocate({ nowMs, site, loads, memory, settings });
    const endMs = performance.now();
    if (cycle >= WARM_UP_CYCLES) cycles.push({ startMs, endMs });
    memory = output.memory;
    commands = new Map(output.commands.map((command) => [command.loadId, command]));
  }
  return cycles;
}

// Garbage collections are recorded so the figures can be shown with and without the cycles
// a collection happened in: the allocator's own work and the runtime's pauses differ in cause.
const gcPauses = [];
const observer = new PerformanceObserver((list) => gcPauses.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });

const cycles = run();
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();

const hadGc = (cycle) => gcPauses.some((gc) => gc.startTime < cycle.endMs && gc.startTime + gc.duration > cycle.startMs);

function summary(label, selected) {
  const timesMs = selected.map((cycle) => cycle.endMs - cycle.startMs).sort((a, b) => a - b);
  const meanMs = timesMs.reduce((sum, ms) => sum + ms, 0) / timesMs.length;
  const percentile = (p) => timesMs[Math.min(timesMs.length - 1, Math.floor((p / 100) * timesMs.length))];
  const fmt = (ms) => `${ms.toFixed(3)} ms`;
  console.log(
    `  ${label.padEnd(28)} n=${String(timesMs.length).padStart(5)}  mean ${fmt(meanMs)}  p50 ${fmt(percentile(50))}` +
      `  p99 ${fmt(percentile(99))}  max ${fmt(timesMs[timesMs.length - 1])}`,
  );
}

console.log(`allocator cycle: ${LOAD_COUNT} loads, ${MEASURED_CYCLES} cycles after ${WARM_UP_CYCLES} warm-up, node ${process.version}`);
summary('all cycles', cycles);
summary('cycles without a GC pause', cycles.filter((cycle) => !hadGc(cycle)));
