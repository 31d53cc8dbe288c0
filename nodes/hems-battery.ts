import { updateAlarm, type ActiveAlarm } from '../src/engine/alarms';
import { batteryActuation, describeCommand, isBatteryMode, type BatteryCommand, type OptimiserBatteryCommand } from '../src/engine/battery';
import { showValue } from '../src/engine/show-value';
import { decodeBatteryReadBack, planBatteryWrites, type BatteryWritePlan } from '../src/devices/controls/battery-writes';
import { REGISTER_WORDS } from '../src/devices/profile';
import { writeDue, type LimitWriterState } from '../src/devices/controls/limit-schedule';
import { readBackProblem } from '../src/devices/controls/limit-writes';
import { batteryDevice, BATTERY_MODE_OPTIONS } from '../src/ha-discovery/devices/battery';
import type { CommandHandler } from '../src/ha-discovery/bridge';
import { checkUnitId } from '../src/io/modbus-bus';
import { parseBatteryNodeConfig, type BatteryNodeConfig } from '../src/settings/battery-config';
import { BATTERY_INPUTS } from '../src/settings/inputs/battery';
import { gateInput } from '../src/settings/inputs/gate';
import { sendWrite, writeBeforeClose } from './lib/register-writes';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';

const TICK_MS = 1000;
/** A failed write is tried again this often; meanwhile the battery is in self-consumption. */
const RETRY_MS = 10_000;

