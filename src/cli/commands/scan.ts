import { PROFILES } from '../../devices/profiles';
import { formatScan, parseUnitRange, scanBus } from '../../devices/scan';
import { ModbusBus } from '../../io/modbus-bus';
import { MODBUS_OPTIONS, parseNumber, parseTransport, type ModbusArgs } from '../args';

interface ScanArgs extends ModbusArgs {
  units?: string;
  timeout?: string;
}

export const scanCommand = {
  summary: 'find the devices on a Modbus bus: which unit ids answer, what they are, which profile reads them (never writes)',
  usage:
    'hems scan (--tcp HOST:PORT | --rtu PATH [--baud 9600] [--parity none|even|odd] [--data-bits 8] [--stop-bits 1])\n' +
    '             [--units 1-247 (over TCP 0-247)] [--timeout 0.3]   (a silent unit costs one timeout; Ctrl-C stops after the current unit)',
  options: { ...MODBUS_OPTIONS, units: { type: 'string' }, timeout: { type: 'string' } },
  async run(args: ScanArgs, out: (line: string) => void, signal: AbortSignal): Promise<number> {
    const transport = parseTransport(args);
    const units = parseUnitRange(args.units ?? (args.rtu ? '1-247' : '0-247'));
    const timeoutS = parseNumber('--timeout', args.timeout, 0.3, 0.05, 10);
    // No retries: a unit that does not answer within the timeout is simply not there.
    const bus = new ModbusBus(transport, { timeoutMs: timeoutS * 1000, retries: 0, interFrameDelayMs: 0, reconnectMinMs: 0, reconnectMaxMs: 1000 });
    out(`scanning ${bus.label}: units ${args.units ?? `${units[0]}-${units[units.length - 1]}`}, ${timeoutS} s per silent unit (at most ${Math.ceil(units.length * timeoutS)} s)`);
    try {
      const found = await scanBus(bus, { units, profiles: Object.values(PROFILES), signal });
      if (signal.aborted) out('stopped: units after the last one asked were not scanned');
      for (const line of formatScan(found)) out(line);
      return found.length > 0 ? 0 : 1;
    } finally {
      await bus.close();
    }
  },
} as const;
