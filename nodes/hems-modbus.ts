import { DEFAULT_BUS_TIMING, ModbusTcpBus } from '../src/io/modbus-bus';
import type { ModbusBusNode } from './lib/config-nodes';
import { numberProperty, type NodeAPI } from './lib/node-red';

interface ModbusConfig {
  name?: string;
  host: string;
  port: string | number;
  timeoutMs: string | number;
  retries: string | number;
  interFrameDelayMs: string | number;
}


export = function register(RED: NodeAPI): void {
  function HemsModbusNode(this: ModbusBusNode, config: ModbusConfig) {
    RED.nodes.createNode(this, config);
    this.bus = new ModbusTcpBus(
      { host: String(config.host || '127.0.0.1').trim(), port: numberProperty(config.port, 502) },
      {
        ...DEFAULT_BUS_TIMING,
        timeoutMs: numberProperty(config.timeoutMs, DEFAULT_BUS_TIMING.timeoutMs),
        retries: numberProperty(config.retries, DEFAULT_BUS_TIMING.retries),
        interFrameDelayMs: numberProperty(config.interFrameDelayMs, DEFAULT_BUS_TIMING.interFrameDelayMs),
      },
    );
    this.on('close', (_removed: boolean, done: () => void) => {
      this.bus.close().then(done, done);
    });
  }
  RED.nodes.registerType('hems-modbus', HemsModbusNode);
};
