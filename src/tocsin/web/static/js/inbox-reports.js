/* Inbox report charts: reads the inert JSON block named by [data-chart] and draws the series
 * listed in [data-series] with uPlot.  Data shape: {t: [unix seconds], open: [...],
 * automatic: [...], human: [...]}.
 */
(function () {
  "use strict";

  var PALETTE = { open: "#3454d1", human: "#16a34a", automatic: "#b54708" };

  function draw(el) {
    if (el.dataset.drawn || typeof uPlot === "undefined") return;
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var series = [{}];
    var columns = [data.t || []];
    (el.getAttribute("data-series") || "").split(" ").forEach(function (key) {
      if (!key || !data[key]) return;
      columns.push(data[key]);
      series.push({
        label: el.getAttribute("data-label-" + key) || key,
        stroke: PALETTE[key] || "#475467",
        width: 2,
      });
    });
    el.dataset.drawn = "1";
    var width = Math.max(300, el.clientWidth || 600);
    new uPlot({ width: width, height: 220, series: series, scales: { x: { time: true } } }, columns, el);
    el.classList.add("is-drawn");
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  window.addEventListener("load", drawAll);
})();
