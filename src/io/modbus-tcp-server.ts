/** A Modbus TCP server over a register image: the demo's simulated meter. */
import { ServerTCP } from 'modbus-serial';
import { registerKey, type RegisterImage } from '../simulator/register-image';

export interface SimulatedDeviceServer {
  close(): Promise<void>;
}

export function startModbusTcpServer(options: { host: string; port: number; unitId: number; image: RegisterImage }): Promise<SimulatedDeviceServer> {
  const { image } = options;
  // Unwritten addresses read as 0, as Eastron meters answer for parameters not in use.
  const read = (table: 'input' | 'holding') => (address: number) => image.get(registerKey(table, address)) ?? 0;
  const server = new ServerTCP(
    {
      getInputRegister: read('input'),
      getHoldingRegister: read('holding'),
      getCoil: () => false,
      getDiscreteInput: () => false,
      setRegister: () => undefined,
      setCoil: () => undefined,
    },
    { host: options.host, port: options.port, unitID: options.unitId },
  );
  // An unhandled 'error' event would take the whole process down with it.
  server.on('error', () => undefined);
  server.on('socketError', () => undefined);
  return new Promise((resolve, reject) => {
    server.on('serverError', reject);
    server.on('initialized', () =>
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}
