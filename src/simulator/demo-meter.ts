/**
 * The demo's simulated grid meter: the household model on a fast clock, encoded into a profile's
 * registers and served over Modbus TCP. One simulated day passes in 24 real minutes by default.
 */
import type { DeviceProfile } from '../devices/profile';
import { startModbusTcpServer } from '../io/modbus-tcp-server';
import { NEW_GRID_METER, stepGridMeter } from './grid-meter';
import { householdAt } from './household';
import { writeRegisterImage, type RegisterImage } from './register-image';

export interface DemoMeterOptions {
  host: string;
  port: number;
  unitId: number;
  profile: DeviceProfile;
  /** Simulated seconds per real second. */
  speed: number;
  /** Simulated time at start: the sample's first day at this hour. */
  startHour: number;
  updateMs: number;
}

export async function startDemoMeter(options: DemoMeterOptions) {
  const image: RegisterImage = new Map();
  const realStart = Date.now();
  const simStart = options.startHour * 3_600_000;
  let state = NEW_GRID_METER;
  let lastSim = simStart;
  let latest: Record<string, number> = {};
  const update = () => {
    const sim = simStart + (Date.now() - realStart) * options.speed;
    const stepped = stepGridMeter(state, householdAt(sim), sim - lastSim, sim);
    state = stepped.state;
    lastSim = sim;
    latest = stepped.values;
    writeRegisterImage(image, options.profile, latest);
  };
  update();
  const server = await startModbusTcpServer({ host: options.host, port: options.port, unitId: options.unitId, image });
  const timer = setInterval(update, options.updateMs);
  return {
    simulatedTime: () => new Date(lastSim),
    values: () => latest,
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
