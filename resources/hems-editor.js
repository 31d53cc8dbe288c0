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
};
