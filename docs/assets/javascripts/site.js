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

  function init() {
    setupLibraryFilter();
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
