// Partial plotly.js bundle for Trigger Point Guide: core (scatter, shapes, annotations,
// error bars) plus bar traces. Built by build.mjs; see mk/charts.mk (make plotly-bundle).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar')]);

module.exports = Plotly;
