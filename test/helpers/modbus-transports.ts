/**
 * The Modbus transports as a test dimension: each starts the independent pymodbus peer its way
 * (TCP port, or RTU on a socat pty pair) and says how our bus and our node reach it, so one test
 * body runs over every transport.
 */
import type { ModbusTransport } from '../../src/io/modbus-bus';
import { rtuTransport } from '../../src/io/modbus-rtu-transport';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import {
  pymodbusSkipReason,
  serialPeerSkipReason,
  startModbusPeer,
  startSerialModbusPeer,
  type ModbusPeer,
  type ModbusPeerSpec,
} from './peers';

export interface RunningPeer {
  peer: Pick<ModbusPeer, 'silence' | 'answer' | 'stop'>;
  /** How our bus reaches the peer. */
  transport(): ModbusTransport;
  /** The hems-modbus node properties that reach the peer. */
  nodeConfig: Record<string, unknown>;
}

export interface TransportCase {
  name: 'TCP' | 'RTU';
  /** Why this transport's peer cannot run here, or undefined. */
  skipReason: string | undefined;
  start(spec: ModbusPeerSpec, options?: { noiseSeed?: number }): Promise<RunningPeer>;
}

export const TRANSPORT_CASES: readonly TransportCase[] = [
  {
    name: 'TCP',
    skipReason: pymodbusSkipReason(),
    async start(spec) {
      const peer = await startModbusPeer(spec);
      return {
        peer,
        transport: () => tcpTransport({ host: '127.0.0.1', port: peer.port }),
        nodeConfig: { transport: 'tcp', host: '127.0.0.1', port: peer.port },
      };
    },
  },
  {
    name: 'RTU',
    skipReason: serialPeerSkipReason(),
    async start(spec, options = {}) {
      const peer = await startSerialModbusPeer(spec, options);
      return {
        peer,
        transport: () => rtuTransport({ path: peer.path, ...peer.line }),
        nodeConfig: {
          transport: 'rtu',
          serialPath: peer.path,
          baudRate: peer.line.baudRate,
          parity: peer.line.parity,
          dataBits: peer.line.dataBits,
          stopBits: peer.line.stopBits,
        },
      };
    },
  },
];
