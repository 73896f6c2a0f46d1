// Live updates: the hub sends a "change" event when its state changed; the page then fetches itself once
// (at most one fetch per second, however many events arrive) and replaces the parts marked data-live whose
// content differs. No polling: without changes nothing is fetched.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var pending = false;
  var last = 0;
  var MIN_INTERVAL_MS = 1000;

  function say(text) { if (live) { live.textContent = text; } }

  function refresh() {
    pending = false;
    last = Date.now();
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var next = new DOMParser().parseFromString(text, "text/html");
        next.querySelectorAll("[data-live]").forEach(function (part) {
          var current = document.getElementById(part.id);
          if (current && current.innerHTML !== part.innerHTML) {
            current.replaceWith(document.importNode(part, true));
          }
        });
        say("live");
      })
      .catch(function () { say("offline: retrying"); });
  }

  function schedule() {
    if (pending) { return; }
    pending = true;
    window.setTimeout(refresh, Math.max(0, last + MIN_INTERVAL_MS - Date.now()));
  }

  if (!window.EventSource) { say("no live updates in this browser"); return; }
  var source = new EventSource("/events");
  source.addEventListener("open", function () { say("live"); });
  source.addEventListener("change", schedule);
  source.addEventListener("error", function () { say("reconnecting…"); });
})();
