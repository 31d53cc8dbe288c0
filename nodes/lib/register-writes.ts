import type { RegisterWrite } from '../../src/devices/controls/limit-writes';
import type { ModbusBus } from '../../src/io/modbus-bus';

/** A stop must not hang on a dead device; the writes made at close get this long. */
const CLOSE_WRITE_MS = 3000;

/** One planned register write on the bus: a single word as function 6, more as function 16. */
export function sendWrite(bus: ModbusBus, unitId: number, write: RegisterWrite): Promise<void> {
  return write.words.length === 1 ? bus.writeRegister(unitId, write.address, write.words[0]) : bus.writeRegisters(unitId, write.address, write.words);
}

/**
 * The writes that leave a device safe when its node stops (a limit released, a battery back in
 * self-consumption), queued now, before the bus closes: Node-RED closes config nodes after flow
 * nodes. `done` is called when they are written, failed (`onError`) or timed out.
 */
export function writeBeforeClose(bus: ModbusBus, unitId: number, writes: RegisterWrite[], onError: (err: Error) => void, done: () => void): void {
  const written = Promise.all(writes.map((write) => sendWrite(bus, unitId, write))).catch(onError);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, CLOSE_WRITE_MS);
  });
  void Promise.race([written, timeout]).then(() => {
    clearTimeout(timer);
    done();
  });
}
