// Editor helpers shared by the hems node dialogs (served by Node-RED at resources/node-red-contrib-hems/).
window.HemsEditor = window.HemsEditor || {
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

  /**
   * Fills `select` with the optimisers in the workspace and sets it to `value`. An optimiser is a
   * flow node (it has an input and an output), so loads and planners pick it here and store its id
   * rather than going through a config-node picker.
   */
  optimiserSelect: function (select, value) {
    RED.nodes.eachNode(function (n) {
      if (n.type === 'hems-optimiser') $('<option>').val(n.id).text(n.name || n.deviceId || n.id).appendTo(select);
    });
    return select.val(value);
  },
};
