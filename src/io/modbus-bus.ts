/**
 * One Modbus bus (a TCP gateway or device, or a serial RS485 line): one connection, one
 * transaction at a time for every device on it (many gateways accept a single connection; RS485 is
 * half-duplex). The queue, timeouts, retries, frame gaps and reconnect backoff live here; a
 * transport only knows how to open its kind of connection.
 */
import type ModbusRTU from 'modbus-serial';
import { ShedCounter } from '../engine/shed-counter';
import type { RegisterReader } from '../devices/read-device';
import type { RegisterTable } from '../devices/profile';

export type ModbusClient = InstanceType<typeof ModbusRTU>;

/** How to reach the devices: Modbus TCP (`modbus-tcp-transport.ts`) or RTU (`modbus-rtu-transport.ts`). */
export interface ModbusTransport {
  /** The bus as a user knows it, in every message: "192.168.1.50:502", "/dev/ttyUSB0 9600 8N1". */
  readonly label: string;
  /** Quiet time the line itself needs between two frames (RTU: 3.5 character times). */
  readonly minFrameGapMs: number;
  /** Unit 0 addresses the device itself over TCP (Huawei EMMA, SDongle); on RS485 it is broadcast, which nobody answers. */
  readonly lowestUnitId: 0 | 1;
  /** A connected client; rejects with a ModbusError saying what to check. */
  open(timeoutMs: number): Promise<ModbusClient>;
  /** What a user should check when a device stays silent. */
  silenceHint(): string;
}

