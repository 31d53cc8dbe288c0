/** Modbus TCP: a device or gateway on the network. */
import ModbusRTU from 'modbus-serial';
import { ModbusError, type ModbusClient, type ModbusTransport } from './modbus-bus';

export interface TcpEndpoint {
  host: string;
  port: number;
}

export function tcpTransport(endpoint: TcpEndpoint): ModbusTransport {
  const label = `${endpoint.host}:${endpoint.port}`;
  return {
    label,
    lowestUnitId: 0,
    // TCP frames carry their length; only a slow gateway needs a gap, and the user configures it.
    minFrameGapMs: 0,
    async open(timeoutMs: number): Promise<ModbusClient> {
      const client = new ModbusRTU();
      try {
        await client.connectTCP(endpoint.host, { port: endpoint.port, timeout: timeoutMs });
        return client;
      } catch (err) {
        client.close(() => undefined);
        const code = (err as { code?: string }).code ?? (err as Error).message;
        throw new ModbusError(
          `cannot connect to ${label}: ${code}; is the device or gateway on, and are host and port right?`,
          'connect',
        );
      }
    },
    silenceHint: () => 'is the unit id right and the device on?',
  };
}
