import { MeterPoller } from '../../devices/meter-poller';
import { readFileSync } from 'node:fs';
import { buildGenericProfile } from '../../devices/generic-profile';
import type { DeviceProfile } from '../../devices/profile';
import { getProfile } from '../../devices/profiles';
import { DEFAULT_BUS_TIMING, ModbusBus, type ModbusTransport } from '../../io/modbus-bus';
import { rtuTransport } from '../../io/modbus-rtu-transport';
import { tcpTransport } from '../../io/modbus-tcp-transport';
import { parseSerialLine } from '../../io/serial-line';
import { formatReadingTable } from '../reading-table';

interface LiveArgs {
  profile?: string;
  'profile-file'?: string;
  tcp?: string;
  rtu?: string;
  baud?: string;
  parity?: string;
  'data-bits'?: string;
  'stop-bits'?: string;
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

const SERIAL_FLAGS = ['baud', 'parity', 'data-bits', 'stop-bits'] as const;
const SERIAL_FLAG_NAMES = { path: '--rtu', baudRate: '--baud', parity: '--parity', dataBits: '--data-bits', stopBits: '--stop-bits' };

/** --tcp HOST:PORT, or --rtu PATH with the line settings (defaults 9600 8N1, the most common meter setting). */
function parseTransport(args: LiveArgs): ModbusTransport {
  if (args.tcp !== undefined && args.rtu !== undefined) throw new Error('give either --tcp HOST:PORT or --rtu PATH, not both');
  if (args.rtu === undefined) {
    const serialFlag = SERIAL_FLAGS.find((flag) => args[flag] !== undefined);
    if (serialFlag) throw new Error(`--${serialFlag} ${args[serialFlag]} only applies to a serial line: use it with --rtu PATH`);
    if (args.tcp === undefined) throw new Error('--tcp HOST:PORT or --rtu PATH is required, for example --tcp 192.168.1.50:502 or --rtu /dev/ttyUSB0');
    return tcpTransport(parseEndpoint(args.tcp));
  }
  const line = parseSerialLine(
    {
      path: args.rtu,
      baudRate: args.baud ?? 9600,
      parity: args.parity ?? 'none',
      dataBits: args['data-bits'] ?? 8,
      stopBits: args['stop-bits'] ?? 1,
    },
    SERIAL_FLAG_NAMES,
  );
  return rtuTransport(line);
}

function parseNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} ${text} must be a number from ${min} to ${max}`);
  return n;
}

/** A shipped profile by id, or a generic one from a JSON file (the editor's generic profile format). */
function chooseProfile(args: LiveArgs): DeviceProfile {
  const file = args['profile-file'];
  if (args.profile && file) throw new Error('give --profile or --profile-file, not both');
  if (!file) {
    if (!args.profile) throw new Error('--profile is required: see `hems profiles` for the list, or give --profile-file');
    return getProfile(args.profile);
  }
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--profile-file ${file}: ${(err as Error).message}`);
  }
  const built = buildGenericProfile(input as Parameters<typeof buildGenericProfile>[0]);
  if ('errors' in built) throw new Error(`--profile-file ${file}: ${built.errors.join('; ')}`);
  return built.profile;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const liveCommand = {
  summary: 'read a device and print its live values (a table for people, --json for scripts)',
  usage:
    'hems live (--profile sdm630 | --profile-file my-meter.json) (--tcp HOST:PORT | --rtu PATH [--baud 9600] [--parity none|even|odd] [--data-bits 8] [--stop-bits 1])\n' +
    '             [--unit 1] [--interval 2] [--once] [--json] [--device ID]',
  options: {
    profile: { type: 'string' },
    'profile-file': { type: 'string' },
    tcp: { type: 'string' },
    rtu: { type: 'string' },
    baud: { type: 'string' },
    parity: { type: 'string' },
    'data-bits': { type: 'string' },
    'stop-bits': { type: 'string' },
    unit: { type: 'string' },
    interval: { type: 'string' },
    device: { type: 'string' },
    json: { type: 'boolean' },
    once: { type: 'boolean' },
  },
  async run(args: LiveArgs, out: (line: string) => void, signal: AbortSignal): Promise<number> {
    const profile = chooseProfile(args);
    const transport = parseTransport(args);
    // Unit 0 addresses a TCP device itself (Huawei EMMA); on RS485 it is broadcast, which nobody answers.
    const unitId = parseNumber('--unit', args.unit, profile.defaultUnitId, args.rtu ? 1 : 0, 247);
    const intervalMs = parseNumber('--interval', args.interval, 2, 0.2, 3600) * 1000;
    const bus = new ModbusBus(transport, { ...DEFAULT_BUS_TIMING, reconnectMinMs: 0 });
    const poller = new MeterPoller(bus, profile, unitId, args.device ?? `${profile.id}_${unitId}`);
    try {
      do {
        const started = Date.now();
        const result = await poller.poll();
        const { device, timestamp, values, quality } = result.reading;
        if (args.json) out(JSON.stringify({ device, timestamp, values, ...(quality ? { quality } : {}) }));
        else out(result.online ? formatReadingTable(result.reading, result.findings) + '\n' : `${device} at ${timestamp}: ${result.problem}`);
        if (args.once) return result.online ? 0 : 1;
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
      } while (!signal.aborted);
      return 0;
    } finally {
      await bus.close();
    }
  },
} as const;
