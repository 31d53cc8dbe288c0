/**
 * Modbus RTU over a serial line (an RS485 adapter). The serialport module is optional in
 * modbus-serial and has a native part, so it may be missing where Node-RED runs: it is loaded
 * only when an RTU bus opens, and a missing one is reported as a setup problem while TCP buses
 * keep working.
 */
import ModbusRTU from 'modbus-serial';
import { ModbusError, type ModbusClient, type ModbusTransport } from './modbus-bus';
import { RtuPort, type SerialLink } from './rtu-port';
import { frameGapMs, serialLineLabel, type SerialLine } from './serial-line';

export type SerialLinkOptions = Omit<SerialLine, 'path'> & { path: string; autoOpen: false };
export type SerialLinkConstructor = new (options: SerialLinkOptions) => SerialLink;

export const SERIALPORT_MISSING = 'RTU needs the serialport module: npm install serialport in your Node-RED user directory';

function requireSerialPort(): SerialLinkConstructor {
  // Optional dependency: loaded when an RTU bus opens, so TCP-only installs never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('serialport') as { SerialPort: SerialLinkConstructor }).SerialPort;
}

/** What the operating system's open errors usually mean on a home server. */
const OPEN_HINTS: Array<[RegExp, string]> = [
  [/no such file/i, 'is the adapter plugged in and the path right? `ls /dev/serial/by-id` lists the adapters'],
  [/permission denied/i, 'add the user Node-RED runs as to the dialout group, then restart Node-RED'],
  [/lock|busy|temporarily unavailable/i, 'another program has the port open: another hems-modbus bus on the same path, ModemManager or a serial console'],
];

function loadLinkConstructor(load: () => SerialLinkConstructor): SerialLinkConstructor {
  try {
    return load();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND') throw new ModbusError(SERIALPORT_MISSING, 'config');
    throw new ModbusError(
      `the serialport module failed to load (${e.message}): reinstall it with npm install serialport in your Node-RED user directory`,
      'config',
    );
  }
}

export interface RtuTransportOptions {
  /** Where serialport's SerialPort comes from; tests pass a failing loader to act as a missing module. */
  loadSerialPort?: () => SerialLinkConstructor;
}

export function rtuTransport(line: SerialLine, options: RtuTransportOptions = {}): ModbusTransport {
  const label = serialLineLabel(line);
  const load = options.loadSerialPort ?? requireSerialPort;
  let port: RtuPort | undefined;
  return {
    label,
    lowestUnitId: 1,
    minFrameGapMs: frameGapMs(line),
    async open(): Promise<ModbusClient> {
      const SerialPort = loadLinkConstructor(load);
      try {
        port = new RtuPort(new SerialPort({ ...line, autoOpen: false }));
        const client = new ModbusRTU(port);
        await new Promise<void>((resolve, reject) => client.open((error: Error | null) => (error ? reject(error) : resolve())));
        return client;
      } catch (err) {
        const reason = (err as Error).message.replace(/^Error: /, '');
        const hint = OPEN_HINTS.find(([pattern]) => pattern.test(reason))?.[1] ?? 'is the adapter plugged in?';
        throw new ModbusError(`cannot open ${label}: ${reason}; ${hint}`, 'connect');
      }
    },
    silenceHint(): string {
      const stray = port?.strayBytes ?? 0;
      if (stray > 0) {
        return `${stray} bytes came back that were no answer: do baud rate, parity and stop bits match the device, and is the line terminated?`;
      }
      return 'is the unit id right, the device on, and are A and B wired the right way round?';
    },
  };
}
