import { updateAlarm, type ActiveAlarm } from '../src/engine/alarms';
import { INVERTER_LIMIT_CONTROL_IDS, INVERTER_LIMIT_CONTROLS, isInverterLimitControlId, type InverterLimitControl } from '../src/devices/controls/inverter-limits';
import { writeDue, type LimitWriterState } from '../src/devices/controls/limit-schedule';
import { planLimit, readBackProblem, type LimitPlan } from '../src/devices/controls/limit-writes';
import { inverterLimitDevice } from '../src/ha-discovery/devices/inverter-limit';
import { assertDeviceId } from '../src/ha-discovery/topics';
import { checkUnitId, type ModbusBus } from '../src/io/modbus-bus';
import { sendWrite, writeBeforeClose } from './lib/register-writes';
import { showInHa } from './lib/ha-device';
import type { HaBridgeNode, ModbusBusNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { decimal, statusText } from './lib/status-text';
import { gateInput } from '../src/settings/inputs/gate';
import { INVERTER_LIMIT_INPUTS } from '../src/settings/inputs/inverter-limit';
import { numberSetting } from '../src/settings/values';

interface InverterLimitConfig {
  name?: string;
  deviceId: string;
  bus: string;
  control: string;
  unitId?: string | number;
  ratedPowerW: string | number;
  refreshSeconds?: string | number;
  onStop?: string;
  ha?: string;
}

type OnStop = 'keep' | 'release';

const TICK_MS = 1000;
/** A failed write (inverter asleep at night, bus busy) is tried again this often. */
const RETRY_MS = 10_000;

interface Validated {
  deviceId: string;
  control: InverterLimitControl;
  unitId: number;
  ratedPowerW: number;
  refreshMs: number;
  onStop: OnStop;
  bus: ModbusBus;
}

function validate(RED: NodeAPI, c: InverterLimitConfig): Validated {
  const deviceId = String(c.deviceId ?? '').trim();
  assertDeviceId(deviceId);
  if (!isInverterLimitControlId(c.control)) throw new Error(`control = ${JSON.stringify(c.control)}: choose one of ${INVERTER_LIMIT_CONTROL_IDS.join(', ')}`);
  const control: InverterLimitControl = INVERTER_LIMIT_CONTROLS[c.control];
  const busNode = RED.nodes.getNode(c.bus ?? '') as ModbusBusNode | null;
  if (!busNode?.bus) throw new Error('no Modbus bus selected: pick or add a hems-modbus bus that reaches the inverter');
  const unitId = checkUnitId(c.unitId, control.defaultUnitId, busNode.bus);
  const ratedPowerW = Number(c.ratedPowerW);
  if (!(ratedPowerW > 0)) throw new Error(`rated power = ${JSON.stringify(c.ratedPowerW)}: enter the inverter's (or plant's) rated AC power in W, e.g. 10000; percent limits count in % of it`);
  const refreshSeconds = numberSetting(c.refreshSeconds, 60, 'refresh (s)');
  if (!(refreshSeconds >= 5 && refreshSeconds <= 3600)) throw new Error(`refresh every ${c.refreshSeconds} s: use 5 to 3600 s; the inverter may drop a remote limit, so it is written again this often`);
  const onStop = c.onStop === 'release' ? 'release' : 'keep';
  return { deviceId, control, unitId, ratedPowerW, refreshMs: refreshSeconds * 1000, onStop, bus: busNode.bus };
}


export = function register(RED: NodeAPI): void {
  function HemsInverterLimitNode(this: Node, config: InverterLimitConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-inverter-limit "${config.name || config.deviceId || this.id}"`;
    const v = checkConfig(RED, this, 'hems-inverter-limit', config, () => validate(RED, config), config.name || config.deviceId || this.id);
    if (!v) return;
    const { deviceId, control, unitId, ratedPowerW, refreshMs, onStop, bus } = v;
    const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    const bridge = showInHa(this, `${label}: not shown in Home Assistant`, ha?.bridge, inverterLimitDevice(deviceId, config.name || 'Inverter limit', control.label), () => undefined, true);

    // Released at stop when so configured; after a crash nothing was, so the release goes out first thing: no limit from before is left standing.
    let wanted: LimitPlan | undefined = onStop === 'release' ? planLimit(control, { kind: 'release' }, ratedPowerW) : undefined;
    let applied: LimitPlan | undefined;
    let writer: LimitWriterState = {};
    let writing = false;
    let stopped = false;
    let alarm: ActiveAlarm | undefined;

    /** The status line: the alarm, the limit held, or the wait for the first cycle (a fixed key the editor translates). */
    const statusOf = (active: ActiveAlarm | undefined, plan: LimitPlan | undefined): string => {
      if (active) return statusText(RED, 'hems-inverter-limit.status.alarm', { detail: active.detail });
      if (!plan) return 'hems-inverter-limit.status.waitingForOptimiser';
      if (plan.key === 'release') return 'hems-inverter-limit.status.noLimit';
      const values = { kw: decimal(plan.appliedW / 1000, 1), pct: plan.appliedPct };
      return statusText(RED, control.target === 'grid_export' ? 'hems-inverter-limit.status.limitExport' : 'hems-inverter-limit.status.limitOutput', values);
    };

    const show = () => {
      const fill = alarm ? 'red' : applied && applied.key !== 'release' ? 'yellow' : 'green';
      const text = alarm ? alarm.detail : applied ? applied.text : 'hems-inverter-limit.status.waitingForOptimiser';
      this.status({ fill, shape: alarm ? 'ring' : 'dot', text: statusOf(alarm, applied).slice(0, 100) });
      this.send({
        topic: deviceId,
        payload: { limited: applied !== undefined && applied.key !== 'release', limitW: applied?.appliedW, limitPct: applied?.appliedPct, text, alarms: alarm ? [alarm] : [] },
      });
      if (!bridge) return;
      if (applied) {
        bridge.publishState(deviceId, 'limit_w', applied.appliedW);
        bridge.publishState(deviceId, 'limit_pct', applied.appliedPct);
      }
      bridge.publishAlarms(deviceId, alarm ? [alarm] : []);
      bridge.setAvailability(deviceId, alarm === undefined);
    };

    const communication = (detail: string | undefined) => {
      const update = updateAlarm(alarm, 'device_communication', deviceId, { active: detail !== undefined, detail: detail ?? '' }, Date.now());
      alarm = update.active;
      if (update.change === 'raised') this.warn(`${deviceId}: ${alarm!.name}: ${alarm!.detail}`);
      if (update.change === 'cleared') this.log(`${deviceId}: device communication restored`);
    };

    /** Writes the plan, then reads every register back (all of these controls are read/write). */
    const apply = async (plan: LimitPlan) => {
      for (const write of plan.writes) await sendWrite(bus, unitId, write);
      for (const write of plan.writes) {
        const problem = readBackProblem(write, await bus.readRegisters(unitId, 'holding', write.address, write.words.length));
        if (problem) throw new Error(problem);
      }
    };

    const writeIfDue = () => {
      if (!wanted || writing || stopped) return;
      const plan = wanted;
      const nowMs = Date.now();
      if (!writeDue(writer, plan.key, nowMs, refreshMs, RETRY_MS)) return;
      writing = true;
      apply(plan).then(
        () => {
          writer = { writtenKey: plan.key, writtenAtMs: Date.now() };
          const changed = applied?.key !== plan.key;
          applied = plan;
          const hadAlarm = alarm !== undefined;
          communication(undefined);
          if (changed || hadAlarm) show();
        },
        (err: Error) => {
          writer = { ...writer, failed: { key: plan.key, atMs: Date.now() } };
          const hadAlarm = alarm?.detail;
          communication(`cannot set ${plan.text} on unit ${unitId}: ${err.message}`);
          if (alarm?.detail !== hadAlarm) show();
        },
      ).finally(() => {
        writing = false;
        // A newer limit that came in while this write was on the bus goes out now.
        if (!stopped && wanted && wanted.key !== plan.key) writeIfDue();
      });
    };

    this.status({ fill: 'grey', shape: 'ring', text: 'hems-inverter-limit.status.waitingForOptimiser' });
    const ticker = setInterval(writeIfDue, TICK_MS);

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const input = gateInput(INVERTER_LIMIT_INPUTS, msg, { control });
      if (!input.ok) return done(new Error(`${label}: ${input.error}`));
      wanted = planLimit(control, input.value.value, ratedPowerW);
      writeIfDue();
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      clearInterval(ticker);
      bridge?.unregisterDevice(this.id, removed);
      if (onStop === 'keep') return done();
      const release = planLimit(control, { kind: 'release' }, ratedPowerW);
      writeBeforeClose(bus, unitId, release.writes, (err) => this.warn(`${deviceId}: limit not released: ${err.message}`), done);
    });
  }
  registerNodeType(RED, 'hems-inverter-limit', HemsInverterLimitNode);
};
