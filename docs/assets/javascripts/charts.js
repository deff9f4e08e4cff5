/*
 * Trigger Point Guide chart loader (filled by hooks/charts.py, logic in tpguide.charts).
 *
 * On every page Material shows (full load or instant navigation, via `document$`), find the
 * chart figures, and when one nears the viewport load the self-hosted partial Plotly bundle
 * (vendor/plotly-tpg.min.js, next to this file) and draw the chart from its JSON spec. Pages
 * without a chart never load Plotly. Charts re-draw when the palette changes
 * (body[data-md-color-scheme] = default | slate). Keyboard: the plot is focusable and the arrow
 * keys read each point; "steps" charts also have Previous/Next buttons; the calculator redraws
 * as its inputs change.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // Fallback only: each plot names the bundle in data-tpg-plotly-src (fingerprinted URL).
  var FALLBACK = new URL("vendor/plotly-tpg.min.js", script ? script.src : window.location.href).href;
  var CONFIG = { responsive: true, displayModeBar: false, displaylogo: false, scrollZoom: false, showTips: false };
  var plotly = null; // Promise of window.Plotly
  var charts = []; // charts of the current page
  var observer = null;

  // ---------------------------------------------------------------------------
  // Loading Plotly
  // ---------------------------------------------------------------------------

  // Load the Plotly bundle once; resolves to window.Plotly.
  function loadPlotly(src) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotly) {
      var BUNDLE = src ? new URL(src, window.location.href).href : FALLBACK;
      plotly = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = BUNDLE;
        tag.async = true;
        tag.setAttribute("data-tpg-plotly", "");
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () {
          plotly = null;
          reject(new Error("Could not load " + BUNDLE));
        };
        document.head.appendChild(tag);
      });
    }
    return plotly;
  }

  // ---------------------------------------------------------------------------
  // Theme
  // ---------------------------------------------------------------------------

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "slate" : "default";
  }

  // Copy of value with every "@name" palette token replaced by its colour.
  function themed(value, palette) {
    if (Array.isArray(value)) return value.map(function (v) { return themed(v, palette); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = themed(value[k], palette); });
      return out;
    }
    if (typeof value === "string" && value.charAt(0) === "@" && palette[value.slice(1)]) {
      return palette[value.slice(1)];
    }
    return value;
  }

  // ---------------------------------------------------------------------------
  // Drawing
  // ---------------------------------------------------------------------------

  function draw(chart) {
    var name = scheme();
    var palette = chart.spec.palette[name];
    var data = themed(chart.data || chart.spec.data, palette);
    var layout = themed(chart.spec.layout, palette);
    if (chart.selected !== null) highlight(data, chart, palette);
    return window.Plotly.react(chart.plot, data, layout, CONFIG).then(function () {
      chart.figure.setAttribute("data-tpg-theme", name);
      chart.figure.setAttribute("data-tpg-drawn", "true");
      chart.plot.setAttribute("tabindex", "0");
      if (chart.selected !== null && chart.interacted) hover(chart);
    });
  }

  // Outline the selected point (for Previous/Next and the arrow keys).
  function highlight(data, chart, palette) {
    var point = chart.spec.points[chart.selected];
    if (!point) return;
    var trace = data[point.c];
    var n = (trace.x || []).length;
    var widths = [];
    var colors = [];
    for (var i = 0; i < n; i++) {
      widths.push(i === point.p ? 4 : 2);
      colors.push(i === point.p ? palette.highlight : palette.surface);
    }
    trace.marker = Object.assign({}, trace.marker, { line: { width: widths, color: colors } });
  }

  function hover(chart) {
    var point = chart.spec.points[chart.selected];
    if (!point || !window.Plotly.Fx) return;
    var trace = chart.spec.data[point.c] || {};
    var subplot = (trace.xaxis || "x") + (trace.yaxis || "y");
    try {
      window.Plotly.Fx.hover(chart.plot, [{ curveNumber: point.c, pointNumber: point.p }], subplot);
    } catch (err) {
      /* hover labels are a convenience; the readout below carries the same text */
    }
  }

  // Select point i (wrapping), show its text in the readout and as a hover label.
  function select(chart, i, quiet) {
    var n = chart.spec.points.length;
    if (!n) return;
    if (!quiet) chart.interacted = true;
    chart.selected = ((i % n) + n) % n;
    var point = chart.spec.points[chart.selected];
    chart.readout.textContent = chart.spec.rows[point.r] || "";
    if (chart.status) chart.status.textContent = "Step " + (chart.selected + 1) + " of " + n;
    if (window.Plotly && chart.figure.getAttribute("data-tpg-drawn")) draw(chart);
  }

  function onKey(chart, event) {
    var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in keys) {
      event.preventDefault();
      select(chart, chart.selected === null ? (keys[event.key] > 0 ? 0 : -1) : chart.selected + keys[event.key]);
    } else if (event.key === "Home") {
      event.preventDefault();
      select(chart, 0);
    } else if (event.key === "End") {
      event.preventDefault();
      select(chart, -1);
    } else if (event.key === "Escape" && window.Plotly && window.Plotly.Fx) {
      window.Plotly.Fx.unhover(chart.plot);
    }
  }

  // ---------------------------------------------------------------------------
  // Calculator
  // ---------------------------------------------------------------------------

  function number(form, name) {
    var input = form.elements[name];
    var value = input ? parseFloat(input.value) : NaN;
    return isFinite(value) && value >= 0 ? value : NaN;
  }

  function calculate(chart) {
    var calc = chart.spec.calculator;
    var form = chart.figure.querySelector("form[data-tpg-calc]");
    var sessions = Math.round(number(form, "sessions"));
    var price = number(form, "price");
    var minutes = number(form, "minutes");
    var output = chart.figure.querySelector(".tpg-calc__result");
    if (!(sessions >= 1 && sessions <= 200) || isNaN(price) || isNaN(minutes)) {
      output.textContent = "Enter a number of sessions from 1 to 200, and a price and minutes of 0 or more.";
      return;
    }
    var money = new Intl.NumberFormat(calc.locale, { style: "currency", currency: calc.currency });
    var hoursFmt = new Intl.NumberFormat(calc.locale, { maximumFractionDigits: 1 });
    var hours = (sessions * minutes) / 60;
    output.textContent = sessions + (sessions === 1 ? " session costs " : " sessions cost ") +
      money.format(sessions * price) + " in total and take " + hoursFmt.format(hours) + " hours.";
    var xs = [];
    var ys = [];
    var text = [];
    for (var n = 1; n <= sessions; n++) {
      xs.push(n);
      ys.push(Math.round(price * n * 100) / 100);
      text.push("After session " + n + ": " + money.format(price * n) + " and " + hoursFmt.format((minutes * n) / 60) + " hours");
    }
    var trace = Object.assign({}, chart.spec.data[0], { x: xs, y: ys, hovertext: text });
    chart.data = [trace];
    chart.spec.layout.xaxis = Object.assign({}, chart.spec.layout.xaxis, { dtick: sessions <= 20 ? 1 : null });
    if (window.Plotly && chart.figure.getAttribute("data-tpg-drawn")) draw(chart);
  }

  // ---------------------------------------------------------------------------
  // Setting up a page
  // ---------------------------------------------------------------------------

  function setup(figure) {
    var plot = figure.querySelector(".tpg-chart__plot[data-tpg-spec]");
    if (!plot) return null;
    var chart = {
      figure: figure,
      plot: plot,
      spec: JSON.parse(plot.getAttribute("data-tpg-spec")),
      readout: figure.querySelector(".tpg-chart__readout"),
      status: figure.querySelector(".tpg-chart__status"),
      selected: null,
      interacted: false,
      data: null,
    };
    figure.classList.add("tpg-chart--js");
    plot.addEventListener("keydown", function (event) { onKey(chart, event); });
    plot.addEventListener("focus", function () {
      if (chart.selected === null && chart.spec.points.length) {
        chart.readout.textContent = "Use the arrow keys to read each point of the chart.";
      }
    });
    if (chart.spec.kind === "steps") {
      select(chart, 0, true);
      figure.querySelectorAll("[data-tpg-step]").forEach(function (button) {
        button.addEventListener("click", function () {
          select(chart, chart.selected + parseInt(button.getAttribute("data-tpg-step"), 10));
        });
      });
    }
    if (chart.spec.kind === "calculator") {
      var form = figure.querySelector("form[data-tpg-calc]");
      form.addEventListener("input", function () { calculate(chart); });
      form.addEventListener("submit", function (event) { event.preventDefault(); calculate(chart); });
      calculate(chart);
    }
    return chart;
  }

  function drawWhenNear(chart) {
    return loadPlotly(chart.plot.getAttribute("data-tpg-plotly-src")).then(function () { return draw(chart); }).catch(function (err) {
      chart.figure.setAttribute("data-tpg-error", String(err && err.message || err));
    });
  }

  // Called for every page Material shows: forget the old page's charts, set up the new ones.
  function onPage() {
    if (observer) observer.disconnect();
    charts.forEach(function (chart) {
      if (window.Plotly && !document.body.contains(chart.plot)) window.Plotly.purge(chart.plot);
    });
    charts = [];
    var figures = document.querySelectorAll("figure.tpg-chart[data-tpg-chart]");
    if (!figures.length) return;
    figures.forEach(function (figure) {
      var chart = setup(figure);
      if (chart) charts.push(chart);
    });
    if (!("IntersectionObserver" in window)) {
      charts.forEach(drawWhenNear);
      return;
    }
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        charts.forEach(function (chart) {
          if (chart.plot === entry.target) drawWhenNear(chart);
        });
      });
    }, { rootMargin: "400px 0px" });
    charts.forEach(function (chart) { observer.observe(chart.plot); });
  }

  // Re-draw every drawn chart when the reader switches between light and dark.
  new MutationObserver(function () {
    charts.forEach(function (chart) {
      if (window.Plotly && chart.figure.getAttribute("data-tpg-drawn")) draw(chart);
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // Print the static version: open every data table, restore afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.tpg-chart__data"), function (d) {
      return !d.open;
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
