// The plan run page: poll the run's state every second and update the progress bar and the
// figures; reload once the run has ended, so the page shows its outcome. No inline scripts.
(function () {
  "use strict";

  function setText(container, selector, text) {
    var element = container.querySelector(selector);
    if (element) { element.textContent = text; }
  }

  function show(container, state) {
    var bar = container.querySelector("[data-run-bar]");
    var outer = container.querySelector(".progress");
    bar.style.width = state.percent + "%";
    bar.textContent = state.percent + "%";
    outer.setAttribute("aria-valuenow", String(state.percent));
    var badge = container.querySelector("[data-run-state]");
    badge.textContent = state.state;
    badge.className = "badge text-bg-" + state.tone;
    setText(container, "[data-run-message]", state.message);
    var cancel = document.querySelector("[data-run-cancel]");
    if (cancel && state.stopping) { cancel.hidden = true; }
    Object.keys(state.shown).forEach(function (key) {
      var field = container.querySelector('[data-run-field="' + key + '"]');
      if (field) { field.textContent = state.shown[key]; }
    });
  }

  function watchRun(container) {
    if (container.getAttribute("data-run-finished") === "true") { return; }
    var url = container.getAttribute("data-run-status-url");
    var busy = false;
    var timer = window.setInterval(function () {
      if (busy) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          show(container, state);
          if (state.finished) { window.clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { /* try again on the next tick */ })
        .then(function () { busy = false; });
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-run-status-url]").forEach(watchRun);
  });
})();
