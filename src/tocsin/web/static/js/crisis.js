/* The crisis overview's volume chart: fetches the brand's series and draws it with uPlot.
 * Loaded only on /crisis; no inline script (the CSP forbids it). */
(function () {
  "use strict";

  function draw(el) {
    if (typeof uPlot === "undefined") { return; }
    fetch(el.getAttribute("data-series-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (series) {
        if (!series) { return; }
        var share = series.negative_share.map(function (v) { return Math.round(v * 1000) / 10; });
        var options = {
          width: Math.max(320, el.clientWidth),
          height: 260,
          series: [
            {},
            { label: el.getAttribute("data-label-volume"), stroke: "#1f5fbf", width: 1.5, scale: "n" },
            { label: el.getAttribute("data-label-negative"), stroke: "#d92d20", dash: [4, 3], scale: "%" },
          ],
          axes: [{}, { scale: "n" }, { scale: "%", side: 1, grid: { show: false } }],
          scales: { "%": { range: [0, 100] } },
        };
        el.textContent = "";
        el.chart = new uPlot(options, [series.t, series.volume, share], el);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-series-url]").forEach(draw);
  });
})();