export interface BusTiming {
  /** How long one request may wait for its answer. */
  timeoutMs: number;
  /** Extra attempts after a timeout or a dropped connection (not after a Modbus exception: the device did answer). */
  retries: number;
  /** Quiet time between two transactions; slow gateways and RS485 devices need it. */
  interFrameDelayMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export const DEFAULT_BUS_TIMING: BusTiming = {
  timeoutMs: 1000,
  retries: 1,
  interFrameDelayMs: 0,
  reconnectMinMs: 1000,
  reconnectMaxMs: 30_000,
};

/**
 * Reads waiting for the bus beyond this are refused (a flood of on-demand reads, a bus too slow
 * for its polls): memory stays bounded and the queue's delay too. Writes (a relay's safe state)
 * have room up to twice this, so a queue full of reads never keeps one out.
 */
export const DEFAULT_MAX_QUEUED_READS = 256;

export interface QueueBound {
  maxQueuedReads: number;
  /** Told when reads or writes are refused for a full queue: at the first, then at most once a minute. */
  onShed?: (warning: string) => void;
}

/** Modbus exception codes as the spec names them, with what a user should check. */
const EXCEPTION_HINTS: Record<number, string> = {
  1: 'illegal function: the device does not support this read; check the profile',
  2: 'illegal data address: the device does not have these registers; check the profile and unit id',
  3: 'illegal data value: the device rejected the request size or alignment',
  4: 'server device failure',
  6: 'server device busy',
  10: 'gateway path unavailable: check the gateway configuration',
  11: 'gateway target failed to respond: the device behind the gateway is off or has another unit id',
};

/**
 * A failed transaction, with a message fit for a node status and a log line. `config` means
 * retrying cannot help until the user changes a setting or installs something.
 */
export class ModbusError extends Error {
  constructor(
    message: string,
    readonly kind: 'config' | 'connect' | 'timeout' | 'exception' | 'transport' | 'overload',
    readonly exceptionCode?: number,
  ) {
    super(message);
    this.name = 'ModbusError';
  }
}

/**
 * After a unit stays silent, its next requests fail with the same timeout for this long instead of
 * holding the bus for another timeout each, so the other devices on the bus keep their pace. The
 * requests of one poll follow back to back, well within it; polls are at least 0.2 s apart, so
 * every poll still asks the unit once and a returning device is read at the next poll.
 */
const SILENT_UNIT_HOLD_OFF_MS = 100;

const RETRIED: ReadonlySet<ModbusError['kind']> = new Set(['timeout', 'transport']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const READ_BY_TABLE: Record<RegisterTable, (c: ModbusClient, address: number, count: number) => Promise<{ data: number[] }>> = {
  input: (c, a, n) => c.readInputRegisters(a, n),
  holding: (c, a, n) => c.readHoldingRegisters(a, n),
};

export type BitTable = 'coil' | 'discrete';

const READ_BITS_BY_TABLE: Record<BitTable, (c: ModbusClient, address: number, count: number) => Promise<{ data: boolean[] }>> = {
  coil: (c, a, n) => c.readCoils(a, n),
  discrete: (c, a, n) => c.readDiscreteInputs(a, n),
};

export class ModbusBus implements RegisterReader {
  private client: ModbusClient | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private reconnectDelayMs: number;
  private nextConnectAtMs = 0;
  private lastConnectError: ModbusError | undefined;
  private onLinkLost: (() => void) | undefined;
  /** Units that just stayed silent: the timeout, and until when requests to them fail with it at once. */
  private readonly silentUnits = new Map<number, { error: ModbusError; untilMs: number }>();
  private closed = false;
  /** Transactions queued or running. */
  private queued = 0;
  private readonly shed: ShedCounter;

  constructor(
    private readonly transport: ModbusTransport,
    private readonly timing: BusTiming = DEFAULT_BUS_TIMING,
    private readonly now: () => number = Date.now,
    private readonly bound: QueueBound = { maxQueuedReads: DEFAULT_MAX_QUEUED_READS },
  ) {
    this.reconnectDelayMs = timing.reconnectMinMs;
    this.shed = new ShedCounter(
      (sinceLast, total) =>
        `${this.label}: ${sinceLast} request(s) refused, the bus queue being full (${total} since start): poll less often, read on demand less often, or spread the devices over more buses`,
    );
  }

  /** Requests refused since the start for a full queue. */
  get shedCount(): number {
    return this.shed.total;
  }

  get label(): string {
    return this.transport.label;
  }

  get lowestUnitId(): 0 | 1 {
    return this.transport.lowestUnitId;
  }

  /** The gap kept after every transaction: the configured one, but never less than the line needs. */
  get frameGapMs(): number {
    return Math.max(this.timing.interFrameDelayMs, this.transport.minFrameGapMs);
  }

  readRegisters(unitId: number, table: RegisterTable, address: number, count: number): Promise<number[]> {
    return this.transact(unitId, `${table} registers ${address}..${address + count - 1}`, 'read', async (client) => {
      const { data } = await READ_BY_TABLE[table](client, address, count);
      return data;
    });
  }

  /** Coils (function 01) or discrete inputs (function 02). */
  readBits(unitId: number, table: BitTable, address: number, count: number): Promise<boolean[]> {
    return this.transact(unitId, `${table}s ${address}..${address + count - 1}`, 'read', async (client) => {
      const { data } = await READ_BITS_BY_TABLE[table](client, address, count);
      return data.slice(0, count);
    });
  }

  /** Function 05: one coil on or off. */
  writeCoil(unitId: number, address: number, on: boolean): Promise<void> {
    return this.transact(unitId, `coil ${address} := ${on ? 'on' : 'off'}`, 'write', async (client) => {
      await client.writeCoil(address, on);
    });
  }

  /** Function 06: one holding register. */
  writeRegister(unitId: number, address: number, value: number): Promise<void> {
    return this.transact(unitId, `holding register ${address} := 0x${value.toString(16).padStart(4, '0')}`, 'write', async (client) => {
      await client.writeRegister(address, value);
    });
  }

  /** Function 16: consecutive holding registers in one request, as a 32-bit value must be written. */
  writeRegisters(unitId: number, address: number, values: number[]): Promise<void> {
    const words = values.map((v) => `0x${v.toString(16).padStart(4, '0')}`).join(' ');
    return this.transact(unitId, `holding registers ${address}..${address + values.length - 1} := ${words}`, 'write', async (client) => {
      await client.writeRegisters(address, values);
    });
  }

  /** One request to one unit through the queue, with retries, reconnects and the silent-unit hold-off. */
  private transact<T>(unitId: number, what: string, direction: 'read' | 'write', request: (client: ModbusClient) => Promise<T>): Promise<T> {
    const described = `unit ${unitId} ${what}`;
    const silent = this.silentUnits.get(unitId);
    if (silent && this.now() < silent.untilMs) return Promise.reject(silent.error);
    const limit = direction === 'read' ? this.bound.maxQueuedReads : 2 * this.bound.maxQueuedReads;
    if (this.queued >= limit) {
      const warning = this.shed.shed(this.now());
      if (warning) this.bound.onShed?.(warning);
      return Promise.reject(new ModbusError(`${this.label} ${described}: refused, ${this.queued} requests already wait for the bus`, 'overload'));
    }
    const transaction = this.enqueue(async () => {
      for (let attempt = 0; ; attempt++) {
        // Fetched per attempt: a retry after a dropped connection reconnects.
        const client = await this.connected();
        client.setID(unitId);
        try {
          const result = await this.unlessLinkLost(described, request(client));
          this.silentUnits.delete(unitId);
          return result;
        } catch (err) {
          const error = this.explain(err, described);
          if (error.kind === 'transport') this.dropConnection();
          if (RETRIED.has(error.kind) && attempt < this.timing.retries) continue;
          throw error;
        }
      }
    });
    // Marked when the caller hears of it (after the frame gap), so its next request falls in the hold-off.
    return transaction.catch((error: ModbusError) => {
      if (error.kind === 'timeout') this.silentUnits.set(unitId, { error, untilMs: this.now() + SILENT_UNIT_HOLD_OFF_MS });
      throw error;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.dropConnection();
  }

  /** Runs transactions strictly one after another, with the frame gap after each. */
  private enqueue<T>(transaction: () => Promise<T>): Promise<T> {
    // Checked when queued, not when run: what was queued before close() still goes out (a relay's
    // safe state written while Node-RED stops), and close() waits for it.
    if (this.closed) return Promise.reject(new ModbusError(`${this.label}: bus closed`, 'transport'));
    this.queued += 1;
    const run = this.queue.then(async () => {
      try {
        return await transaction();
      } finally {
        if (this.frameGapMs > 0) await sleep(this.frameGapMs);
        this.queued -= 1;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A gateway that closes the socket mid-request fails the request at once instead of after the timeout. */
  private async unlessLinkLost<T>(what: string, request: Promise<T>): Promise<T> {
    const lost = new Promise<never>((_resolve, reject) => {
      this.onLinkLost = () => reject(new ModbusError(`${this.label} ${what}: the connection closed during the request`, 'transport'));
    });
    try {
      return await Promise.race([request, lost]);
    } finally {
      this.onLinkLost = undefined;
    }
  }

  private async connected(): Promise<ModbusClient> {
    if (this.client?.isOpen) return this.client;
    const waitMs = this.nextConnectAtMs - this.now();
    if (waitMs > 0 && this.lastConnectError) {
      throw new ModbusError(`${this.lastConnectError.message} (next attempt in ${Math.ceil(waitMs / 1000)} s)`, 'connect');
    }
    this.dropConnection();
    let client: ModbusClient;
    try {
      client = await this.transport.open(this.timing.timeoutMs);
    } catch (err) {
      const error = err instanceof ModbusError ? err : new ModbusError(`cannot open ${this.label}: ${(err as Error).message}`, 'connect');
      if (error.kind !== 'config') {
        this.lastConnectError = error;
        this.nextConnectAtMs = this.now() + this.reconnectDelayMs;
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.timing.reconnectMaxMs);
      }
      throw error;
    }
    client.setTimeout(this.timing.timeoutMs);
    // A gateway that closes the socket, or an adapter unplugged, makes the next transaction reconnect.
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.onLinkLost?.();
    });
    client.on('error', () => undefined);
    this.reconnectDelayMs = this.timing.reconnectMinMs;
    this.nextConnectAtMs = 0;
    this.lastConnectError = undefined;
    this.client = client;
    return client;
  }

  private dropConnection(): void {
    const client = this.client;
    this.client = undefined;
    if (client?.isOpen) client.close(() => undefined);
  }

  private explain(err: unknown, what: string): ModbusError {
    if (err instanceof ModbusError) return err;
    const e = err as { modbusCode?: number; errno?: string; message?: string };
    if (typeof e.modbusCode === 'number') {
      const hint = EXCEPTION_HINTS[e.modbusCode] ?? 'unknown exception';
      return new ModbusError(
        `${this.label} ${what}: Modbus exception ${e.modbusCode} (${hint})`,
        'exception',
        e.modbusCode,
      );
    }
    if (e.errno === 'ETIMEDOUT') {
      return new ModbusError(
        `${this.label} ${what}: no answer within ${this.timing.timeoutMs} ms; ${this.transport.silenceHint()}`,
        'timeout',
      );
    }
    return new ModbusError(`${this.label} ${what}: ${e.message ?? String(err)}`, 'transport');
  }
}

/**
 * A configured unit id checked against the bus: 0 is allowed over TCP (Huawei EMMA, SDongle),
 * never on RS485 where it is the broadcast address. Empty means the device's usual id.
 */
export function checkUnitId(raw: unknown, usual: number, bus: Pick<ModbusBus, 'lowestUnitId'>, what = 'unit id'): number {
  const unitId = raw === undefined || String(raw).trim() === '' ? usual : Number(raw);
  const lowest = bus.lowestUnitId;
  if (!Number.isInteger(unitId) || unitId < lowest || unitId > 247) {
    const broadcast = lowest === 1 ? ' (0 is the RS485 broadcast address, which no device answers)' : '';
    throw new Error(`${what} ${String(raw)} is not a Modbus address on this bus: use a whole number from ${lowest} to 247${broadcast}`);
  }
  return unitId;
}
