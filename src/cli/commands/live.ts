import { MeterPoller } from '../../devices/meter-poller';
import { getProfile } from '../../devices/profiles';
import { ModbusTcpBus, DEFAULT_BUS_TIMING } from '../../io/modbus-bus';
import { formatReadingTable } from '../reading-table';

interface LiveArgs {
  profile?: string;
  tcp?: string;
  unit?: string;
  interval?: string;
  json?: boolean;
  once?: boolean;
  device?: string;
}

function parseEndpoint(text: string | undefined) {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(text ?? '');
  if (!match) throw new Error(`--tcp "${text ?? ''}" is not HOST:PORT, for example --tcp 192.168.1.50:502`);
  return { host: match[1], port: Number(match[2]) };
}

function parseNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} ${text} must be a number from ${min} to ${max}`);
  return n;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const liveCommand = {
  summary: 'read a device and print its live values (a table for people, --json for scripts)',
  usage: 'hems live --profile sdm630 --tcp HOST:PORT [--unit 1] [--interval 2] [--once] [--json] [--device ID]',
  options: {
    profile: { type: 'string' },
    tcp: { type: 'string' },
    unit: { type: 'string' },
    interval: { type: 'string' },
    device: { type: 'string' },
    json: { type: 'boolean' },
    once: { type: 'boolean' },
  },
  async run(args: LiveArgs, out: (line: string) => void, signal: AbortSignal): Promise<number> {
    if (!args.profile) throw new Error('--profile is required: see `hems profiles` for the list');
    const profile = getProfile(args.profile);
    const endpoint = parseEndpoint(args.tcp);
    const unitId = parseNumber('--unit', args.unit, profile.defaultUnitId, 1, 247);
    const intervalMs = parseNumber('--interval', args.interval, 2, 0.2, 3600) * 1000;
    const bus = new ModbusTcpBus(endpoint, { ...DEFAULT_BUS_TIMING, reconnectMinMs: 0 });
    const poller = new MeterPoller(bus, profile, unitId, args.device ?? `${profile.id}_${unitId}`);
    try {
      do {
        const started = Date.now();
        const result = await poller.poll();
        const { device, timestamp, values, quality } = result.reading;
        if (args.json) out(JSON.stringify({ device, timestamp, values, ...(quality ? { quality } : {}) }));
        else out(result.online ? formatReadingTable(result.reading) + '\n' : `${device} at ${timestamp}: ${result.problem}`);
        if (args.once) return result.online ? 0 : 1;
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
      } while (!signal.aborted);
      return 0;
    } finally {
      await bus.close();
    }
  },
} as const;
