import { guardCounters, type CounterDrop } from '../engine/counter-guard';
import { makeReading, type Reading } from '../engine/reading';
import { applyDeviceOptions, DEFAULT_DEVICE_OPTIONS, type DeviceOptions } from './device-options';
import { checkInstallation, type InstallationFinding, type MeterRole } from './installation-check';
import type { DeviceProfile } from './profile';
import { planProfile, readDevice, type PlannedRegister, type RegisterReader } from './read-device';
import type { ReadRequest } from './read-plan';

export interface PollResult {
  reading: Reading;
  /** The device answered at least one request. */
  online: boolean;
  /** What went wrong in this poll, worded for a status line. */
  problem?: string;
  dropped: CounterDrop[];
  /** Likely wiring errors seen in this reading (installation check). */
  findings: InstallationFinding[];
  /** Set on the poll that found the device's own register layout (SunSpec): what it turned out to be. */
  discovered?: DeviceProfile;
}

export interface MeterSetup {
  options: DeviceOptions;
  role: MeterRole;
}

export const DEFAULT_METER_SETUP: MeterSetup = { options: DEFAULT_DEVICE_OPTIONS, role: 'grid' };

/** Reads one device per call and turns the answer into a reading; counters never go backwards. */
export class MeterPoller {
  private plan: ReadRequest<PlannedRegister>[] = [];
  private found: DeviceProfile | undefined;
  private highest: Record<string, number>;

  constructor(
    private readonly reader: RegisterReader,
    readonly profile: DeviceProfile,
    readonly unitId: number,
    readonly deviceId: string,
    private readonly now: () => number = Date.now,
    private readonly setup: MeterSetup = DEFAULT_METER_SETUP,
    /** The highest counter values seen before a restart, so a bad lower read is still dropped. */
    highestCounters: Record<string, number> = {},
  ) {
    if (!profile.discover) this.use(profile);
    this.highest = { ...highestCounters };
  }

  private use(profile: DeviceProfile) {
    this.found = profile;
    this.plan = planProfile(profile);
  }

  /** The profile being read: the configured one, or what discovery found; undefined until found. */
  get deviceProfile(): DeviceProfile | undefined {
    return this.found;
  }

  get highestCounters(): Readonly<Record<string, number>> {
    return this.highest;
  }

  /** The names this meter publishes: the profile's, after phase mapping, direction and selection. */
  get publishedNames(): string[] {
    const registers = this.found?.registers ?? [];
    return Object.keys(applyDeviceOptions(Object.fromEntries(registers.map((r) => [r.name, 0])), this.setup.options));
  }

  get requestsPerPoll(): number {
    return this.plan.length;
  }

  async poll(): Promise<PollResult> {
    let discovered: DeviceProfile | undefined;
    if (!this.found && this.profile.discover) {
      try {
        discovered = await this.profile.discover(this.reader, this.unitId);
      } catch (err) {
        const problem = (err as Error).message;
        return { reading: makeReading(this.deviceId, this.now(), {}, {}), online: false, problem, dropped: [], findings: [] };
      }
      this.use(discovered);
    }
    const profile = this.found ?? this.profile;
    const read = await readDevice(this.reader, profile, this.unitId, this.plan);
    const guarded = guardCounters(this.highest, applyDeviceOptions(read.values, this.setup.options));
    this.highest = guarded.highest;
    const quality = { ...read.quality };
    for (const drop of guarded.dropped) {
      quality[drop.name] = `counter went backwards (${drop.previous} → ${drop.value}); value dropped`;
    }
    const online = Object.keys(read.values).length > 0;
    const problem = read.error?.message;
    return {
      reading: makeReading(this.deviceId, this.now(), guarded.values, quality),
      online,
      problem,
      dropped: guarded.dropped,
      findings: online ? checkInstallation(guarded.values, this.setup.role) : [],
      ...(discovered ? { discovered } : {}),
    };
  }
}
