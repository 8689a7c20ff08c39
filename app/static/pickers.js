// Searchable boxes (the asset form's site and model): as the user types, a few matching labels
// come from a small JSON endpoint (the input's data-suggest URL) into the input's <datalist>.
// Without JavaScript the box still takes a typed site code or part number. No inline scripts:
// the Content-Security-Policy forbids them.
(function () {
  "use strict";

  var DELAY_MS = 150;

  function show(list, labels) {
    var options = labels.map(function (label) {
      var option = document.createElement("option");
      option.value = label;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var pending = null;
    var asked = null;

    function ask() {
      var term = input.value.trim();
      if (term === asked) { return; }
      asked = term;
      if (pending) { pending.abort(); }
      if (!term) { show(list, []); return; }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() !== term) { return; }
          show(list, data.suggestions || []);
          // Suggestions that arrive after the keystroke: open the list now, not at the next key.
          if (document.activeElement === input && list.options.length && input.showPicker) {
            try { input.showPicker(); } catch (error) { /* not allowed here: the next key opens it */ }
          }
        })
        .catch(function () { /* a newer request replaced this one, or the network failed */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest][list]").forEach(attach);
  });
})();
