/** Flags the `hems` commands share: the Modbus connection (--tcp HOST:PORT or --rtu PATH with its line settings) and numbers in a range. */
import type { ModbusTransport } from '../io/modbus-bus';
import { rtuTransport } from '../io/modbus-rtu-transport';
import { tcpTransport } from '../io/modbus-tcp-transport';
import { parseSerialLine } from '../io/serial-line';

export interface ModbusArgs {
  tcp?: string;
  rtu?: string;
  baud?: string;
  parity?: string;
  'data-bits'?: string;
  'stop-bits'?: string;
}

export const MODBUS_OPTIONS = {
  tcp: { type: 'string' },
  rtu: { type: 'string' },
  baud: { type: 'string' },
  parity: { type: 'string' },
  'data-bits': { type: 'string' },
  'stop-bits': { type: 'string' },
} as const;

function parseEndpoint(text: string | undefined) {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(text ?? '');
  if (!match) throw new Error(`--tcp "${text ?? ''}" is not HOST:PORT, for example --tcp 192.168.1.50:502`);
  return { host: match[1], port: Number(match[2]) };
}

const SERIAL_FLAGS = ['baud', 'parity', 'data-bits', 'stop-bits'] as const;
const SERIAL_FLAG_NAMES = { path: '--rtu', baudRate: '--baud', parity: '--parity', dataBits: '--data-bits', stopBits: '--stop-bits' };

/** --tcp HOST:PORT, or --rtu PATH with the line settings (defaults 9600 8N1, the most common meter setting). */
export function parseTransport(args: ModbusArgs): ModbusTransport {
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

export function parseNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} ${text} must be a number from ${min} to ${max}`);
  return n;
}
