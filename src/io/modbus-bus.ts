/**
 * One Modbus bus (a TCP gateway or device): one connection, one transaction at a time for every
 * device on it (many gateways accept a single connection; RS485 is half-duplex).
 */
import ModbusRTU from 'modbus-serial';
import type { RegisterReader } from '../devices/read-device';
import type { RegisterTable } from '../devices/profile';

export interface TcpEndpoint {
  host: string;
  port: number;
}

export interface BusTiming {
  /** How long one request may wait for its answer. */
  timeoutMs: number;
  /** Extra attempts after a timeout (not after a Modbus exception: the device did answer). */
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

/** A failed transaction, with a message fit for a node status and a log line. */
export class ModbusError extends Error {
  constructor(
    message: string,
    readonly kind: 'connect' | 'timeout' | 'exception' | 'transport',
    readonly exceptionCode?: number,
  ) {
    super(message);
    this.name = 'ModbusError';
  }
}

type Client = InstanceType<typeof ModbusRTU>;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const READ_BY_TABLE: Record<RegisterTable, (c: Client, address: number, count: number) => Promise<{ data: number[] }>> = {
  input: (c, a, n) => c.readInputRegisters(a, n),
  holding: (c, a, n) => c.readHoldingRegisters(a, n),
};

export class ModbusTcpBus implements RegisterReader {
  private client: Client | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private reconnectDelayMs: number;
  private nextConnectAtMs = 0;
  private closed = false;

  constructor(
    readonly endpoint: TcpEndpoint,
    private readonly timing: BusTiming = DEFAULT_BUS_TIMING,
    private readonly now: () => number = Date.now,
  ) {
    this.reconnectDelayMs = timing.reconnectMinMs;
  }

  get label(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }

  readRegisters(unitId: number, table: RegisterTable, address: number, count: number): Promise<number[]> {
    return this.enqueue(async () => {
      const client = await this.connected();
      client.setID(unitId);
      const what = `unit ${unitId} ${table} registers ${address}..${address + count - 1}`;
      for (let attempt = 0; ; attempt++) {
        try {
          const { data } = await READ_BY_TABLE[table](client, address, count);
          return data;
        } catch (err) {
          const error = this.explain(err, what);
          if (error.kind === 'timeout' && attempt < this.timing.retries) continue;
          if (error.kind === 'transport') this.dropConnection();
          throw error;
        }
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.dropConnection();
  }

  /** Runs transactions strictly one after another, with the inter-frame gap between them. */
  private enqueue<T>(transaction: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.closed) throw new ModbusError(`${this.label}: bus closed`, 'transport');
      try {
        return await transaction();
      } finally {
        if (this.timing.interFrameDelayMs > 0) await sleep(this.timing.interFrameDelayMs);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async connected(): Promise<Client> {
    if (this.client?.isOpen) return this.client;
    const waitMs = this.nextConnectAtMs - this.now();
    if (waitMs > 0) {
      throw new ModbusError(
        `cannot connect to ${this.label} (next attempt in ${Math.ceil(waitMs / 1000)} s)`,
        'connect',
      );
    }
    this.dropConnection();
    const client = new ModbusRTU();
    client.setTimeout(this.timing.timeoutMs);
    try {
      await client.connectTCP(this.endpoint.host, { port: this.endpoint.port, timeout: this.timing.timeoutMs });
    } catch (err) {
      this.nextConnectAtMs = this.now() + this.reconnectDelayMs;
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.timing.reconnectMaxMs);
      client.close(() => undefined);
      const code = (err as { code?: string; errno?: string }).code ?? (err as Error).message;
      throw new ModbusError(
        `cannot connect to ${this.label}: ${code}; is the device or gateway on, and are host and port right?`,
        'connect',
      );
    }
    // A gateway that closes the socket makes the next transaction reconnect.
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
    });
    client.on('error', () => undefined);
    this.reconnectDelayMs = this.timing.reconnectMinMs;
    this.nextConnectAtMs = 0;
    this.client = client;
    return client;
  }

  private dropConnection(): void {
    const client = this.client;
    this.client = undefined;
    if (client?.isOpen) client.close(() => undefined);
  }

  private explain(err: unknown, what: string): ModbusError {
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
        `${this.label} ${what}: no answer within ${this.timing.timeoutMs} ms; is the unit id right and the device on?`,
        'timeout',
      );
    }
    return new ModbusError(`${this.label} ${what}: ${e.message ?? String(err)}`, 'transport');
  }
}
