import { PROFILES } from '../src/devices/profiles';
import { formatScan, parseUnitRange, scanBus } from '../src/devices/scan';
import { DEFAULT_BUS_TIMING, DEFAULT_MAX_QUEUED_READS, ModbusBus, ModbusError, type ModbusTransport } from '../src/io/modbus-bus';
import { rtuTransport } from '../src/io/modbus-rtu-transport';
import { tcpTransport } from '../src/io/modbus-tcp-transport';
import { parseSerialLine } from '../src/io/serial-line';
import { numberSetting } from '../src/settings/values';
import type { ModbusBusNode } from './lib/config-nodes';
import { registerNodeType, type NodeAPI } from './lib/node-red';

/** As saved by the editor; flows saved before RTU existed have no `transport` and are TCP. */
interface ModbusConfig {
  name?: string;
  transport?: 'tcp' | 'rtu';
  host: string;
  port: string | number;
  serialPath?: string;
  baudRate?: string | number;
  parity?: string;
  dataBits?: string | number;
  stopBits?: string | number;
  timeoutMs: string | number;
  retries: string | number;
  interFrameDelayMs: string | number;
}

const TRANSPORTS: Record<'tcp' | 'rtu', (config: ModbusConfig) => ModbusTransport> = {
  tcp: (config) => tcpTransport({ host: String(config.host || '127.0.0.1').trim(), port: numberSetting(config.port, 502, 'port') }),
  rtu: (config) =>
    rtuTransport(
      parseSerialLine({
        path: config.serialPath,
        baudRate: config.baudRate,
        parity: config.parity,
        dataBits: config.dataBits,
        stopBits: config.stopBits,
      }),
    ),
};

/** A bus whose settings are wrong: every device on it shows the problem in its status. */
function misconfigured(label: string, problem: string): ModbusTransport {
  return {
    label,
    minFrameGapMs: 0,
    lowestUnitId: 1,
    open: () => Promise.reject(new ModbusError(problem, 'config')),
    silenceHint: () => problem,
  };
}

function transportFor(config: ModbusConfig): ModbusTransport {
  const kind = config.transport || 'tcp';
  if (!Object.hasOwn(TRANSPORTS, kind)) throw new Error(`transport "${kind}" is unknown: choose tcp or rtu`);
  return TRANSPORTS[kind as keyof typeof TRANSPORTS](config);
}

export = function register(RED: NodeAPI): void {
  function HemsModbusNode(this: ModbusBusNode, config: ModbusConfig) {
    RED.nodes.createNode(this, config);
    let transport: ModbusTransport;
    let timing = DEFAULT_BUS_TIMING;
    try {
      transport = transportFor(config);
      timing = {
        ...DEFAULT_BUS_TIMING,
        timeoutMs: numberSetting(config.timeoutMs, DEFAULT_BUS_TIMING.timeoutMs, 'timeout (ms)'),
        retries: numberSetting(config.retries, DEFAULT_BUS_TIMING.retries, 'retries'),
        interFrameDelayMs: numberSetting(config.interFrameDelayMs, DEFAULT_BUS_TIMING.interFrameDelayMs, 'delay between frames (ms)'),
      };
    } catch (err) {
      const problem = `hems-modbus "${config.name || this.id}": ${(err as Error).message}`;
      this.error(problem);
      transport = misconfigured(config.name || this.id, problem);
    }
    this.bus = new ModbusBus(transport, timing, Date.now, { maxQueuedReads: DEFAULT_MAX_QUEUED_READS, onShed: (warning) => this.warn(warning) });
    this.on('close', (_removed: boolean, done: () => void) => {
      this.bus.close().then(done, done);
    });
  }
  registerNodeType(RED, 'hems-modbus', HemsModbusNode);

  // The dialog's "scan" button: asks the units of a deployed bus through its queue (the meters on it
  // keep their turn), only reading. Bounded, so the editor gets its answer within a minute or two.
  const scanning = new Set<string>();
  RED.httpAdmin.post('/hems/modbus/:id/scan', RED.auth.needsPermission('hems-modbus.write'), (req, res) => {
    const node = RED.nodes.getNode(req.params.id) as ModbusBusNode | null;
    if (!node?.bus) return res.status(404).json({ error: 'this bus is not deployed yet: deploy it, then scan' });
    let units: number[];
    try {
      units = parseUnitRange(String((req.body as { units?: unknown } | undefined)?.units ?? '1-10'), 'units');
    } catch (err) {
      return res.status(400).json({ error: (err as Error).message });
    }
    if (units.length > MAX_EDITOR_SCAN_UNITS) {
      return res.status(400).json({ error: `${units.length} units: scan at most ${MAX_EDITOR_SCAN_UNITS} at a time here, or all of them with hems scan` });
    }
    if (scanning.has(node.id)) return res.status(409).json({ error: 'a scan of this bus is already running' });
    scanning.add(node.id);
    scanBus(node.bus, { units, profiles: Object.values(PROFILES) })
      .then((found) => res.json({ lines: formatScan(found), found }))
      .catch((err: Error) => res.status(502).json({ error: err.message }))
      .finally(() => scanning.delete(node.id));
  });
};

const MAX_EDITOR_SCAN_UNITS = 32;