export = function register(RED: NodeAPI): void {
  function HemsBatteryNode(this: Node, config: BatteryNodeConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-battery "${config.name || config.deviceId || this.id}"`;
    const v = checkConfig(RED, this, 'hems-battery', config, () => {
      const settings = parseBatteryNodeConfig(config);
      if (Object.values(settings.control.modes).every((writes) => writes.length === 0)) return { settings };
      const busNode = RED.nodes.getNode(config.bus ?? '') as ModbusBusNode | null;
      if (!busNode?.bus) throw new Error('no Modbus bus selected: pick or add a hems-modbus bus that reaches the inverter, or choose the output-only control');
      return { settings, bus: busNode.bus, unitId: checkUnitId(config.unitId, settings.control.defaultUnitId, busNode.bus) };
    }, config.name || config.deviceId || this.id);
    if (!v) return;
    const { settings, bus, unitId } = v;
    const { deviceId, control } = settings;
    const startedAtMs = Date.now();

    let optimiser: OptimiserBatteryCommand | undefined;
    let manual: BatteryCommand | undefined;
    let manualPowerW = 0;
    let readBack: { socPct?: number; powerW?: number; atMs: number } | undefined;
    let writeFailure: { command: BatteryCommand; atMs: number; error: string } | undefined;
    let writer: LimitWriterState = {};
    let applied: BatteryWritePlan | undefined;
    let told: BatteryCommand | undefined;
    let writing = false;
    let reading = false;
    let stopped = false;
    let alarm: ActiveAlarm | undefined;

    const onHaCommand: CommandHandler = (key, value) => {
      if (key === 'mode') setManual(value, 'Home Assistant');
      if (key === 'power_w' && typeof value === 'number') {
        manualPowerW = value;
        if (manual) manual = { ...manual, powerW: value };
        bridge?.publishState(deviceId, 'power_w', value);
        decide();
      }
    };
    const bridgeNode = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    const bridge = showInHa(this, `${label}: not shown in Home Assistant`, bridgeNode?.bridge, batteryDevice(deviceId, config.name || 'Battery', control.label), onHaCommand, true);
    bridge?.publishState(deviceId, 'mode', 'auto');
    bridge?.publishState(deviceId, 'power_w', manualPowerW);

    /** Status, output message and HA: on every change of the command or of the alarm. */
    const show = () => {
      if (!told) return;
      const text = `${describeCommand(told)}: ${told.reason}`;
      const fill = alarm ? 'red' : told.mode === 'self_consumption' ? 'grey' : 'green';
      this.status({ fill, shape: alarm ? 'ring' : 'dot', text: (alarm ? alarm.detail : text).slice(0, 120) });
      this.send({
        topic: deviceId,
        payload: {
          mode: told.mode,
          powerW: told.powerW,
          reason: told.reason,
          written: applied?.command.mode === told.mode && applied.command.powerW === told.powerW,
          ...(readBack?.socPct !== undefined ? { socPct: readBack.socPct } : {}),
          ...(readBack?.powerW !== undefined ? { batteryPowerW: readBack.powerW } : {}),
          alarms: alarm ? [alarm] : [],
        },
      });
      if (!bridge) return;
      bridge.publishState(deviceId, 'command', told.mode);
      bridge.publishState(deviceId, 'command_power_w', told.powerW);
      bridge.publishState(deviceId, 'reason', told.reason.slice(0, 255));
      bridge.publishAlarms(deviceId, alarm ? [alarm] : []);
    };

    const communication = (detail: string | undefined) => {
      const update = updateAlarm(alarm, 'device_communication', deviceId, { active: detail !== undefined, detail: detail ?? '' }, Date.now());
      alarm = update.active;
      if (update.change === 'raised') this.warn(`${deviceId}: ${alarm!.name}: ${alarm!.detail}`);
      if (update.change === 'cleared') this.log(`${deviceId}: device communication restored`);
      return update.change !== undefined;
    };

    /** Writes the plan, then reads back every register that holds what was written. */
    const apply = async (plan: BatteryWritePlan) => {
      if (!bus || unitId === undefined) return;
      for (const write of plan.writes) await sendWrite(bus, unitId, write);
      for (const write of plan.writes.filter((w) => w.verify)) {
        const problem = readBackProblem(write, await bus.readRegisters(unitId, 'holding', write.address, write.words.length), `${write.name}; check that remote battery control is allowed`);
        if (problem) throw new Error(problem);
      }
    };

    const writeIfDue = (plan: BatteryWritePlan) => {
      if (writing || stopped || !writeDue(writer, plan.key, Date.now(), settings.refreshMs, RETRY_MS)) return;
      writing = true;
      apply(plan).then(
        () => {
          writer = { writtenKey: plan.key, writtenAtMs: Date.now() };
          if (plan.command.mode === writeFailure?.command.mode && plan.command.powerW === writeFailure.command.powerW) writeFailure = undefined;
          const changed = applied?.key !== plan.key;
          applied = plan;
          if (communication(undefined) || changed) show();
        },
        (err: Error) => {
          // A failed write may have left part of its registers set: whatever comes next is written in full.
          writer = { failed: { key: plan.key, atMs: Date.now() } };
          // A failed self-consumption is retried by the writer; a failed mode gives way to self-consumption meanwhile.
          if (plan.command.mode !== 'self_consumption') writeFailure = { command: plan.command, atMs: Date.now(), error: err.message };
          communication(`cannot set ${plan.text} on unit ${unitId}: ${err.message}`);
          show();
        },
      ).finally(() => {
        writing = false;
        // What was decided while this write was on the bus (a fall-back after a failure) goes out now.
        if (!stopped) decide();
      });
    };

    /** The command for now (engine rules), shown when it changes and written when due. */
    function decide() {
      if (stopped) return;
      const nowMs = Date.now();
      const command = batteryActuation({
        nowMs,
        startedAtMs,
        optimiser,
        commandTimeoutMs: settings.commandTimeoutMs,
        readBackAtMs: readBack?.atMs,
        readBackMaxAgeMs: settings.readBackMaxAgeMs,
        writeFailure,
        retryMs: RETRY_MS,
        manual,
        supported: Object.keys(control.modes) as BatteryCommand['mode'][],
        driverLabel: control.label,
      });
      // Every control can do self-consumption, so a plan always comes back.
      const plan = planBatteryWrites(control, command, settings.battery)!;
      const changed = !told || told.mode !== plan.command.mode || told.powerW !== plan.command.powerW || told.reason !== plan.command.reason;
      told = plan.command;
      if (changed) show();
      writeIfDue(plan);
    }

    function setManual(mode: unknown, source: string): string | undefined {
      if (mode === 'auto') manual = undefined;
      else if (isBatteryMode(mode)) manual = { mode, powerW: manualPowerW, reason: `${describeCommand({ mode, powerW: manualPowerW })} from ${source}` };
      else return `mode = ${showValue(mode)}: choose one of ${BATTERY_MODE_OPTIONS.join(', ')}`;
      bridge?.publishState(deviceId, 'mode', mode);
      decide();
      return undefined;
    }

    const readState = () => {
      const registers = control.readBack;
      if (!registers || !bus || unitId === undefined || reading || stopped) return;
      reading = true;
      Promise.all([
        bus.readRegisters(unitId, 'holding', registers.socPct.address, REGISTER_WORDS[registers.socPct.type]),
        bus.readRegisters(unitId, 'holding', registers.powerW.address, REGISTER_WORDS[registers.powerW.type]),
      ]).then(
        ([soc, power]) => {
          readBack = { socPct: decodeBatteryReadBack(registers, 'socPct', soc), powerW: decodeBatteryReadBack(registers, 'powerW', power), atMs: Date.now() };
          if (communication(undefined)) show();
        },
        (err: Error) => {
          if (communication(`cannot read the battery's state of charge and power on unit ${unitId}: ${err.message}`)) show();
        },
      ).finally(() => {
        reading = false;
      });
    };

    this.status({ fill: 'grey', shape: 'ring', text: 'hems-battery.status.waitingForOptimiser' });
    const ticker = setInterval(decide, TICK_MS);
    const reader = setInterval(readState, settings.readMs);
    readState();

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const input = gateInput(BATTERY_INPUTS, msg, { receivedAtMs: Date.now() });
      if (!input.ok) return done(new Error(`${label}: ${input.error}`));
      const { topic, value } = input.value;
      if (topic === 'mode') setManual(value, 'a message');
      else if (topic === 'power_w') onHaCommand('power_w', value);
      else {
        optimiser = value;
        decide();
      }
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(ticker);
      clearInterval(reader);
      bridge?.unregisterDevice(this.id, removed);
      if (settings.onStop === 'keep' || !bus || unitId === undefined) return done();
      const back = planBatteryWrites(control, { mode: 'self_consumption', powerW: 0, reason: 'Node-RED stops' }, settings.battery)!;
      writeBeforeClose(bus, unitId, back.writes, (err) => this.warn(`${deviceId}: not back in self-consumption: ${err.message}`), done);
    });
  }
  registerNodeType(RED, 'hems-battery', HemsBatteryNode);
};
