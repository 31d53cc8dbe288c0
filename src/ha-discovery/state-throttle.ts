/**
 * How often a measurement's state goes to Home Assistant. HA's recorder writes a database row for
 * every state change, so a 1 Hz meter mirrored as it is writes over a million rows a day; HA gets
 * the changes that matter, the node's own output keeps its full rate. Time is injected.
 */
import type { EntitySpec, HaDeviceSpec } from './entities';

export interface ThrottleRule {
  /** A change of at least the larger of these (relative to the last value sent) matters… */
  deadband: { absolute: number; relative: number };
  /** …and goes out once this long has passed since the last send: at once, for most. */
  minIntervalMs: number;
  /** A smaller change goes out when this long has passed since the last send, so none stays stale. */
  intervalMs: number;
}

export type ThrottleKind = 'power' | 'current' | 'voltage' | 'frequency' | 'level' | 'counter' | 'hidden';

const S = 1000;

/**
 * The defaults, per kind of measurement (docs/architecture.md, "States in Home Assistant").
 * A big power step (a kettle switching on) shows within seconds; drift shows every 10 s; energy
 * counters feed HA's hourly statistics, so a minute is plenty; entities HA hides by default
 * (reactive power, THD …) are for installers and update once a minute.
 */
export const THROTTLE_RULES: Readonly<Record<ThrottleKind, ThrottleRule>> = {
  power: { deadband: { absolute: 50, relative: 0.02 }, minIntervalMs: 5 * S, intervalMs: 10 * S },
  current: { deadband: { absolute: 0.5, relative: 0.02 }, minIntervalMs: 5 * S, intervalMs: 30 * S },
  voltage: { deadband: { absolute: 0, relative: 0.02 }, minIntervalMs: 10 * S, intervalMs: 60 * S },
  frequency: { deadband: { absolute: 0.05, relative: 0 }, minIntervalMs: 10 * S, intervalMs: 60 * S },
  level: { deadband: { absolute: 1, relative: 0 }, minIntervalMs: 10 * S, intervalMs: 60 * S },
  counter: { deadband: { absolute: 0.01, relative: 0 }, minIntervalMs: 60 * S, intervalMs: 300 * S },
  hidden: { deadband: { absolute: 0, relative: 0 }, minIntervalMs: 60 * S, intervalMs: 60 * S },
};

const KIND_BY_DEVICE_CLASS: Readonly<Record<string, ThrottleKind>> = {
  power: 'power',
  apparent_power: 'power',
  reactive_power: 'power',
  current: 'current',
  voltage: 'voltage',
  frequency: 'frequency',
  battery: 'level',
  energy: 'counter',
  gas: 'counter',
  water: 'counter',
};

/**
 * Which rule an entity's state follows; undefined: every change at once. Only numeric sensors that
 * measure are throttled: availability, alarms, modes, switches and commands' results (`everyChange`)
 * go out as they happen.
 */
export function throttleKind(entity: EntitySpec): ThrottleKind | undefined {
  if (entity.kind !== 'sensor' || !entity.stateClass || entity.everyChange) return undefined;
  if (entity.enabledByDefault === false) return 'hidden';
  const byClass = entity.deviceClass ? KIND_BY_DEVICE_CLASS[entity.deviceClass] : undefined;
  if (byClass) return byClass;
  return entity.stateClass === 'measurement' ? 'level' : 'counter';
}

/** How a node's states reach HA: `quiet` by the rules above, `all` every change at once. */
export type StateRate = NonNullable<HaDeviceSpec['states']>;
export const STATE_RATES: readonly StateRate[] = ['quiet', 'all'];

export function parseStateRate(value: unknown): StateRate {
  const rate = value === undefined || value === '' ? 'quiet' : String(value);
  if (!(STATE_RATES as readonly string[]).includes(rate)) {
    throw new Error(`Home Assistant states "${rate}" is not one of ${STATE_RATES.join(', ')}: pick "quiet" (the default) or "all"`);
  }
  return rate as StateRate;
}

/** Entity key → rule for one device; keys without a rule are sent at once. */
export function deviceThrottleRules(device: HaDeviceSpec): ReadonlyMap<string, ThrottleRule> {
  if (device.states === 'all') return new Map();
  return new Map(
    device.entities.flatMap((e) => {
      const kind = throttleKind(e);
      return kind ? [[e.key, THROTTLE_RULES[kind]] as const] : [];
    }),
  );
}

interface Sent {
  value: string | number;
  atMs: number;
}

/** When `value` may go out, given the last value sent; `nowMs` or earlier means now. */
export function sendAtMs(rule: ThrottleRule, last: Sent | undefined, value: string | number): number {
  if (!last) return -Infinity;
  // A text among numbers ("unknown") is news of its own.
  if (typeof value !== 'number' || typeof last.value !== 'number') return -Infinity;
  const band = Math.max(rule.deadband.absolute, rule.deadband.relative * Math.abs(last.value));
  return last.atMs + (Math.abs(value - last.value) >= band ? rule.minIntervalMs : rule.intervalMs);
}

export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Holds back states by their rule and sends the latest held one when its time is up, so HA never
 * keeps a stale value; one timer serves every held state.
 */
export class StateThrottle {
  private readonly sent = new Map<string, Sent>();
  private readonly held = new Map<string, { value: string | number; dueAtMs: number }>();
  private timer: unknown;
  private timerDueAtMs = Infinity;

  constructor(
    private readonly send: (topic: string, value: string | number) => void,
    private readonly clock: ThrottleClock = SYSTEM_CLOCK,
  ) {}

  offer(topic: string, value: string | number, rule: ThrottleRule): void {
    const last = this.sent.get(topic);
    if (last?.value === value) {
      this.held.delete(topic);
      return;
    }
    const dueAtMs = sendAtMs(rule, last, value);
    if (dueAtMs <= this.clock.now()) return this.sendNow(topic, value);
    this.held.set(topic, { value, dueAtMs });
    this.schedule();
  }

  /** Sends every held state now: before a clean disconnect, so the broker keeps the latest. */
  flush(): void {
    for (const [topic, { value }] of this.held) this.sendNow(topic, value);
    this.stop();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAtMs = Infinity;
  }

  private sendNow(topic: string, value: string | number): void {
    this.held.delete(topic);
    this.sent.set(topic, { value, atMs: this.clock.now() });
    this.send(topic, value);
  }

  private schedule(): void {
    const next = Math.min(...[...this.held.values()].map((h) => h.dueAtMs));
    if (next >= this.timerDueAtMs) return;
    this.clock.clearTimeout(this.timer);
    this.timerDueAtMs = next;
    this.timer = this.clock.setTimeout(() => this.onTimer(), Math.max(0, next - this.clock.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDueAtMs = Infinity;
    const now = this.clock.now();
    for (const [topic, { value, dueAtMs }] of this.held) if (dueAtMs <= now) this.sendNow(topic, value);
    if (this.held.size > 0) this.schedule();
  }
}
