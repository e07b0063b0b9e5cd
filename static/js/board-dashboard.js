// The Board's dashboard: draw each figure the server prepared (plotly JSON in
// #board-dashboard-figures) into its element [data-figure="<id>"], with our own
// copy of plotly.js (static vendor/plotly.min.js). No data is fetched: the page
// already holds it, and its tables hold the same numbers for anyone without
// JavaScript or a screen.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("board-dashboard-figures");
    if (!source || !window.Plotly) {
      return;
    }
    var figures = JSON.parse(source.textContent);
    var config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", scale: 2 },
    };
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      var figure = figures[element.getAttribute("data-figure")];
      if (!figure) {
        return;
      }
      var noscript = element.querySelector("noscript");
      if (noscript) {
        noscript.remove();
      }
      window.Plotly.newPlot(element, figure.data || [], figure.layout || {}, config)
        .then(function () {
          element.setAttribute("data-drawn", "true");
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
