// plotly.js with only the traces this app draws: MapLibre maps (the chart above the slider is
// an SVG image: dashboard/timeline_chart.py).
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/scattermap'),
  require('plotly.js/lib/choroplethmap'),
]);
module.exports = Plotly;
