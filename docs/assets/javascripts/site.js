/* Trigger Point Guide: small progressive enhancements. Works with Material's instant
   navigation: everything runs on each page swap through the document$ observable. */
(function () {
  "use strict";

  // Reference library: filter entries by topic.
  function setupLibraryFilter() {
    var box = document.querySelector(".tpg-library-filter");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    var select = box.querySelector("select");
    var count = box.querySelector(".tpg-filter-count");
    var entries = Array.prototype.slice.call(document.querySelectorAll(".tpg-ref"));
    function apply() {
      var topic = select.value;
      var shown = 0;
      entries.forEach(function (el) {
        var topics = (el.getAttribute("data-topics") || "").split(",");
        var visible = !topic || topics.indexOf(topic) !== -1;
        el.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll(".md-content h2").forEach(function (h) {
        var next = h.nextElementSibling, any = false, seen = false;
        while (next && next.tagName !== "H2") {
          if (next.classList.contains("tpg-ref")) { seen = true; if (!next.hidden) any = true; }
          next = next.nextElementSibling;
        }
        if (seen) h.hidden = !any;
      });
      count.textContent = topic ? shown + " of " + entries.length + " references shown" : "";
    }
    select.addEventListener("change", apply);
    // A topic the browser restored (back button): filter now. Otherwise every entry is already
    // shown, and touching 140 entries would only cost the phone a style pass.
    if (select.value) apply();
  }

  // Material wraps each code block's copy button in an unnamed <nav>; several unnamed navs on
  // one page are indistinguishable landmarks (axe landmark-unique). Name each one.
  function nameCodeNavs() {
    var navs = document.querySelectorAll("nav.md-code__nav:not([aria-label])");
    Array.prototype.forEach.call(navs, function (nav, i) {
      nav.setAttribute("aria-label", "Code block " + (i + 1) + " actions");
    });
  }

  // Layered pages: a link to an anchor inside a closed disclosure (a folded section, a table of
  // findings, a finding id, #warning-signs) opens every disclosure around it, then shows it.
  function openTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var el = document.getElementById(id);
    if (!el) return;
    var opened = false;
    for (var d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      if (!d.open) { d.open = true; opened = true; }
    }
    if (opened) el.scrollIntoView();
  }

  // Printing from the browser opens every disclosure (site.css does the same for the PDF
  // renderers), and closes again afterwards those that were closed.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });
  window.addEventListener("hashchange", openTarget);

  // A page opened from a search result (?h=words): open the folds that hold the words, so the
  // highlighted matches can be seen.
  function openSearchMatches() {
    var words = (new URLSearchParams(location.search).get("h") || "").toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return;
    document.querySelectorAll(".md-content details:not([open])").forEach(function (d) {
      var text = d.textContent.toLowerCase();
      if (words.some(function (w) { return text.indexOf(w) !== -1; })) d.open = true;
    });
  }


  // Decision aid (issue 23). Answers are kept in this browser's localStorage only: no request,
  // no cookie. Each option card carries its own fit (data-fit-<value> = yes | partly | no |
  // unknown, written by the build); this only compares it with the answers and says so in words.
  var VALUES_KEY = "tpg-values", MINE_KEY = "tpg-mine";
  // a patient reviewer read "fits" as "recommended" (paracetamol fitted, and does not ease back pain)
  var NOT_WORKS = "Fitting your answers does not mean an option works: each option says how well it worked in studies.";
  // "Clear my answers" sits beside "Print my summary" and wipes everything: it asks first (a patient
  // reviewer wiped her answers with one tap on a phone)
  var CLEAR_QUESTION = "Clear all your answers, on this page and the options page? This cannot be undone.";
  // The options that clash with nothing marked "matters a lot", nearest first, those equally near
  // together ("closest first" over a tie put the first in page order ahead for no reason)
  function nearest(closest) {
    var tiers = [];
    closest.forEach(function (c) {
      var last = tiers[tiers.length - 1];
      if (last && last.yes === c.yes && last.partly === c.partly) last.names.push(c.name);
      else tiers.push({ yes: c.yes, partly: c.partly, names: [c.name] });
    });
    var names = function (t) { return t.names.join(", "); };
    // plain words: "These clash with none of it" made a patient reviewer read the line three times
    var lead = "These come closest, and none of them clashes with your answers";
    return tiers.length === 1
      ? lead + " (all equally close): " + names(tiers[0])
      : lead + " (closest first): " + tiers.map(names).join("; then ");
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: keep on the page only */ }
  }
  function forget(key) {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function setupValues() {
    var form = document.querySelector("form[data-values]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var saved = load(VALUES_KEY);
    form.querySelectorAll("fieldset").forEach(function (set) {
      var legend = set.querySelector("legend");
      set.dataset.label = legend ? legend.textContent : "";
    });
    Object.keys(saved).forEach(function (name) {
      var input = form.querySelector('input[name="' + name + '"][value="' + saved[name] + '"]');
      if (input) input.checked = true;
    });
    function answers() {
      var out = {};
      form.querySelectorAll("input:checked").forEach(function (i) { out[i.name] = i.value; });
      return out;
    }
    function label(name) {
      var set = form.querySelector('input[name="' + name + '"]');
      set = set && set.closest("fieldset");
      var text = set ? set.dataset.label : name;
      return text.charAt(0).toLowerCase() + text.slice(1);
    }
    function update() {
      var a = answers();
      var strong = Object.keys(a).filter(function (k) { return a[k] === "2"; });
      var any = Object.keys(a).filter(function (k) { return a[k] !== "0"; });
      var fitting = [], closest = [];
      document.querySelectorAll("details[data-option]").forEach(function (card) {
        var text = card.querySelector("[data-fit-text]");
        if (!text) return;
        if (!any.length) { text.hidden = true; card.removeAttribute("data-fit"); return; }
        var groups = { yes: [], partly: [], no: [], unknown: [] };
        var fitOf = function (k) { return card.getAttribute("data-fit-" + k); };
        // with the reason the card gives when the answer is not a plain yes (data-fit-why-*)
        var why = function (k) { var r = card.getAttribute("data-fit-why-" + k); return r ? " (" + r + ")" : ""; };
        any.forEach(function (k) { (groups[fitOf(k)] || groups.unknown).push(label(k) + why(k)); });
        // "fits" only when every answer marked "matters a lot" is a yes: partly or not known is not a fit
        var clash = strong.some(function (k) { return fitOf(k) === "no"; });
        var unclear = !clash && strong.some(function (k) { return fitOf(k) !== "yes"; });
        var parts = [];
        if (groups.yes.length) parts.push("Fits: " + groups.yes.join("; ") + ".");
        if (groups.partly.length) parts.push("Partly fits: " + groups.partly.join("; ") + ".");
        if (groups.no.length) parts.push("Does not fit: " + groups.no.join("; ") + ".");
        if (groups.unknown.length) parts.push("Not known: " + groups.unknown.join("; ") + ".");
        var lead = clash ? "Clashes with something that matters a lot to you. "
          : unclear ? "Only partly fits, or not known, for something that matters a lot to you. "
          : strong.length ? "Fits what matters most to you. " : "";
        text.textContent = lead + parts.join(" ");
        text.hidden = false;
        card.setAttribute("data-fit", clash ? "conflict" : unclear ? "unclear" : "fits");
        if (!clash && !unclear && strong.length) fitting.push(card.getAttribute("data-name"));
        // no clash, but partly or not known: the nearest matches, most plain yeses first, then partlies
        if (unclear) {
          var count = function (v) { return strong.filter(function (k) { return fitOf(k) === v; }).length; };
          closest.push({ name: card.getAttribute("data-name"), yes: count("yes"), partly: count("partly"), at: closest.length });
        }
      });
      closest.sort(function (x, y) { return (y.yes - x.yes) || (y.partly - x.partly) || (x.at - y.at); });
      var result = document.querySelector("[data-values-result]");
      if (result) {
        result.hidden = !strong.length;
        // with no full fit, the nearest ones by name (a patient reviewer was left with "no option fits")
        result.textContent = !strong.length ? "" : fitting.length
          ? "Options that fit everything you marked \u201cmatters a lot\u201d: " + fitting.join(", ") + ". " + NOT_WORKS
          : closest.length
          ? "No option fits everything you marked \u201cmatters a lot\u201d. " + nearest(closest) +
            ". Open them to see what fits only partly or is not known. " + NOT_WORKS
          : "Every option clashes with something you marked \u201cmatters a lot\u201d. Open them to see why.";
      }
    }
    form.addEventListener("change", function () { save(VALUES_KEY, answers()); update(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var clear = form.querySelector("[data-values-clear]");
    if (clear) clear.addEventListener("click", function () {
      if (!window.confirm(CLEAR_QUESTION)) return;
      form.querySelectorAll("input:checked").forEach(function (i) { i.checked = false; });
      forget(VALUES_KEY);
      forget(MINE_KEY);
      update();
    });
    update();
  }

  function setupMine() {
    var form = document.querySelector("form[data-mine]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var saved = load(MINE_KEY), values = load(VALUES_KEY);
    form.querySelectorAll('input[name="option"]').forEach(function (i) { i.checked = (saved.options || []).indexOf(i.value) !== -1; });
    form.querySelectorAll('input[name="matters"]').forEach(function (i) {
      i.checked = saved.matters ? saved.matters.indexOf(i.value) !== -1 : values[i.value] === "2";
    });
    form.querySelectorAll('input[name="lean"]').forEach(function (i) { i.checked = saved.lean === i.value; });
    form.elements.lean_option.value = saved.lean_option || "";
    form.elements.questions.value = saved.questions || "";
    var date = form.querySelector("[data-mine-date]");
    // the site's own date style ("7 December 2026"), whatever the browser's language
    if (date) date.textContent = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    function state() {
      var pick = function (name) {
        return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
      };
      return { options: pick("option"), matters: pick("matters"), lean: pick("lean")[0] || "",
               lean_option: form.elements.lean_option.value, questions: form.elements.questions.value };
    }
    function show() {
      var chosen = state().options;
      form.querySelectorAll("tr[data-option]").forEach(function (row) {
        row.hidden = chosen.indexOf(row.getAttribute("data-option")) === -1;
      });
      var blank = form.querySelector("[data-mine-blank]");
      if (blank) blank.hidden = chosen.length > 0;
      form.classList.toggle("tpg-mine--any", chosen.length > 0);
    }
    form.addEventListener("input", function () { save(MINE_KEY, state()); show(); });
    form.addEventListener("change", function () { save(MINE_KEY, state()); show(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var print = form.querySelector("[data-mine-print]");
    if (print) print.addEventListener("click", function () { window.print(); });
    var clear = form.querySelector("[data-mine-clear]");
    if (clear) clear.addEventListener("click", function () {
      if (!window.confirm(CLEAR_QUESTION)) return;
      form.reset();
      forget(MINE_KEY);
      // the "what matters" ticks come from the options page's answers: they go too, or they came back
      // on the next visit (a patient reviewer on a shared device)
      forget(VALUES_KEY);
      show();
    });
    show();
  }

  // A handout's "Print this sheet" button (tpguide.handouts.PRINT_CONTROLS): hidden until here.
  function setupPrintButtons() {
    document.querySelectorAll("[data-tpg-print]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    setupPrintButtons();
    setupLibraryFilter();
    setupValues();
    setupMine();
    nameCodeNavs();
    openSearchMatches();
    openTarget();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
