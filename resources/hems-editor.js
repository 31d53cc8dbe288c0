/* global HemsSettings */
// Editor helpers shared by the hems node dialogs (served by Node-RED at resources/node-red-contrib-hems/).
// The settings contract (versions, migrations, list checks) is hems-settings.js, loaded before this.
window.HemsEditor = window.HemsEditor || (function () {
  /** A node's stored settings, as the contract's migrations take them. */
  function settingsOf(node) {
    var settings = { id: node.id, type: node.type, version: node.version };
    Object.keys(node._def.defaults).forEach(function (key) {
      if (node[key] !== undefined) settings[key] = node[key];
    });
    return settings;
  }

  /** Replaces `node`'s settings with `settings`; keys the new version no longer has are cleared. */
  function applySettings(node, settings) {
    RED.nodes.updateConfigNodeUsers(node, { action: 'remove' });
    Object.keys(node._def.defaults).forEach(function (key) {
      node[key] = settings[key];
    });
    node.changed = true;
    node.dirty = true;
    RED.nodes.updateConfigNodeUsers(node, { action: 'add' });
  }

  function outdated(node) {
    return node.type.indexOf('hems-') === 0 && !!node._def.defaults.version && !(node.version >= HemsSettings.currentVersion(node.type));
  }

  /**
   * Brings every hems node of the workspace to its current settings version (HemsSettings.migrateFlow):
   * a 0.1.0 optimiser's site settings become a new hems-site config node, and the loads and planner
   * that named the optimiser pick that site. Runs after flows are loaded or imported, and when a
   * dialog opens; the user deploys the result.
   */
  function migrateFlows() {
    if (!window.HemsSettings) return;
    var hems = [];
    var anyOutdated = false;
    function take(node) {
      if (node.type.indexOf('hems-') !== 0 || !node._def.defaults.version) return;
      hems.push(node);
      anyOutdated = anyOutdated || outdated(node);
    }
    RED.nodes.eachNode(take);
    RED.nodes.eachConfig(take);
    if (!anyOutdated) return;
    var byId = {};
    hems.forEach(function (node) { byId[node.id] = node; });
    var migrated = HemsSettings.migrateFlow(hems.map(settingsOf), function () { return RED.nodes.id(); });
    // New sites first, so the nodes pointed at them become their users.
    migrated.forEach(function (settings) {
      if (byId[settings.id]) return;
      var def = RED.nodes.getType(settings.type);
      var added = { id: settings.id, type: settings.type, _def: def, users: [], changed: true };
      Object.keys(def.defaults).forEach(function (key) {
        added[key] = settings[key] !== undefined ? settings[key] : JSON.parse(JSON.stringify(def.defaults[key].value));
      });
      RED.nodes.add(added);
    });
    migrated.forEach(function (settings) {
      var node = byId[settings.id];
      if (node && (outdated(node) || JSON.stringify(settingsOf(node)) !== JSON.stringify(settings))) applySettings(node, settings);
    });
    RED.nodes.dirty(true);
    RED.view.redraw(true);
  }

  var pending;
  function migrateSoon() {
    clearTimeout(pending);
    pending = setTimeout(migrateFlows, 0);
  }
  RED.events.on('flows:loaded', migrateSoon);
  RED.events.on('nodes:add', function (node) {
    if (node && String(node.type).indexOf('hems-') === 0 && !(node.version >= 1)) migrateSoon();
  });

  /** A list edited as rows: each row built by `addRow(row, item)`, read back by `itemOf(row)`. */
  function rows(list, items, addRow, onChange) {
    list.editableList({
      addItem: function (row, _index, item) { addRow(row, item || {}); onChange(); },
      removeItem: onChange,
      sortItems: onChange,
      removable: true,
      sortable: true,
      height: 'auto',
    });
    (Array.isArray(items) ? items : []).forEach(function (item) { list.editableList('addItem', item); });
  }

  function itemsOf(list, itemOf) {
    var items = [];
    list.editableList('items').each(function () { items.push(itemOf($(this))); });
    return items;
  }

  function rippleRuleOf(row) {
    var rule = { inputs: row.find('.hems-ripple-inputs').val().trim(), feedInPct: Number(row.find('.hems-ripple-feedin').val()) };
    if (row.find('.hems-ripple-dim').prop('checked')) rule.dimConsumption = true;
    if (row.find('.hems-ripple-lock').prop('checked')) rule.lockHeatPumps = true;
    return rule;
  }

  return {
    migrateFlows: migrateFlows,

    /**
     * A select of the canonical measurement names, as GET hems/measurements lists them, set to
     * `value`; a saved value shows even before the list has arrived.
     */
    measurementSelect: function (measurements, value, style) {
      var select = $('<select>').attr('style', style || '');
      measurements.forEach(function (m) {
        $('<option>').val(m.name).text(m.name + (m.unit ? ' (' + m.unit + ')' : '')).appendTo(select);
      });
      if (value && measurements.length === 0) $('<option>').val(value).text(value).appendTo(select);
      return select.val(value || 'power_w');
    },

    /** Ripple-control rules as rows, checked against the named contacts as the runtime checks them. */
    rippleRulesList: function (list, rules, namesInput, problemBox) {
      function check() {
        var problems = HemsSettings.rippleRuleProblems(itemsOf(list, rippleRuleOf), HemsSettings.words(namesInput.val()));
        problemBox.text(problems.map(function (p) { return p.message; }).join('; ')).toggle(problems.length > 0);
      }
      rows(list, rules, function (row, rule) {
        var inputs = $('<input type="text" class="hems-ripple-inputs" style="width: 70px" placeholder="10">').val(rule.inputs || '');
        var feedIn = $('<select class="hems-ripple-feedin" style="width: 80px">');
        HemsSettings.FEED_IN_PCTS.forEach(function (pct) { $('<option>').val(pct).text(pct + ' %').appendTo(feedIn); });
        feedIn.val(String(rule.feedInPct === undefined ? 100 : rule.feedInPct));
        var dim = $('<input type="checkbox" class="hems-ripple-dim" style="width: auto">').prop('checked', rule.dimConsumption === true);
        var lock = $('<input type="checkbox" class="hems-ripple-lock" style="width: auto">').prop('checked', rule.lockHeatPumps === true);
        row.append(inputs, ' feed-in ', feedIn, ' ', $('<label style="width: auto">').append(dim, ' §14a dimming'), ' ', $('<label style="width: auto">').append(lock, ' heat-pump lock'));
        row.find('input, select').on('change keyup', check);
      }, check);
      namesInput.on('change keyup', check);
      check();
    },
    rippleRulesOf: function (list) {
      return itemsOf(list, rippleRuleOf);
    },

    /** A stepped load's stage powers as rows (W, in switching order), checked as the runtime checks them. */
    stagePowersList: function (list, powers, problemBox) {
      function check() {
        var problems = HemsSettings.stagePowerProblems(itemsOf(list, function (row) { return Number(row.find('input').val()); }));
        problemBox.text(problems.map(function (p) { return p.message; }).join('; ')).toggle(problems.length > 0);
      }
      rows(list, (Array.isArray(powers) ? powers : []).map(function (w) { return { powerW: w }; }), function (row, item) {
        var input = $('<input type="text" style="width: 100px">').val(item.powerW === undefined ? '' : item.powerW);
        row.append('stage ', input, ' W');
        input.on('change keyup', check);
      }, check);
      check();
    },
    stagePowersOf: function (list) {
      return itemsOf(list, function (row) { return Number(row.find('input').val()); });
    },
  };
})();
