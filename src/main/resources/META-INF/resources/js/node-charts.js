// History charts of one node (reputation and its components, egress, points, reachability), drawn with the
// vendored uPlot from /api/v1/metrics/nodes/{id}. No data from the node is ever inserted as HTML.
(function () {
  "use strict";
  const script = document.currentScript;
  const nodeId = script.dataset.node;
  const HOUR = 3600;
  const DAY = 24 * HOUR;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // Ticks fall on whole minutes at the least: a poll every few minutes never needs seconds on the axis.
  const TIME_STEPS = [60, 5 * 60, 15 * 60, 30 * 60, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY,
    7 * DAY];
  // Each chart, by its element id, for the page's own checks (the browser test reads the axes it drew).
  const charts = window.popfleetCharts = {};

  function seconds(at) { return Date.parse(at) / 1000; }

  function two(n) { return n < 10 ? "0" + n : "" + n; }

  // Times in UTC, as every other time on the console.
  function clock(s) { const d = new Date(s * 1000); return two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()); }

  function day(s) { const d = new Date(s * 1000); return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate(); }

  function moment(s) { return s == null ? "–" : day(s) + " " + clock(s) + " UTC"; }

  // Hours on a span of a day or two (the date where a day begins), days beyond.
  function timeTicks(u, splits, axisIdx, space, step) {
    return splits.map(function (s, i) {
      if (step >= DAY) { return day(s); }
      const midnight = s % DAY === 0;
      return i === 0 || midnight ? day(s) + " " + clock(s) : clock(s);
    });
  }

  function thousands(n) {
    return n == null ? "–" : Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function fixed(places) {
    return function (u, v) { return v == null ? "–" : v.toFixed(places); };
  }

  function chart(id, title, unit, series, data, opts) {
    const el = document.getElementById(id);
    if (!el) { return; }
    const width = Math.max(300, el.clientWidth - 20);
    const x = data[0];
    const last = x.length - 1;
    const yValues = opts.ticks || null;
    // A node polled only a few times would draw lines too short to see: mark each sample until there are enough.
    series.forEach(function (s) { s.points = { show: x.length < 50, size: 6 }; });
    const u = new uPlot({
      title: title, width: width, height: 220,
      scales: {
        // At least an hour wide: a node polled twice a few seconds apart still gets an axis in hours.
        x: { time: true, range: function (u, min, max) { return [Math.min(min, max - HOUR), max]; } },
        y: opts.range ? { range: opts.range } : {}
      },
      series: [{ label: "time (UTC)", value: function (u, v) { return moment(v); } }].concat(series),
      axes: [
        { values: timeTicks, incrs: TIME_STEPS, space: 70 },
        { size: 64, label: unit, labelSize: 18, values: yValues }
      ],
      legend: { live: true },
      hooks: {
        // With the pointer off the chart the legend shows the newest values instead of dashes.
        ready: [function (u) { u.setLegend({ idx: last }); }],
        setCursor: [function (u) { if (u.cursor.idx == null) { u.setLegend({ idx: last }); } }]
      }
    }, data, el);
    charts[id] = u;
  }

  fetch("/api/v1/metrics/nodes/" + encodeURIComponent(nodeId) + "?days=7")
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (points) {
      if (!points.length) { return; }
      const x = points.map(function (p) { return seconds(p.at); });
      const pick = function (f) { return points.map(function (p) { return p[f] == null ? null : p[f]; }); };
      const score = fixed(4);
      chart("chart-reputation", "Reputation (7 days)", "score (0–1)", [
        { label: "reputation", stroke: "#2f6fde", width: 2, value: score },
        { label: "uptime", stroke: "#1e8e5a", value: score },
        { label: "historical", stroke: "#b7791f", value: score },
        { label: "egress", stroke: "#7b3fc4", value: score }
      ], [x, pick("reputation"), pick("uptimeScore"), pick("historicalScore"), pick("egressScore")],
      { range: [0, 1] });
      chart("chart-egress", "Egress, rolling 7 days", "TB",
        [{ label: "egress", stroke: "#7b3fc4", width: 2, value: function (u, v) {
          return v == null ? "–" : v.toFixed(2) + " TB";
        } }],
        [x, points.map(function (p) { return p.egressBytes7d == null ? null : p.egressBytes7d / 1e12; })], {});
      chart("chart-points", "Points", "points",
        [{ label: "points", stroke: "#b7791f", width: 2, value: function (u, v) { return thousands(v); } }],
        [x, pick("points")],
        { ticks: function (u, splits) { return splits.map(thousands); } });
      chart("chart-state", "Reachability", "state",
        [{ label: "state", stroke: "#1e8e5a", width: 2, paths: uPlot.paths.stepped({ align: 1 }),
          value: function (u, v) { return v == null ? "–" : v === 1 ? "up" : v === 0.5 ? "degraded" : "down"; } }],
        [x, points.map(function (p) { return p.state === "up" ? 1 : p.state === "degraded" ? 0.5 : 0; })],
        { range: [0, 1.1], ticks: function (u, splits) {
          return splits.map(function (v) { return v === 1 ? "up" : v === 0.5 ? "degraded" : v === 0 ? "down" : ""; });
        } });
    });
})();
