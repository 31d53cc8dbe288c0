/**
 * The port modbus-serial's client drives for Modbus RTU: writes requests to a serial line and
 * hands back only the answer to the last request. Bytes left over from before a request (noise,
 * a late answer to a request that timed out) are dropped when the next request goes out, so they
 * cannot be taken for its answer.
 */
import { EventEmitter } from 'node:events';
import { expectedAnswer, findAnswer, type ExpectedAnswer } from './rtu-frames';

/** The part of serialport's SerialPort used here; tests and other line drivers can stand in. */
export interface SerialLink extends EventEmitter {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  write(data: Buffer): boolean;
}

/** No answer is longer than this (Modbus limits a serial frame to 256 bytes); noise beyond it is dropped. */
const MAX_BUFFERED_BYTES = 512;

export class RtuPort extends EventEmitter {
  private received = Buffer.alloc(0);
  private expected: ExpectedAnswer | undefined;

  constructor(private readonly link: SerialLink) {
    super();
    link.on('data', (chunk: Buffer) => this.onData(chunk));
    // Before the client opens the port nobody listens yet, and an unheard 'error' event would crash Node-RED.
    link.on('error', (error: Error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    link.on('close', () => this.emit('close'));
  }

  get isOpen(): boolean {
    return this.link.isOpen;
  }

  /** Bytes received since the last request that were not its answer: noise, or a wrong baud rate or parity. */
  get strayBytes(): number {
    return this.received.length;
  }

  open(callback: (error: Error | null) => void): void {
    this.link.open(callback);
  }

  close(callback?: (error: Error | null) => void): void {
    if (this.link.isOpen) this.link.close(callback);
    else callback?.(null);
  }

  write(request: Buffer): void {
    this.received = Buffer.alloc(0);
    this.expected = expectedAnswer(request);
    this.link.write(request);
  }

  private onData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]).subarray(-MAX_BUFFERED_BYTES);
    if (!this.expected) return;
    const answer = findAnswer(this.received, this.expected);
    if (!answer) return;
    this.expected = undefined;
    this.received = Buffer.alloc(0);
    this.emit('data', Buffer.from(answer));
  }
}
