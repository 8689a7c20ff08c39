// The scenario pages: a funding source's E-Rate settings show only when its kind is E-Rate.
(function () {
  "use strict";

  function toggleErate(form) {
    var kind = form.querySelector("select[name=kind]");
    var settings = form.querySelector("[data-erate-settings]");
    if (!kind || !settings) { return; }
    var update = function () { settings.hidden = kind.value !== "erate_c2"; };
    kind.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(toggleErate);
  });
})();
