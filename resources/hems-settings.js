/* global module */
// The settings contract, one definition for the editor (served at resources/node-red-contrib-hems/)
// and the runtime (required from the package root): each node type's settings version, the
// migrations that bring settings saved by an older version up to it, and the checks of the list
// settings edited as rows. Plain browser JavaScript, no build step: the editor loads it as it is.
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.HemsSettings = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** What a 0.1.0 hems-optimiser held that belongs to its site (a hems-site config node since settings version 1). */
  var SITE_KEYS = [
    'deviceId', 'gridDevice', 'pvDevice', 'batteryDevice', 'strategy', 'marginW', 'staleAfterSeconds',
    'exportLimitW', 'exportLimitPctOfPvPeak', 'pvPeakW', 'importCapW', 'fuseLimitA',
    'batteryPolicy', 'batterySocPct', 'batteryMaxDischargeW',
    'rippleInputs', 'rippleRules', 'rippleBus', 'rippleUnitId', 'rippleAddress', 'ha',
  ];

  /** hems-planner's battery options with the values that leave a plan as it was without them. */
  var PLANNER_BATTERY_OPTIONS = {
    batteryGridChargeMaxSocPct: '', batteryHoldOnly: false, batteryTargetSocPct: '', batteryTargetSocBy: '',
    batteryWearEurPerKwh: '', batteryEndValueEurPerKwh: '',
  };

  /** The feed-in percentages a ripple-control receiver signals (VDE-AR-N 4105 steps). */
  var FEED_IN_PCTS = [0, 30, 60, 100];
  var MAX_STAGES = 3;

  function show(value) {
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }

  /** "k1, k2" → ["k1", "k2"]: names or numbers typed in one field. */
  function words(text) {
    return String(text === undefined || text === null ? '' : text).split(/[,;\s]+/).filter(function (w) {
      return w !== '';
    });
  }

  /** 0.1.0 kept the rules as JSON text; text that is not a JSON list stays as it is, for the check to name. */
  function rippleRulesFromText(text) {
    if (Array.isArray(text)) return text;
    var trimmed = String(text === undefined || text === null ? '' : text).trim();
    if (trimmed === '') return [];
    try {
      var parsed = JSON.parse(trimmed);
      return Array.isArray(parsed) ? parsed : trimmed;
    } catch {
      return trimmed;
    }
  }

  /** 0.1.0 kept stage powers as text ("2000, 2000"); a part that is not a number keeps the text, for the check to name. */
  function stagePowersFromText(text) {
    if (Array.isArray(text)) return text;
    var parts = words(text);
    var powers = parts.map(Number);
    return powers.every(function (p) { return isFinite(p); }) ? powers : String(text);
  }

  function copy(config) {
    return JSON.parse(JSON.stringify(config || {}));
  }

  var unchanged = function (c) { return c; };

  /**
   * MIGRATIONS[type][n] takes settings of version n to n + 1; flows saved by 0.1.0 have no
   * version (= 0). A step gets a copy and returns it changed.
   */
  var MIGRATIONS = {
    'hems-site': [
      unchanged,
      // The zero-export probe: off, as a site saved before it knew of the probe had it.
      function (c) {
        if (c.zeroExportProbe === undefined) c.zeroExportProbe = 'off';
        if (c.probeMaxExportW === undefined) c.probeMaxExportW = 0;
        if (c.probeMaxSeconds === undefined) c.probeMaxSeconds = 30;
        return c;
      },
      // The site's time zone for the times people read; blank is the host's, as every site had before.
      function (c) {
        if (c.timeZone === undefined) c.timeZone = '';
        return c;
      },
    ],
    // The site's settings move to the hems-site config node: the editor makes one from
    // `legacySite`; the runtime, deploying a 0.1.0 flow as it is, builds the site from it.
    'hems-optimiser': [
      function (c) {
        var site = { name: c.name || '' };
        SITE_KEYS.forEach(function (key) {
          if (c[key] !== undefined) site[key] = c[key];
          delete c[key];
        });
        site.rippleRules = rippleRulesFromText(site.rippleRules);
        site.version = 1;
        c.site = c.site || '';
        c.legacySite = migrate('hems-site', site);
        return c;
      },
    ],
    // `optimiser` (a flow node id) stays as the link to a 0.1.0 optimiser until the editor points the load at its site.
    'hems-load': [
      function (c) {
        c.stagePowersW = stagePowersFromText(c.stagePowersW);
        c.site = c.site || '';
        return c;
      },
    ],
    // 0.1.0's time budget (ms, 1000 by default) was a compromise while plans ran on Node-RED's
    // thread; only its 0, greedy plans only, carries over: any other becomes the time limit's default, 60 s.
    'hems-planner': [
      function (c) {
        c.site = c.site || '';
        if (c.timeLimitSeconds === undefined && c.timeBudgetMs !== undefined) c.timeLimitSeconds = Number(c.timeBudgetMs) === 0 ? 0 : 60;
        delete c.timeBudgetMs;
        return c;
      },
      // The battery options the plan takes since 0.2 (docs/planner.md, "Battery"), each at the value that plans as before.
      function (c) {
        Object.keys(PLANNER_BATTERY_OPTIONS).forEach(function (key) {
          if (c[key] === undefined) c[key] = PLANNER_BATTERY_OPTIONS[key];
        });
        return c;
      },
    ],
  };
  [
    'hems-modbus', 'hems-meter', 'hems-ha', 'hems-ha-server', 'hems-ha-meter', 'hems-ha-price', 'hems-ha-pv-forecast',
    'hems-mqtt-meter', 'hems-pulse', 'hems-sg-ready', 'hems-relay', 'hems-inverter-limit', 'hems-battery',
  ].forEach(function (type) {
    MIGRATIONS[type] = [unchanged];
  });

  /** The settings version a node of `type` saves now. */
  function currentVersion(type) {
    var steps = MIGRATIONS[type];
    if (!steps) throw new Error('no settings contract for node type ' + show(type));
    return steps.length;
  }

  /** `config` brought up to the current version (a copy; the original is left as it is). */
  function migrate(type, config) {
    var target = currentVersion(type);
    var version = config && config.version !== undefined && config.version !== '' ? Number(config.version) : 0;
    if (!(version >= 0 && version % 1 === 0)) throw new Error('settings version ' + show(config.version) + ': must be a whole number; re-save the node in the editor');
    if (version > target) {
      throw new Error('settings version ' + version + ' was saved by a newer node-red-contrib-hems (this one knows up to ' + target + '): update the package');
    }
    var c = copy(config);
    for (var v = version; v < target; v++) {
      c = MIGRATIONS[type][v](c);
      c.version = v + 1;
    }
    return c;
  }

  var SITE_USERS = ['hems-load', 'hems-planner'];

  /**
   * A whole flow (nodes as exported) at the current settings versions, as the editor migrates it:
   * a 0.1.0 optimiser's site settings become a hems-site config node (its id from `siteIdFor(optimiser)`,
   * placed after the optimiser), and the loads and planner that named the optimiser pick that site.
   * Nodes of other packages pass unchanged.
   */
  function migrateFlow(nodes, siteIdFor) {
    var siteOfOptimiser = {};
    var out = [];
    nodes.forEach(function (node) {
      if (!MIGRATIONS[node.type]) return out.push(node);
      var migrated = migrate(node.type, node);
      var legacySite = migrated.legacySite;
      delete migrated.legacySite;
      out.push(migrated);
      if (node.type !== 'hems-optimiser') return;
      if (legacySite && !migrated.site) {
        var site = { id: siteIdFor(node), type: 'hems-site' };
        Object.keys(legacySite).forEach(function (key) { site[key] = legacySite[key]; });
        migrated.site = site.id;
        out.push(migrate('hems-site', site));
      }
      siteOfOptimiser[node.id] = migrated.site;
    });
    out.forEach(function (node) {
      if (SITE_USERS.indexOf(node.type) < 0 || node.site || !siteOfOptimiser[node.optimiser]) return;
      node.site = siteOfOptimiser[node.optimiser];
      delete node.optimiser;
    });
    return out;
  }

  /**
   * Problems of ripple-control rules against the named inputs, as { field, value, message }
   * (empty: fine). One row per rule: inputs "10" (one 0/1 per named input), feed-in %, §14a
   * dimming, heat-pump lock.
   */
  function rippleRuleProblems(rules, names) {
    if (!Array.isArray(rules)) {
      return [{ field: 'rippleRules', value: rules, message: 'rippleRules = ' + show(rules) + ': must be a list of rules, e.g. [{ "inputs": "10", "feedInPct": 60 }]' }];
    }
    var problems = [];
    var seen = {};
    rules.forEach(function (rule, i) {
      var field = 'rippleRules[' + i + ']';
      var inputs = rule && rule.inputs;
      if (typeof inputs !== 'string' || !/^[01]+$/.test(inputs) || inputs.length !== names.length) {
        problems.push({
          field: field + '.inputs',
          value: inputs,
          message: field + '.inputs = ' + show(inputs) + ': must have one 0 (open) or 1 (closed) per named input (' +
            (names.join(', ') || 'none named: name them, e.g. "k1, k2"') + ')',
        });
      } else if (seen[inputs]) {
        problems.push({ field: field + '.inputs', value: inputs, message: field + '.inputs = ' + show(inputs) + ': another rule already matches these inputs; remove one of them' });
      }
      seen[inputs] = true;
      var pct = rule && rule.feedInPct;
      if (FEED_IN_PCTS.indexOf(pct) < 0) {
        problems.push({ field: field + '.feedInPct', value: pct, message: field + '.feedInPct = ' + show(pct) + ': must be one of ' + FEED_IN_PCTS.join(', ') });
      }
      ['dimConsumption', 'lockHeatPumps'].forEach(function (flag) {
        var value = rule && rule[flag];
        if (value !== undefined && typeof value !== 'boolean') {
          problems.push({ field: field + '.' + flag, value: value, message: field + '.' + flag + ' = ' + show(value) + ': must be true or false' });
        }
      });
    });
    return problems;
  }

  /** Problems of a stepped load's stage powers (W per stage, in switching order). */
  function stagePowerProblems(powers) {
    var fine = Array.isArray(powers) && powers.length >= 1 && powers.length <= MAX_STAGES &&
      powers.every(function (p) { return typeof p === 'number' && isFinite(p) && p > 0; });
    if (fine) return [];
    return [{
      field: 'stagePowersW',
      value: powers,
      message: 'stagePowersW = ' + show(powers) + ': must list 1 to ' + MAX_STAGES + ' stage powers in W, each above 0, e.g. [2000, 2000, 2000]; a rod with more stages can be split into two loads',
    }];
  }

  return {
    SITE_KEYS: SITE_KEYS,
    FEED_IN_PCTS: FEED_IN_PCTS,
    MIGRATIONS: MIGRATIONS,
    words: words,
    currentVersion: currentVersion,
    migrate: migrate,
    migrateFlow: migrateFlow,
    rippleRuleProblems: rippleRuleProblems,
    stagePowerProblems: stagePowerProblems,
  };
});
