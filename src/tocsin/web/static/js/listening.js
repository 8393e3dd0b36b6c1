/* Listening charts: reads the inert JSON blocks named by [data-chart] and draws them with uPlot.
 * Data shape: {t: [unix seconds], posts: [...], negative?: [...], positive?: [...]}.
 */
(function () {
  "use strict";

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
    var palette = { posts: "#2563eb", negative: "#dc2626", positive: "#16a34a" };
    ["posts", "negative", "positive"].forEach(function (key) {
      if (!data[key]) return;
      columns.push(data[key]);
      series.push({
        label: el.getAttribute("data-label-" + key) || key,
        stroke: palette[key],
        width: 2,
      });
    });
    el.dataset.drawn = "1";
    var width = Math.max(300, el.clientWidth || 600);
    new uPlot({ width: width, height: 240, series: series, scales: { x: { time: true } } }, columns, el);
    el.classList.add("is-drawn");
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  window.addEventListener("load", drawAll);
})();
