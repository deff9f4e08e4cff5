/* Trigger Point Guide: load search when the reader first opens it, not on every page load.
   Material's bundle asks for the search index (search/search_index.json, ~45 KB gzip) and starts
   its search worker (~12 KB) as every page loads, though most readers never search. Loaded just
   before the bundle (overrides/main.html), this holds both back until the reader first focuses
   the search box or opens search (the search icon, or the "/", "s" and "f" keys, which focus the
   box), then lets Material carry on as it would have: the same request, the same worker. A page
   opened from a search result (?h=...: Material highlights the words) needs the index at once.
   Instant navigation keeps this page's script running, so one opening serves every later page. */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
  var WORKER = /\/workers\/search\.[^/]*\.js$/;
  var wanted = /[?&]h=/.test(window.location.search);
  var waiting = [];

  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }

  function whenWanted(go) {
    if (wanted) go();
    else waiting.push(go);
  }

  function path(url) {
    return new URL(String(url), document.baseURI).pathname;
  }

  // The index: Material's request is opened as usual and sent once search is wanted.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.tpgSearchIndex = INDEX.test(path(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    var args = arguments;
    if (!xhr.tpgSearchIndex) return send.apply(xhr, args);
    whenWanted(function () {
      if (xhr.readyState === XMLHttpRequest.OPENED) send.apply(xhr, args);  // not aborted meanwhile
    });
  };

  // The worker: Material talks to an event target that starts the real worker when search is
  // wanted, passing messages both ways (Material sends nothing before the index has arrived).
  var RealWorker = window.Worker;
  if (RealWorker && typeof EventTarget === "function") {
    var OnDemand = function (url, options) {
      if (!WORKER.test(path(url))) return new RealWorker(url, options);
      // Resolved now, as Material's own worker would be: after an instant navigation the same
      // relative URL would point elsewhere.
      url = new URL(String(url), document.baseURI).href;
      var target = new EventTarget();
      var worker = null;
      var queue = [];
      whenWanted(function () {
        worker = new RealWorker(url, options);
        ["message", "messageerror", "error"].forEach(function (type) {
          worker.addEventListener(type, function (event) {
            target.dispatchEvent(type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data }));
          });
        });
        queue.splice(0).forEach(function (message) { worker.postMessage(message); });
      });
      target.postMessage = function (message) {
        if (worker) worker.postMessage(message);
        else queue.push(message);
      };
      target.terminate = function () {
        if (worker) worker.terminate();
      };
      return target;
    };
    OnDemand.prototype = RealWorker.prototype;
    window.Worker = OnDemand;
  }

  // Search is wanted when its box gets the focus or its toggle opens (also on later pages).
  document.addEventListener("focusin", function (event) {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) want();
  });
  document.addEventListener("change", function (event) {
    if (event.target instanceof Element && event.target.id === "__search" && event.target.checked) want();
  });
})();
