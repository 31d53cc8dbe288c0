/**
 * The settings of an RS485/RS232 line for Modbus RTU, checked against what the devices we support
 * offer, and the timing the line imposes between frames.
 */

export interface SerialLine {
  /** The device, for example /dev/ttyUSB0 or /dev/serial/by-id/usb-FTDI_…. */
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

export const SERIAL_CHOICES = {
  baudRate: [2400, 4800, 9600, 19200, 38400, 57600, 115200],
  parity: ['none', 'even', 'odd'],
  dataBits: [7, 8],
  stopBits: [1, 2],
} as const;

type Setting = keyof typeof SERIAL_CHOICES;

/** How each setting is called where it was typed: the editor's field names, or the CLI's flags. */
export type SettingNames = Record<Setting | 'path', string>;

export const EDITOR_SETTING_NAMES: SettingNames = {
  path: 'serial port',
  baudRate: 'baud rate',
  parity: 'parity',
  dataBits: 'data bits',
  stopBits: 'stop bits',
};

function choice<S extends Setting>(names: SettingNames, setting: S, typed: unknown): (typeof SERIAL_CHOICES)[S][number] {
  const allowed: readonly (string | number)[] = SERIAL_CHOICES[setting];
  const text = String(typed ?? '').trim().toLowerCase();
  const found = allowed.find((option) => String(option) === text);
  if (found === undefined) {
    throw new Error(`${names[setting]} "${String(typed ?? '')}" is not supported: use one of ${allowed.join(', ')}`);
  }
  return found as (typeof SERIAL_CHOICES)[S][number];
}

/** Checks settings as typed (strings or numbers); throws naming the setting, its value and the choices. */
export function parseSerialLine(typed: Record<Setting | 'path', unknown>, names: SettingNames = EDITOR_SETTING_NAMES): SerialLine {
  const path = String(typed.path ?? '').trim();
  if (!path) throw new Error(`${names.path} is empty: give the adapter's device, for example /dev/ttyUSB0`);
  return {
    path,
    baudRate: choice(names, 'baudRate', typed.baudRate),
    parity: choice(names, 'parity', typed.parity),
    dataBits: choice(names, 'dataBits', typed.dataBits),
    stopBits: choice(names, 'stopBits', typed.stopBits),
  };
}

/** "/dev/ttyUSB0 9600 8N1", as device manuals write it. */
export function serialLineLabel(line: SerialLine): string {
  return `${line.path} ${line.baudRate} ${line.dataBits}${line.parity[0].toUpperCase()}${line.stopBits}`;
}

/** Bits on the wire per character: start bit, data bits, parity bit if any, stop bits. */
export function characterBits(line: Pick<SerialLine, 'parity' | 'dataBits' | 'stopBits'>): number {
  return 1 + line.dataBits + (line.parity === 'none' ? 0 : 1) + line.stopBits;
}

/**
 * The silence that ends an RTU frame: 3.5 character times. Above 19200 baud the Modbus serial
 * line spec fixes it at 1.75 ms, because UARTs cannot time shorter gaps reliably.
 */
export function frameGapMs(line: Pick<SerialLine, 'baudRate' | 'parity' | 'dataBits' | 'stopBits'>): number {
  if (line.baudRate > 19200) return 1.75;
  return (3.5 * characterBits(line) * 1000) / line.baudRate;
}
