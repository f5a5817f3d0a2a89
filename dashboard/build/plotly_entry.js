// plotly.js with only the traces this app draws: MapLibre maps and the histogram's bars.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/scattermap'),
  require('plotly.js/lib/choroplethmap'),
  require('plotly.js/lib/bar'),
]);
module.exports = Plotly;
