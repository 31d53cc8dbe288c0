/* global module */
// The editor's "HEMS" sidebar tab (served at resources/node-red-contrib-hems/, added by hems-site.html):
// each site's live energy flow and each planner's timeline, drawn as plain SVG. The drawing functions
// are pure (view + texts → SVG markup) so the tests run them without a browser; the views come from
// GET hems/sidebar and the comms topics hems/sidebar/flow and hems/sidebar/timeline (nodes/lib/sidebar.ts).
(function (root, factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.HemsSidebar = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var COLOURS = { grid: '#7f7f7f', pv: '#e8a317', battery: '#3c9d4e', house: '#2f6fb0', load: '#8e5bb5', off: '#b8b8b8', price: '#c9302c', now: '#c9302c' };
  var ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return ESCAPES[c];
    });
  }

  function powerText(watts) {
    var w = Math.abs(watts);
    return w < 1000 ? Math.round(w) + ' W' : (w / 1000).toFixed(1) + ' kW';
  }

  function short(text, length) {
    return text.length > length ? text.slice(0, length - 1) + '…' : text;
  }

  // ---- The energy flow ------------------------------------------------------------------------

  var WIDTH = 320;
  var RADIUS = 27;
  var LOADS_PER_ROW = 4;
  /** Below this a flow counts as none: meters are read at different moments. */
  var IDLE_W = 20;

  function node(spot) {
    var colour = spot.active ? spot.colour : COLOURS.off;
    return (
      '<g data-hems-node="' + esc(spot.key) + '" data-power-w="' + Math.round(spot.powerW) + '">' +
      (spot.name ? '<title>' + esc(spot.name) + (spot.reason ? ': ' + esc(spot.reason) : '') + '</title>' : '') +
      '<circle cx="' + spot.x + '" cy="' + spot.y + '" r="' + RADIUS + '" fill="#fff" stroke="' + colour + '" stroke-width="3"/>' +
      '<text x="' + spot.x + '" y="' + (spot.y + 4) + '" text-anchor="middle" font-size="11" font-weight="bold" fill="#333">' + esc(powerText(spot.powerW)) + '</text>' +
      // Beside the circle where lines leave it downwards (PV, the house), else below it.
      (spot.labelAt
        ? '<text x="' + (spot.x + RADIUS + 5) + '" y="' + (spot.y + spot.labelAt) + '" font-size="11" fill="#333">' + esc(short(spot.label, 15)) + '</text>'
        : '<text x="' + spot.x + '" y="' + (spot.y + RADIUS + 13) + '" text-anchor="middle" font-size="11" fill="#333">' + esc(short(spot.label, 15)) + '</text>') +
      (spot.note ? '<text x="' + spot.x + '" y="' + (spot.y + RADIUS + 25) + '" text-anchor="middle" font-size="10" fill="#777">' + esc(spot.note) + '</text>' : '') +
      '</g>'
    );
  }

  /** A line between two spots, its arrow in the direction the power flows (none when idle). */
  function link(key, from, to, watts) {
    var dx = to.x - from.x;
    var dy = to.y - from.y;
    var length = Math.sqrt(dx * dx + dy * dy);
    var ux = dx / length;
    var uy = dy / length;
    var flowing = Math.abs(watts) >= IDLE_W;
    var forward = watts >= 0;
    var a = forward ? from : to;
    var b = forward ? to : from;
    var sign = forward ? 1 : -1;
    var x1 = a.x + sign * ux * (RADIUS + 2);
    var y1 = a.y + sign * uy * (RADIUS + 2);
    var x2 = b.x - sign * ux * (RADIUS + 6);
    var y2 = b.y - sign * uy * (RADIUS + 6);
    var width = flowing ? Math.min(6, 1.5 + Math.abs(watts) / 1500) : 1;
    return (
      '<line data-hems-link="' + esc(key) + '" data-direction="' + (flowing ? (forward ? 'forward' : 'back') : 'none') + '"' +
      ' x1="' + x1.toFixed(1) + '" y1="' + y1.toFixed(1) + '" x2="' + x2.toFixed(1) + '" y2="' + y2.toFixed(1) + '"' +
      ' stroke="' + (flowing ? '#555' : '#ccc') + '" stroke-width="' + width.toFixed(1) + '"' +
      (flowing ? ' marker-end="url(#hems-arrow)" class="hems-flowing"' : ' stroke-dasharray="3 3"') + '/>'
    );
  }

  /**
   * The site's energy flow: PV above the house, the grid left, the battery right, the managed loads
   * and the rest of the house below. Arrows point the way power flows.
   */
  function drawFlow(view, t) {
    var house = { key: 'house', x: 160, y: 118, powerW: view.houseW, label: t('house'), colour: COLOURS.house, active: true, labelAt: -RADIUS + 6 };
    var pv = { key: 'pv', x: 160, y: 34, powerW: view.pvW, label: t('pv'), colour: COLOURS.pv, active: view.pvW >= IDLE_W, labelAt: 4 };
    var grid = {
      key: 'grid', x: 48, y: 118, powerW: view.gridW, label: t('grid'), colour: COLOURS.grid, active: Math.abs(view.gridW) >= IDLE_W,
      note: Math.abs(view.gridW) < IDLE_W ? '' : view.gridW > 0 ? t('import') : t('export'),
    };
    var spots = [pv, grid, house];
    // Grid import flows into the house; PV always does; a charging battery draws from it.
    var links = [link('pv', pv, house, view.pvW), link('grid', grid, house, view.gridW)];
    if (view.batteryW !== null) {
      var battery = {
        key: 'battery', x: 272, y: 118, powerW: view.batteryW, label: t('battery'), colour: COLOURS.battery, active: Math.abs(view.batteryW) >= IDLE_W,
        note: (view.batterySocPct !== null ? Math.round(view.batterySocPct) + ' %' : '') + (Math.abs(view.batteryW) < IDLE_W ? '' : ' ' + (view.batteryW > 0 ? t('charging') : t('discharging'))),
      };
      spots.push(battery);
      links.push(link('battery', house, battery, view.batteryW));
    }
    var below = view.loads.map(function (load) {
      return { key: 'load:' + load.id, powerW: load.powerW, label: load.name, name: load.name, reason: load.reason, colour: COLOURS.load, active: load.on, note: load.on ? load.setting || t('on') : t('off') };
    });
    below.push({ key: 'other', powerW: view.otherW, label: t('other'), colour: COLOURS.house, active: view.otherW >= IDLE_W });
    var rows = Math.ceil(below.length / LOADS_PER_ROW);
    below.forEach(function (spot, i) {
      var row = Math.floor(i / LOADS_PER_ROW);
      var inRow = row === rows - 1 ? below.length - row * LOADS_PER_ROW : LOADS_PER_ROW;
      spot.x = Math.round((WIDTH * ((i % LOADS_PER_ROW) + 0.5)) / inRow);
      spot.y = 228 + row * 96;
      spots.push(spot);
      links.push(link(spot.key, house, spot, spot.powerW));
    });
    var height = 228 + (rows - 1) * 96 + RADIUS + 32;
    return (
      '<svg class="hems-flow" data-site="' + esc(view.siteKey) + '" data-at-ms="' + view.atMs + '" viewBox="0 0 ' + WIDTH + ' ' + height + '" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">' +
      '<defs><marker id="hems-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>' +
      links.join('') +
      spots.map(node).join('') +
      '</svg>'
    );
  }

  /** Each managed load's state and why, as rows under the flow. */
  function loadTable(view, t) {
    if (view.loads.length === 0) return '<p class="hems-muted">' + esc(t('noLoads')) + '</p>';
    return (
      '<table class="hems-loads">' +
      view.loads.map(function (load) {
        return (
          '<tr data-hems-load="' + esc(load.id) + '"><td><span class="hems-dot" style="background:' + (load.on ? COLOURS.load : COLOURS.off) + '"></span></td>' +
          '<td><b>' + esc(load.name) + '</b> ' + esc(load.on ? load.setting || t('on') : t('off')) + ', ' + esc(powerText(load.powerW)) +
          '<br/><span class="hems-muted">' + esc(load.reason) + '</span></td></tr>'
        );
      }).join('') +
      '</table>'
    );
  }

  // ---- The timeline ---------------------------------------------------------------------------

  var LEFT = 36;
  var RIGHT = 8;
  var LANE = 16;

  /** Local clock parts in the zone, for tick marks and labels. */
  function clockOf(timeZone, locale) {
    var format = new Intl.DateTimeFormat(locale || 'en-GB', { timeZone: timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    return function (ms) {
      var parts = {};
      format.formatToParts(new Date(ms)).forEach(function (p) {
        parts[p.type] = p.value;
      });
      return { hour: Number(parts.hour), minute: Number(parts.minute), weekday: parts.weekday, text: parts.hour + ':' + parts.minute };
    };
  }

  /** A step line through the slots that have the value; gaps where they do not. */
  function stepPath(slots, valueOf, x, y, slotMs) {
    var d = '';
    var open = false;
    slots.forEach(function (slot) {
      var v = valueOf(slot);
      if (v === null || v === undefined) {
        open = false;
        return;
      }
      var x0 = x(slot.startMs).toFixed(1);
      var x1 = x(slot.startMs + slotMs).toFixed(1);
      var yv = y(v).toFixed(1);
      d += (open ? 'L' : 'M') + x0 + ',' + yv + 'L' + x1 + ',' + yv;
      open = true;
    });
    return d;
  }

  /** Filled area under a step line, for PV. */
  function areaPath(slots, valueOf, x, y, slotMs) {
    var d = '';
    slots.forEach(function (slot) {
      var v = valueOf(slot);
      if (!v) return;
      d += 'M' + x(slot.startMs).toFixed(1) + ',' + y(0).toFixed(1) + 'V' + y(v).toFixed(1) + 'H' + x(slot.startMs + slotMs).toFixed(1) + 'V' + y(0).toFixed(1) + 'Z';
    });
    return d;
  }

  function maxOf(slots, valueOf, floor) {
    return slots.reduce(function (m, s) {
      var v = valueOf(s);
      return v !== null && v > m ? v : m;
    }, floor);
  }

  /**
   * A planner's timeline: the last 24 h measured and the plan ahead, times in the plan's zone.
   * Panels: import price; PV and the house (besides the managed loads); the battery's planned
   * state of charge (when it has one); one lane per planned load. `nowMs`: where the now line goes
   * (the editor's clock, which runs on between plans; default the plan's time).
   */
  function drawTimeline(view, t, locale, nowMs) {
    var slots = view.slots;
    if (slots.length === 0) return '<p class="hems-muted">' + esc(t('noPlan')) + '</p>';
    var fromMs = slots[0].startMs;
    var toMs = slots[slots.length - 1].startMs + view.slotMs;
    var plotW = WIDTH - LEFT - RIGHT;
    var x = function (ms) {
      return LEFT + ((ms - fromMs) / (toMs - fromMs)) * plotW;
    };
    var hasSoc = slots.some(function (s) {
      return s.socPct !== null;
    });
    var top = { price: 14, power: 88, soc: 178 };
    var lanesTop = hasSoc ? 228 : 178;
    var height = lanesTop + view.loads.length * LANE + 22;
    var out = [];
    var panel = function (y0, h, label) {
      out.push('<rect x="' + LEFT + '" y="' + y0 + '" width="' + plotW + '" height="' + h + '" fill="#fafafa" stroke="#e4e4e4"/>');
      out.push('<text x="' + LEFT + '" y="' + (y0 - 3) + '" font-size="10" fill="#555">' + esc(label) + '</text>');
    };

    // Ticks every 6 h of local time, a date at midnight.
    var clock = clockOf(view.timeZone, locale);
    var ticks = [];
    slots.forEach(function (slot) {
      var c = clock(slot.startMs);
      if (c.minute === 0 && c.hour % 6 === 0) ticks.push({ ms: slot.startMs, text: c.hour === 0 ? c.weekday : c.text, midnight: c.hour === 0 });
    });

    // Price.
    var priceOf = function (s) {
      return s.importEurPerKwh;
    };
    var prices = slots.map(priceOf).filter(function (p) {
      return p !== null;
    });
    var pMin = Math.min(0, Math.min.apply(null, prices.length ? prices : [0]));
    var pMax = Math.max(pMin + 0.01, Math.max.apply(null, prices.length ? prices : [0.01]));
    var yPrice = function (p) {
      return top.price + 50 - ((p - pMin) / (pMax - pMin)) * 50;
    };
    panel(top.price, 50, t('price') + ' (€/kWh)');
    out.push('<text x="' + (LEFT - 3) + '" y="' + (top.price + 8) + '" font-size="9" text-anchor="end" fill="#777">' + pMax.toFixed(2) + '</text>');
    out.push('<text x="' + (LEFT - 3) + '" y="' + (top.price + 50) + '" font-size="9" text-anchor="end" fill="#777">' + pMin.toFixed(2) + '</text>');
    out.push('<path data-hems-series="price" d="' + stepPath(slots, priceOf, x, yPrice, view.slotMs) + '" fill="none" stroke="' + COLOURS.price + '" stroke-width="1.5"/>');

    // PV and house.
    var pvOf = function (s) {
      return s.pvW;
    };
    var houseOf = function (s) {
      return s.houseW;
    };
    var wMax = Math.max(maxOf(slots, pvOf, 100), maxOf(slots, houseOf, 100));
    var yPower = function (w) {
      return top.power + 70 - (w / wMax) * 70;
    };
    panel(top.power, 70, t('pv') + ' / ' + t('houseBase') + ' (kW)');
    out.push('<text x="' + (LEFT - 3) + '" y="' + (top.power + 8) + '" font-size="9" text-anchor="end" fill="#777">' + (wMax / 1000).toFixed(1) + '</text>');
    out.push('<path data-hems-series="pv" d="' + areaPath(slots, pvOf, x, yPower, view.slotMs) + '" fill="' + COLOURS.pv + '" fill-opacity="0.45"/>');
    out.push('<path data-hems-series="house" d="' + stepPath(slots, houseOf, x, yPower, view.slotMs) + '" fill="none" stroke="' + COLOURS.house + '" stroke-width="1.2"/>');

    if (hasSoc) {
      var ySoc = function (pct) {
        return top.soc + 30 - (pct / 100) * 30;
      };
      panel(top.soc, 30, t('soc') + ' (%)');
      out.push('<text x="' + (LEFT - 3) + '" y="' + (top.soc + 8) + '" font-size="9" text-anchor="end" fill="#777">100</text>');
      out.push('<path data-hems-series="soc" d="' + stepPath(slots, function (s) {
        return s.socPct;
      }, x, ySoc, view.slotMs) + '" fill="none" stroke="' + COLOURS.battery + '" stroke-width="1.5"/>');
    }

    // One lane per planned load: measured (pale) and planned (full) power.
    if (view.loads.length) panel(lanesTop, view.loads.length * LANE, t('plannedLoads'));
    view.loads.forEach(function (load, i) {
      var y0 = lanesTop + i * LANE;
      var peak = Math.max(1, maxOf(load.planned, function (s) {
        return s.powerW;
      }, 1), maxOf(load.measured, function (s) {
        return s.powerW;
      }, 1));
      load.measured.forEach(function (s) {
        if (s.powerW < IDLE_W) return;
        out.push('<rect data-hems-measured="' + esc(load.id) + '" x="' + x(s.startMs).toFixed(1) + '" y="' + (y0 + 3) + '" width="' + ((plotW * view.slotMs) / (toMs - fromMs)).toFixed(2) + '" height="' + (LANE - 6) + '" fill="' + COLOURS.load + '" fill-opacity="' + (0.15 + (0.35 * s.powerW) / peak).toFixed(2) + '"/>');
      });
      load.planned.forEach(function (s) {
        out.push('<rect data-hems-planned="' + esc(load.id) + '" x="' + x(s.startMs).toFixed(1) + '" y="' + (y0 + 2) + '" width="' + Math.max(1, x(s.endMs) - x(s.startMs)).toFixed(2) + '" height="' + (LANE - 4) + '" fill="' + COLOURS.load + '" fill-opacity="' + (0.5 + (0.5 * s.powerW) / peak).toFixed(2) + '"><title>' + esc(load.name + ': ' + clock(s.startMs).text + '–' + clock(s.endMs).text + ', ' + powerText(s.powerW)) + '</title></rect>');
      });
      out.push('<text x="' + (LEFT + 3) + '" y="' + (y0 + 11) + '" font-size="9" fill="#333"><title>' + esc(load.name + ': ' + load.reason) + '</title>' + esc(short(load.name, 24)) + '</text>');
    });

    // Time axis and now.
    var bottom = height - 18;
    ticks.forEach(function (tick) {
      var tx = x(tick.ms).toFixed(1);
      out.push('<line x1="' + tx + '" y1="' + top.price + '" x2="' + tx + '" y2="' + bottom + '" stroke="' + (tick.midnight ? '#bbb' : '#e4e4e4') + '" stroke-width="1"/>');
      out.push('<text data-hems-tick="' + esc(tick.text) + '" x="' + tx + '" y="' + (bottom + 12) + '" font-size="9" text-anchor="middle" fill="#555">' + esc(tick.text) + '</text>');
    });
    var now = nowMs === undefined ? view.nowMs : Math.min(toMs, Math.max(fromMs, nowMs));
    var nx = x(now).toFixed(1);
    out.push('<line data-hems-now="' + now + '" x1="' + nx + '" y1="' + (top.price - 10) + '" x2="' + nx + '" y2="' + bottom + '" stroke="' + COLOURS.now + '" stroke-width="1" stroke-dasharray="4 2"/>');
    // The label beside the line, on the side with room.
    var labelLeft = x(now) > WIDTH - 70;
    out.push('<text x="' + (x(now) + (labelLeft ? -3 : 3)).toFixed(1) + '" y="' + (top.price - 3) + '" font-size="9" text-anchor="' + (labelLeft ? 'end' : 'start') + '" fill="' + COLOURS.now + '">' + esc(t('now') + ' ' + clock(now).text) + '</text>');

    return '<svg class="hems-timeline" data-planner="' + esc(view.plannerId) + '" viewBox="0 0 ' + WIDTH + ' ' + height + '" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">' + out.join('') + '</svg>';
  }

  // ---- The tab (browser only) -----------------------------------------------------------------

  var STYLE =
    '.hems-sidebar{padding:8px 10px;overflow-y:auto;height:100%;box-sizing:border-box}' +
    '.hems-sidebar h3{margin:6px 0 2px;font-size:14px}.hems-sidebar h4{margin:12px 0 4px;font-size:13px}' +
    '.hems-muted{color:#777;font-size:11px}.hems-loads{width:100%;font-size:12px;border-collapse:collapse}' +
    '.hems-loads td{vertical-align:top;padding:3px 2px;border-top:1px solid #eee}' +
    '.hems-dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-top:3px}' +
    '.hems-flowing{stroke-dasharray:6 4;animation:hems-flow 1s linear infinite}@keyframes hems-flow{to{stroke-dashoffset:-10}}' +
    '.hems-stale{color:#c9302c;font-size:12px}';

  /** The comms subscriptions of the tab, taken back with it. */
  var subscriptions = [];

  /** Adds the tab; called by hems-site.html when the palette adds the type (again after a disable and enable). */
  function addTab() {
    if (RED.sidebar.containsTab('hems')) return;
    var t = function (key) {
      return RED._('node-red-contrib-hems/hems-site:hems-site.sidebar.' + key);
    };
    var flows = {};
    var timelines = {};
    var content = $('<div class="hems-sidebar"></div>');
    $('<style></style>').text(STYLE).appendTo(content);
    var body = $('<div class="hems-sidebar-body"></div>').appendTo(content);
    var locale = (RED.i18n && RED.i18n.lang && RED.i18n.lang()) || undefined;

    function render() {
      var keys = Object.keys(flows);
      var orphanPlans = Object.keys(timelines).filter(function (id) {
        return !flows[timelines[id].siteKey];
      });
      if (keys.length === 0 && orphanPlans.length === 0) {
        body.html('<p class="hems-muted" data-hems-empty="1">' + esc(t('empty')) + '</p>');
        return;
      }
      var html = '';
      var plansOf = function (siteKey) {
        return Object.keys(timelines).filter(function (id) {
          return timelines[id].siteKey === siteKey;
        });
      };
      var timelineHtml = function (id) {
        var view = timelines[id];
        return '<h4>' + esc(view.name) + ' <span class="hems-muted">' + esc(t('plan')) + ', ' + view.costEur.toFixed(2) + ' €</span></h4>' + drawTimeline(view, t, locale, Date.now());
      };
      keys.forEach(function (key) {
        var view = flows[key];
        html += '<h3>' + esc(view.name) + '</h3>';
        if (view.stale) html += '<p class="hems-stale">' + esc(t('stale')) + ': ' + esc(view.reasons.join('; ')) + '</p>';
        html += drawFlow(view, t) + loadTable(view, t);
        plansOf(key).forEach(function (id) {
          html += timelineHtml(id);
        });
      });
      orphanPlans.forEach(function (id) {
        html += timelineHtml(id);
      });
      body.html(html);
    }

    function refresh() {
      $.getJSON('hems/sidebar', function (state) {
        flows = {};
        timelines = {};
        state.flows.forEach(function (v) {
          flows[v.siteKey] = v;
        });
        state.timelines.forEach(function (v) {
          timelines[v.plannerId] = v;
        });
        render();
      });
    }

    subscriptions = [
      ['hems/sidebar/flow', function (_topic, view) {
        if (view.removed) delete flows[view.siteKey];
        else flows[view.siteKey] = view;
        render();
      }],
      ['hems/sidebar/timeline', function (_topic, view) {
        if (view.removed) delete timelines[view.plannerId];
        else timelines[view.plannerId] = view;
        render();
      }],
    ];
    subscriptions.forEach(function (s) {
      RED.comms.subscribe(s[0], s[1]);
    });
    RED.sidebar.addTab({
      id: 'hems',
      label: t('tab'),
      name: t('title'),
      iconClass: 'fa fa-bolt',
      content: content,
      enableOnEdit: true,
      onchange: refresh,
    });
    refresh();
  }

  /** Takes the tab and its subscriptions back (the type left the palette). */
  function removeTab() {
    subscriptions.forEach(function (s) {
      RED.comms.unsubscribe(s[0], s[1]);
    });
    subscriptions = [];
    RED.sidebar.removeTab('hems');
  }

  return { drawFlow: drawFlow, drawTimeline: drawTimeline, loadTable: loadTable, powerText: powerText, addTab: addTab, removeTab: removeTab };
});
