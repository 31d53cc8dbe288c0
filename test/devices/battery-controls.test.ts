/** Battery commands as register writes, per control in the table, and the table against the register maps it cites. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BATTERY_CONTROLS, BATTERY_CONTROL_IDS, type BatteryControl } from '../../src/devices/controls/battery-controls';
import { clampCommand, decodeBatteryReadBack, planBatteryWrites, type BatterySettings } from '../../src/devices/controls/battery-writes';
import type { BatteryCommand } from '../../src/engine/battery';

const SETTINGS: BatterySettings = { maxChargeW: 5000, maxDischargeW: 5000, gridChargeMaxSocPct: 90, forcedMinutes: 15 };
const command = (mode: BatteryCommand['mode'], powerW = 0): BatteryCommand => ({ mode, powerW, reason: 'test' });
const writesOf = (id: keyof typeof BATTERY_CONTROLS, c: BatteryCommand) => planBatteryWrites(BATTERY_CONTROLS[id], c, SETTINGS)?.writes.map((w) => [w.address, w.words]);

describe('Huawei SUN2000 + LUNA2000', () => {
  it.each([
    ['self_consumption', 0, [[47100, [0]], [47086, [2]], [47087, [0]], [47077, [0, 5000]]]],
    ['hold', 0, [[47100, [0]], [47086, [2]], [47087, [0]], [47077, [0, 0]]]],
    ['discharge', 1200, [[47100, [0]], [47086, [2]], [47087, [0]], [47077, [0, 1200]]]],
    ['charge', 3000, [[47087, [1]], [47088, [900]], [47246, [0]], [47083, [15]], [47247, [0, 3000]], [47100, [1]]]],
  ] as const)('%s %d W', (mode, powerW, writes) => {
    expect(writesOf('huawei-sun2000-luna2000', command(mode, powerW))).toEqual(writes);
  });

  it('keeps power within the battery: a charge above the maximum is written at it, never negative', () => {
    expect(writesOf('huawei-sun2000-luna2000', command('charge', 70_000))?.at(-2)).toEqual([47247, [0, 5000]]);
    expect(clampCommand(command('discharge', -300), SETTINGS).powerW).toBe(0);
    expect(clampCommand(command('hold', 300), SETTINGS).powerW).toBe(0);
  });

  it('reads back SoC with gain 10 and battery power signed (+ = charging)', () => {
    const { readBack } = BATTERY_CONTROLS['huawei-sun2000-luna2000'];
    expect(decodeBatteryReadBack(readBack, 'socPct', [523])).toBe(52.3);
    expect(decodeBatteryReadBack(readBack, 'powerW', [0xffff, 0xfc18])).toBe(-1000);
    expect(decodeBatteryReadBack(readBack, 'socPct', [0xffff])).toBeUndefined();
  });

  it('the same command twice has the same key; another power or mode does not', () => {
    const control = BATTERY_CONTROLS['huawei-sun2000-luna2000'];
    expect(planBatteryWrites(control, command('charge', 3000), SETTINGS)!.key).toBe(planBatteryWrites(control, command('charge', 3000.2), SETTINGS)!.key);
    expect(planBatteryWrites(control, command('charge', 3000), SETTINGS)!.key).not.toBe(planBatteryWrites(control, command('charge', 3100), SETTINGS)!.key);
    expect(planBatteryWrites(control, command('hold'), SETTINGS)!.key).not.toBe(planBatteryWrites(control, command('self_consumption'), SETTINGS)!.key);
  });
});

describe('Huawei EMMA and the output-only control', () => {
  it('the EMMA can only be given self-consumption', () => {
    expect(writesOf('huawei-emma', command('self_consumption'))).toEqual([[40000, [2]]]);
    expect(writesOf('huawei-emma', command('charge', 2000))).toBeUndefined();
    expect(writesOf('huawei-emma', command('hold'))).toBeUndefined();
  });

  it('output-only writes nothing for every mode and reads nothing back', () => {
    for (const mode of ['self_consumption', 'hold', 'charge', 'discharge'] as const) expect(writesOf('output-only', command(mode, 1000))).toEqual([]);
    expect((BATTERY_CONTROLS['output-only'] as BatteryControl).readBack).toBeUndefined();
  });
});

interface MapRegister {
  address: number;
  type: string;
  gain: number;
  access: string;
}
const mapOf = (file: string): Map<number, MapRegister> =>
  new Map((JSON.parse(readFileSync(new URL(`../fixtures/registers/${file}`, import.meta.url), 'utf8')) as { registers: MapRegister[] }).registers.map((r) => [r.address, r]));

describe('the table against the register maps it cites', () => {
  const maps: Record<string, Map<number, MapRegister>> = { 'huawei-sun2000-luna2000': mapOf('huawei-sun2000.json'), 'huawei-emma': mapOf('huawei-emma.json') };
  /** Registers from huawei-solar-lib that the shared map does not list (named so in the control's source). */
  const NOT_IN_MAP = new Set([47083, 47246]);

  it.each(BATTERY_CONTROL_IDS.filter((id) => id in maps))('%s: every written register is writable with the type and gain of the map; read-back registers match', (id) => {
    const control: BatteryControl = BATTERY_CONTROLS[id];
    const map = maps[id];
    const written = Object.values(control.modes).flatMap((writes) => writes.map((w) => w.register));
    for (const register of [...written, ...(control.readBack ? [control.readBack.socPct, control.readBack.powerW] : [])]) {
      if (NOT_IN_MAP.has(register.address)) {
        expect(control.source).toContain(String(register.address));
        continue;
      }
      const entry = map.get(register.address);
      expect(entry, `register ${register.address}`).toBeDefined();
      expect([entry!.type, entry!.gain], `register ${register.address}`).toEqual([register.type, register.gain]);
      if (written.includes(register)) expect(entry!.access, `register ${register.address}`).toBe('rw');
    }
  });
});
