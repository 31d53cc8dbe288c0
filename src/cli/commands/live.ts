import { MeterPoller } from '../../devices/meter-poller';
import { readFileSync } from 'node:fs';
import { buildGenericProfile } from '../../devices/generic-profile';
import type { DeviceProfile } from '../../devices/profile';
import { getProfile } from '../../devices/profiles';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../io/modbus-bus';
import { MODBUS_OPTIONS, parseNumber, parseTransport, type ModbusArgs } from '../args';
import { formatReadingTable } from '../reading-table';

interface LiveArgs extends ModbusArgs {
  profile?: string;
  'profile-file'?: string;
  unit?: string;
  interval?: string;
  json?: boolean;
  once?: boolean;
  device?: string;
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
    ...MODBUS_OPTIONS,
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
        // A SunSpec device names itself at its first poll: say what was found.
        if (result.discovered && !args.json) out(`${result.discovered.manufacturer} ${result.discovered.model}: ${result.discovered.description}`);
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
