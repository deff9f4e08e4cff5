// Partial plotly.js bundle for Trigger Point Guide: only what our charts draw. Built by build.mjs
// (make plotly-bundle, mk/charts.mk); the loader (docs/assets/javascripts/charts.js) uses
// Plotly.react, Plotly.purge and Plotly.Fx.hover/unhover.
//
// plotly.js' lib/core registers scatter and sixteen components. This is the same file
// (plotly.js/src/core.js, 4.1.1) with only what the chart specs use (tpguide.charts_defs):
// scatter and bar traces, annotations, shapes, error bars, hover labels; and what the drawing
// code calls by module (selections and the mode bar: plot_api requires them), colour scales (the
// trace defaults), and the en locales. Left out, never used by our charts: legend (showlegend is
// off), colour bars, images, update menus, sliders, range sliders and selectors, grid, 3D
// annotations; and the Promise polyfill, plot icons, snapshots and the schema API.
// A chart that needs one of them: register it here (tests/browser/test_charts.py draws every chart).
'use strict';

var Registry = require('plotly.js/src/registry');
var plotApi = require('plotly.js/src/plot_api');
var Fx = require('plotly.js/src/components/fx');

require('plotly.js/build/plotcss');

var Plotly = { version: require('plotly.js/src/version').version, register: Registry.register };

Object.keys(plotApi).forEach(function(name) {
    // _ -> private API methods, but still registered for internal use (as in src/core.js)
    if(name.charAt(0) !== '_') Plotly[name] = plotApi[name];
    Registry.register({ moduleType: 'apiMethod', name: name, fn: plotApi[name] });
});

Registry.register(require('plotly.js/src/traces/scatter'));
Registry.register([
    require('plotly.js/src/components/annotations'),
    require('plotly.js/src/components/selections'),
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/errorbars'),
    require('plotly.js/src/components/colorscale'),
    Fx,
    require('plotly.js/src/components/modebar')
]);
Registry.register([require('plotly.js/src/locale-en'), require('plotly.js/src/locale-en-us')]);
Registry.register(require('plotly.js/src/traces/bar'));

Plotly.Fx = { hover: Fx.hover, unhover: Fx.unhover, loneHover: Fx.loneHover, loneUnhover: Fx.loneUnhover };

module.exports = Plotly;
