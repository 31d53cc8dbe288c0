/**
 * A Modbus TCP server over register images: the demo's simulated devices. One server may answer
 * for several units, as a Modbus TCP gateway in front of an RS485 line does.
 */
import { ServerTCP } from 'modbus-serial';
import { registerKey, type RegisterImage } from '../simulator/register-image';

export interface SimulatedDeviceServer {
  close(): Promise<void>;
}

/** What one unit holds: input and holding registers, and coils (a relay board's outputs). */
export interface SimulatedUnit {
  image: RegisterImage;
  coils?: boolean[];
}

/** Modbus exception 0x02: the address is not one the device has. */
const ILLEGAL_ADDRESS = 0x02;

const refuse = (code: number, message: string) => Promise.reject(Object.assign(new Error(message), { modbusErrorCode: code }));
/** A unit the server does not have stays silent, as an absent device on a line does: the request times out. */
const silent = () => new Promise<never>(() => undefined);

export function startModbusTcpServer(
  options: { host: string; port: number } & ({ unitId: number; image: RegisterImage } | { units: ReadonlyMap<number, SimulatedUnit> }),
): Promise<SimulatedDeviceServer> {
  const units = 'units' in options ? options.units : new Map([[options.unitId, { image: options.image }]]);
  const unitOf = (unitId: number) => units.get(unitId);
  // Unwritten addresses read as 0, as Eastron meters answer for parameters not in use.
  const read = (table: 'input' | 'holding') => (address: number, unitId: number) => {
    const unit = unitOf(unitId);
    return unit ? (unit.image.get(registerKey(table, address)) ?? 0) : silent();
  };
  const coilAt = (unit: SimulatedUnit | undefined, address: number) =>
    unit?.coils && address < unit.coils.length ? unit.coils : undefined;
  const server = new ServerTCP(
    {
      getInputRegister: read('input'),
      getHoldingRegister: read('holding'),
      getCoil: (address: number, unitId: number) => {
        const unit = unitOf(unitId);
        if (!unit) return silent();
        const coils = coilAt(unit, address);
        return coils ? coils[address] : refuse(ILLEGAL_ADDRESS, `no coil ${address}`);
      },
      getDiscreteInput: () => false,
      // Writes land in the image; the device behind it (src/simulator/) reads them as its settings.
      setRegister: (address: number, value: number, unitId: number) => {
        const unit = unitOf(unitId);
        if (!unit) return silent();
        unit.image.set(registerKey('holding', address), value);
        return undefined;
      },
      setCoil: (address: number, on: boolean, unitId: number) => {
        const unit = unitOf(unitId);
        if (!unit) return silent();
        const coils = coilAt(unit, address);
        if (!coils) return refuse(ILLEGAL_ADDRESS, `no coil ${address}`);
        coils[address] = on;
        return undefined;
      },
    },
    // 255: every unit id reaches the handlers, which answer for the units this server has.
    { host: options.host, port: options.port, unitID: 255 },
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
