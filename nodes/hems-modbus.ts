import { DEFAULT_BUS_TIMING, ModbusBus, ModbusError, type ModbusTransport } from '../src/io/modbus-bus';
import { rtuTransport } from '../src/io/modbus-rtu-transport';
import { tcpTransport } from '../src/io/modbus-tcp-transport';
import { parseSerialLine } from '../src/io/serial-line';
import type { ModbusBusNode } from './lib/config-nodes';
import { numberProperty, registerNodeType, type NodeAPI } from './lib/node-red';

/** As saved by the editor; flows saved before RTU existed have no `transport` and are TCP. */
interface ModbusConfig {
  name?: string;
  transport?: 'tcp' | 'rtu';
  host: string;
  port: string | number;
  serialPath?: string;
  baudRate?: string | number;
  parity?: string;
  dataBits?: string | number;
  stopBits?: string | number;
  timeoutMs: string | number;
  retries: string | number;
  interFrameDelayMs: string | number;
}

const TRANSPORTS: Record<'tcp' | 'rtu', (config: ModbusConfig) => ModbusTransport> = {
  tcp: (config) => tcpTransport({ host: String(config.host || '127.0.0.1').trim(), port: numberProperty(config.port, 502) }),
  rtu: (config) =>
    rtuTransport(
      parseSerialLine({
        path: config.serialPath,
        baudRate: config.baudRate,
        parity: config.parity,
        dataBits: config.dataBits,
        stopBits: config.stopBits,
      }),
    ),
};

/** A bus whose settings are wrong: every device on it shows the problem in its status. */
function misconfigured(label: string, problem: string): ModbusTransport {
  return {
    label,
    minFrameGapMs: 0,
    lowestUnitId: 1,
    open: () => Promise.reject(new ModbusError(problem, 'config')),
    silenceHint: () => problem,
  };
}

function transportFor(config: ModbusConfig): ModbusTransport {
  const kind = config.transport || 'tcp';
  if (!Object.hasOwn(TRANSPORTS, kind)) throw new Error(`transport "${kind}" is unknown: choose tcp or rtu`);
  return TRANSPORTS[kind as keyof typeof TRANSPORTS](config);
}

export = function register(RED: NodeAPI): void {
  function HemsModbusNode(this: ModbusBusNode, config: ModbusConfig) {
    RED.nodes.createNode(this, config);
    let transport: ModbusTransport;
    try {
      transport = transportFor(config);
    } catch (err) {
      const problem = `hems-modbus "${config.name || this.id}": ${(err as Error).message}`;
      this.error(problem);
      transport = misconfigured(config.name || this.id, problem);
    }
    this.bus = new ModbusBus(transport, {
      ...DEFAULT_BUS_TIMING,
      timeoutMs: numberProperty(config.timeoutMs, DEFAULT_BUS_TIMING.timeoutMs),
      retries: numberProperty(config.retries, DEFAULT_BUS_TIMING.retries),
      interFrameDelayMs: numberProperty(config.interFrameDelayMs, DEFAULT_BUS_TIMING.interFrameDelayMs),
    });
    this.on('close', (_removed: boolean, done: () => void) => {
      this.bus.close().then(done, done);
    });
  }
  registerNodeType(RED, 'hems-modbus', HemsModbusNode);
};
