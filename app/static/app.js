// Rollout's small scripts. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function setBar(container, percent) {
    var bar = container.querySelector("[data-job-bar]");
    var outer = container.querySelector(".progress");
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    outer.setAttribute("aria-valuenow", String(percent));
  }

  // A job's state as the page first showed it ("Running"), from the labels the page carries.
  function stateLabel(container, status) {
    var labels = JSON.parse(container.getAttribute("data-job-state-labels") || "{}");
    return labels[status] || status;
  }

  function watchJob(container) {
    var url = container.getAttribute("data-job-status-url");
    setBar(container, Number(container.querySelector(".progress").getAttribute("aria-valuenow")));
    if (container.getAttribute("data-job-finished") === "true") { return; }
    var timer = window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          setBar(container, job.percent);
          container.querySelector("[data-job-state]").textContent = stateLabel(container, job.status);
          container.querySelector("[data-job-message]").textContent = job.message;
          if (job.finished) { window.clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { /* try again on the next tick */ });
    }, 1000);
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-status-url]").forEach(watchJob);
    confirmForms();
  });
})();
