// History charts of one node (reputation and its components, egress, points, reachability), drawn with the
// vendored uPlot from /api/v1/metrics/nodes/{id}. No data from the node is ever inserted as HTML.
(function () {
  "use strict";
  const script = document.currentScript;
  const nodeId = script.dataset.node;

  function seconds(at) { return Date.parse(at) / 1000; }

  function chart(id, title, series, data, yRange) {
    const el = document.getElementById(id);
    if (!el) { return; }
    const width = Math.max(300, el.clientWidth - 20);
    const opts = {
      title: title, width: width, height: 220,
      scales: { x: { time: true }, y: yRange ? { range: yRange } : {} },
      series: [{}].concat(series),
      axes: [{}, { size: 60 }]
    };
    new uPlot(opts, data, el);
  }

  fetch("/api/v1/metrics/nodes/" + encodeURIComponent(nodeId) + "?days=7")
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (points) {
      if (!points.length) { return; }
      const x = points.map(function (p) { return seconds(p.at); });
      const pick = function (f) { return points.map(function (p) { return p[f] == null ? null : p[f]; }); };
      chart("chart-reputation", "Reputation (7 days)", [
        { label: "reputation", stroke: "#2f6fde", width: 2 },
        { label: "uptime", stroke: "#1e8e5a" },
        { label: "historical", stroke: "#b7791f" },
        { label: "egress", stroke: "#7b3fc4" }
      ], [x, pick("reputation"), pick("uptimeScore"), pick("historicalScore"), pick("egressScore")], [0, 1]);
      chart("chart-egress", "Egress, rolling 7 days (TB)", [{ label: "TB", stroke: "#7b3fc4", width: 2 }],
        [x, points.map(function (p) { return p.egressBytes7d == null ? null : p.egressBytes7d / 1e12; })]);
      chart("chart-points", "Points", [{ label: "points", stroke: "#b7791f", width: 2 }], [x, pick("points")]);
      chart("chart-state", "Up (1) / degraded (0.5) / down or unreachable (0)",
        [{ label: "state", stroke: "#1e8e5a", width: 2, paths: uPlot.paths.stepped({ align: 1 }) }],
        [x, points.map(function (p) { return p.state === "up" ? 1 : p.state === "degraded" ? 0.5 : 0; })], [0, 1.1]);
    });
})();
