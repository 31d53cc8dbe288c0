import { batteryPlanOf, type BatteryPlan } from '../src/engine/battery';
import { formatLocalClock, SLOT_MS, type Plan, type PlannerInput } from '../src/engine/planner';
import {
  loadPlanViews,
  plannedSlotsOf,
  PlannerSession,
  PlanRequests,
  priceFlags,
  type LoadPlanView,
  type OptimiserView,
  type PlanRequest,
  type PlannerState,
  type PriceFlags,
} from '../src/engine/planner-session';
import { PlannerProcess } from '../src/io/planner-process';
import { gateInput } from '../src/settings/inputs/gate';
import { siteMaxPowerW } from '../src/settings/inputs/physical-range';
import { PLANNER_INPUTS } from '../src/settings/inputs/planner';
import { parsePlannerNodeConfig, type PlannerNodeConfig } from '../src/settings/planner-config';
import { timelineView } from '../src/sidebar';
import type { HaBridge } from '../src/ha-discovery/bridge';
import { plannerDevice } from '../src/ha-discovery/devices/planner';
import { planAttributes } from '../src/ha-discovery/plan-attributes';
import { missingSiteText, watchSite, type SiteLink } from './lib/site';
import type { HaBridgeNode } from './lib/config-nodes';
import { checkConfig, registerNodeType, type Node, type NodeAPI, type NodeMessage } from './lib/node-red';
import { forgetTimeline, showTimeline } from './lib/sidebar';
import { statusText } from './lib/status-text';
import { stateStoreOf } from './lib/state-store';

/** Inputs often come in bursts (prices, then a forecast, then a job): one plan after the last. */
const REPLAN_DEBOUNCE_MS = 2000;
/** A plan per slot, just after the slot starts, so the new slot's measurements and prices count. */
const REPLAN_AFTER_SLOT_START_MS = 1000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function outputOf(deviceId: string, nowMs: number, p: Plan, views: LoadPlanView[], flags: PriceFlags, battery: BatteryPlan | undefined): NodeMessage {
  return {
    topic: deviceId,
    payload: {
      timestamp: new Date(nowMs).toISOString(),
      planner: p.planner,
      solver: p.solver,
      ...(p.fallbackReason ? { fallbackReason: p.fallbackReason } : {}),
      solveMs: Math.round(p.solveMs),
      cost: p.cost,
      price: flags,
      loads: views.map((v) => ({
        loadId: v.loadId,
        nextStart: iso(v.nextStartMs),
        finish: iso(v.finishMs),
        promise: v.promise,
        reason: v.reason,
        slots: v.slots.map((s) => ({ start: iso(s.startMs), end: iso(s.endMs), powerW: Math.round(s.powerW) })),
        jobs: v.jobs,
      })),
      // The battery's mode per slot, as hems-battery will be told it.
      ...(battery ? { battery: battery.slots.map((s) => ({ start: iso(s.startMs), end: iso(s.endMs), mode: s.mode, powerW: s.powerW })) } : {}),
    },
  };
}

