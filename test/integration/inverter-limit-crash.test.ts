/**
 * The inverter limit after `kill -9` of a real Node-RED, on pymodbus holding registers (the
 * Huawei EMMA's feed-in limit): set to release at stop, the limit is released first thing at the
 * next start, before any optimiser cycle (a crash could not release it); set to keep, it stays
 * until the optimiser asks for another. Never a stale limit nobody decided.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUS_TIMING, ModbusBus } from '../../src/io/modbus-bus';
import { tcpTransport } from '../../src/io/modbus-tcp-transport';
import { pymodbusSkipReason, startModbusPeer, waitFor } from '../helpers/peers';
import { startRuntime } from '../helpers/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The EMMA's active power control mode register: 7 = limited feed-in at the grid point, 0 = unlimited. */
const EMMA_MODE = 40100;

describe.skipIf(pymodbusSkipReason())('the inverter limit after kill -9', () => {
  it.each([
    ['release', 'released first thing at the restart', 0],
    ['keep', 'kept until the optimiser asks for another', 7],
  ])('set to %s at stop: %s', async (onStop, _outcome, modeAfter) => {
    const inverter = await startModbusPeer({ units: [1], size: { holding: 40_200 }, registers: [] });
    const probe = new ModbusBus(tcpTransport({ host: '127.0.0.1', port: inverter.port }), { ...DEFAULT_BUS_TIMING, timeoutMs: 500 });
    const mode = async () => (await probe.readRegisters(1, 'holding', EMMA_MODE, 1))[0];
    cleanup.push(() => inverter.stop(), () => probe.close());
    const limitNode = {
      id: 'limit', z: 'tab', type: 'hems-inverter-limit', deviceId: 'inverter_limit', bus: 'bus', control: 'huawei-emma-export-pct', unitId: 1,
      ratedPowerW: 10_000, refreshSeconds: 60, onStop, wires: [[]],
    };
    const base = [
      { id: 'tab', type: 'tab', label: 'Limit' },
      { id: 'bus', type: 'hems-modbus', host: '127.0.0.1', port: inverter.port, timeoutMs: 500, retries: 0 },
      limitNode,
    ];
    // The first run gets one optimiser cycle asking for 3 kW of feed-in at most.
    const cycle = JSON.stringify({ site: { inverterLimitW: 4000, maxExportW: 3000 } });
    const firstRun = [...base, { id: 'cycle', z: 'tab', type: 'inject', once: true, onceDelay: 0.5, repeat: '', payload: cycle, payloadType: 'json', wires: [['limit']] }];
    const userDir = mkdtempSync(join(tmpdir(), 'hems-limit-crash-'));

    const first = await startRuntime(firstRun, { userDir });
    cleanup.push(() => first.stop('SIGKILL'));
    await waitFor(async () => (await mode()) === 7 || undefined, 10_000, 'the limit set');
    await first.stop('SIGKILL');
    expect(await mode()).toBe(7);

    // The second run has no optimiser cycle: only the node's own start can touch the limit.
    const second = await startRuntime(base, { userDir, keepState: true });
    cleanup.push(() => second.stop('SIGKILL'));
    if (modeAfter === 0) await waitFor(async () => (await mode()) === 0 || undefined, 5000, 'the limit released after the crash');
    else await new Promise((r) => setTimeout(r, 2000));
    expect(await mode()).toBe(modeAfter);
  }, 90_000);
});