export = function register(RED: NodeAPI): void {
  function HemsPlannerNode(this: Node, config: PlannerNodeConfig) {
    RED.nodes.createNode(this, config);
    const label = `hems-planner "${config.name || this.id}"`;
    const validated = checkConfig(RED, this, 'hems-planner', config, () => parsePlannerNodeConfig(config), config.name || this.id);
    if (!validated) return;
    const { settings, timeLimitSeconds, siteKey, ownTimeZone } = validated;

    // Measured history, progress and one-off jobs, kept per planner device id across restarts.
    const store = stateStoreOf(RED);
    const storeKey = `planner-${settings.deviceId}`;
    const kept = store?.load<Partial<PlannerState>>(storeKey, {});
    if (kept?.problem) this.warn(kept.problem);
    const session = new PlannerSession(settings, kept?.state);
    // Written without blocking Node-RED (the measured history is days of slots), coalesced.
    const keeper = store?.keeper<Partial<PlannerState>>(storeKey, { onError: (problem) => this.warn(`cannot keep the planner state: ${problem}`) });
    const save = () => keeper?.set(session.toJson());

    const ha = config.ha ? (RED.nodes.getNode(config.ha) as HaBridgeNode | null) : null;
    if (ha?.configError) this.warn(`not shown in Home Assistant: ${ha.configError}`);
    let bridge: HaBridge | undefined = ha?.bridge;
    let haLoads = '';
    const registerHa = (loads: Array<{ id: string; name: string }>) => {
      const key = JSON.stringify(loads);
      if (!bridge || key === haLoads) return;
      try {
        bridge.registerDevice(this.id, plannerDevice(settings.deviceId, config.name || 'Planner', loads));
        bridge.setAvailability(settings.deviceId, true);
        haLoads = key;
      } catch (err) {
        bridge = undefined;
        this.error(`${label}: not shown in Home Assistant: ${(err as Error).message}`);
      }
    };
    registerHa([]);

    let link: SiteLink | undefined;
    // Plans are made in a child process started on demand (src/io/planner-process.ts).
    const planner = new PlannerProcess({ timeLimitMs: timeLimitSeconds * 1000 });

    let stopped = false;
    let lastProblems = '';
    const optimiserView = (optimiser: SiteLink): OptimiserView => ({
      loadConfig: (loadId) => optimiser.session.loadConfig(loadId),
      site: optimiser.session.current.site,
      sources: optimiser.session.current.sources,
      voltageV: optimiser.voltageV,
    });

    /** `fallback`: why the greedy plan stands in for the MILP, shown in the status. */
    const publishPlan = (nowMs: number, p: Plan, request: PlanRequest, input: PlannerInput, flags: PriceFlags, fallback: string, battery: BatteryPlan | undefined) => {
      const views = loadPlanViews(p);
      showTimeline(timelineView({ plannerId: this.id, name: config.name || settings.deviceId, siteKey, request, input, plan: p, views }));
      registerHa(input.loads.map((l) => ({ id: l.id, name: l.name ?? l.id })));
      this.send(outputOf(settings.deviceId, nowMs, p, views, flags, battery));
      const next = views.filter((v) => v.nextStartMs !== null).sort((a, b) => a.nextStartMs! - b.nextStartMs!)[0];
      const atRisk = views.filter((v) => v.promise === 'at_risk').length;
      const text = [
        statusText(RED, 'hems-planner.status.loads', { count: views.length }),
        next && statusText(RED, 'hems-planner.status.next', { load: next.loadId, time: formatLocalClock(next.nextStartMs!, settings.timeZone) }),
        atRisk > 0 && statusText(RED, 'hems-planner.status.atRisk', { count: atRisk }),
        fallback && statusText(RED, 'hems-planner.status.greedy', { reason: fallback }),
      ]
        .filter(Boolean)
        .join(', ');
      this.status({ fill: atRisk > 0 || fallback ? 'yellow' : 'green', shape: 'dot', text: text.slice(0, 160) });
      if (!bridge) return;
      bridge.publishState(settings.deviceId, 'plan', p.cost.totalEur.toFixed(2));
      bridge.publishAttributes(settings.deviceId, 'plan', planAttributes(p, input, nowMs));
      for (const v of views) {
        bridge.publishState(settings.deviceId, `${v.loadId}_next_start`, iso(v.nextStartMs) ?? 'None');
        bridge.publishAttributes(settings.deviceId, `${v.loadId}_next_start`, {
          finish: iso(v.finishMs),
          slots: v.slots.map((s) => ({ start: iso(s.startMs), end: iso(s.endMs), power_w: Math.round(s.powerW) })),
        });
        bridge.publishState(settings.deviceId, `${v.loadId}_promise`, v.promise);
        bridge.publishAttributes(settings.deviceId, `${v.loadId}_promise`, { reason: v.reason, jobs: v.jobs });
      }
    };

    const publishFlags = (flags: PriceFlags) => {
      bridge?.publishState(settings.deviceId, 'cheap_hour', flags.cheap);
      bridge?.publishAttributes(settings.deviceId, 'cheap_hour', { price_eur_per_kwh: flags.importEurPerKwh, cheap_at_or_below_eur_per_kwh: flags.cheapAtOrBelowEurPerKwh });
      bridge?.publishState(settings.deviceId, 'negative_price', flags.negative);
    };

    let lastFallback = '';
    const planNow = async (): Promise<void> => {
      if (stopped) return;
      const nowMs = Date.now();
      const flags = priceFlags(session.priceSlots, settings.tariff, nowMs, settings.timeZone, settings.cheapAtOrBelowEurPerKwh);
      publishFlags(flags);
      if (!link) {
        this.status({ fill: 'yellow', shape: 'ring', text: missingSiteText(RED, siteKey).slice(0, 120) });
        return;
      }
      try {
        session.prune(nowMs);
        const request = session.request(nowMs, optimiserView(link));
        const { input, plan, problems } = await planner.solve(request);
        if (stopped || !link) return;
        const problemText = problems.join('; ');
        if (problemText !== lastProblems && problemText) this.warn(`${label}: ${problemText}`);
        lastProblems = problemText;
        if (!input || !plan) {
          this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-planner.status.noPlan', { problem: problemText }).slice(0, 120) });
          return;
        }
        const fallback = timeLimitSeconds > 0 ? (plan.fallbackReason ?? '') : '';
        if (fallback !== lastFallback && fallback) this.warn(`${label}: greedy plan: ${fallback}`);
        lastFallback = fallback;
        const battery = batteryPlanOf(plan, input);
        link.session.followPlan(this.id, plannedSlotsOf(plan, input), battery);
        publishPlan(nowMs, plan, request, input, flags, fallback, battery);
        save();
      } catch (err) {
        if (stopped) return;
        this.status({ fill: 'red', shape: 'ring', text: statusText(RED, 'hems-planner.status.noPlan', { problem: (err as Error).message }).slice(0, 120) });
        this.error(`${label}: ${(err as Error).message}`);
      }
    };
    /** One plan at a time: inputs while one is under way are merged into one plan after it. */
    const plans = new PlanRequests(planNow);

    let debounce: ReturnType<typeof setTimeout> | undefined;
    const replanSoon = (delayMs = REPLAN_DEBOUNCE_MS) => {
      clearTimeout(debounce);
      debounce = setTimeout(() => plans.request(), delayMs);
    };
    let slotTimer: ReturnType<typeof setTimeout> | undefined;
    const replanEverySlot = () => {
      const nowMs = Date.now();
      const untilNextSlotMs = SLOT_MS - (nowMs % SLOT_MS) + REPLAN_AFTER_SLOT_START_MS;
      slotTimer = setTimeout(() => {
        plans.request();
        replanEverySlot();
      }, untilNextSlotMs);
    };
    replanEverySlot();

    /** After every cycle of the site: what its loads drew, for the planner's records. */
    let stopHearingCycles: (() => void) | undefined;
    /** The site's session; again whenever a 0.1.0 optimiser holding the site is redeployed alone. */
    const attach = (found: SiteLink | undefined) => {
      if (found && found === link) return;
      link?.session.stopFollowingPlan(this.id);
      stopHearingCycles?.();
      stopHearingCycles = undefined;
      link = found;
      if (!link) return this.status({ fill: 'yellow', shape: 'ring', text: missingSiteText(RED, siteKey).slice(0, 120) });
      // Without a zone of its own the planner keeps the site's clock, for its jobs, reasons and status.
      if (!ownTimeZone) settings.timeZone = link.session.current.site.timeZone ?? settings.timeZone;
      const cycled = link.session;
      stopHearingCycles = link.onCycle(() => session.loadReadings(cycled.loadReadings(), Date.now()));
      this.status({ fill: 'yellow', shape: 'ring', text: 'hems-planner.status.waitingForFirstPlan' });
      replanSoon(0);
    };
    const stopWatching = watchSite(siteKey, attach);

    this.on('input', (msg: NodeMessage, _send: (msg: NodeMessage) => void, done: (err?: Error) => void) => {
      const nowMs = Date.now();
      const site = link?.session.current.site;
      const input = gateInput(PLANNER_INPUTS, msg, { nowMs, timeZone: settings.timeZone, maxPowerW: site && siteMaxPowerW(site) });
      if (!input.ok) return done(new Error(`${label}: ${input.error}`));
      const { topic, value } = input.value;
      if (topic === undefined) {
        // Readings are named by the optimiser's sources; before it is found there is nothing to attribute them to.
        if (link) {
          const managedW = Object.values(link.session.loadReadings()).reduce((sum, r) => sum + r.powerW, 0);
          session.reading(value, link.session.current.sources, managedW, nowMs);
        }
        return done();
      }
      if (topic === 'prices') session.setPrices(value);
      if (topic === 'pv_forecast') session.setPvForecast(value);
      if (topic === 'job') {
        session.jobMessage(value);
        save();
      }
      replanSoon(topic === 'replan' ? 0 : REPLAN_DEBOUNCE_MS);
      done();
    });

    this.on('close', (removed: boolean, done: () => void) => {
      stopped = true;
      plans.cancel();
      clearTimeout(debounce);
      clearTimeout(slotTimer);
      stopWatching();
      stopHearingCycles?.();
      link?.session.stopFollowingPlan(this.id);
      forgetTimeline(this.id);
      planner.close();
      save();
      void (keeper?.close() ?? Promise.resolve()).then(() => {
        bridge?.unregisterDevice(this.id, removed);
        done();
      });
    });
  }
  registerNodeType(RED, 'hems-planner', HemsPlannerNode);
};
