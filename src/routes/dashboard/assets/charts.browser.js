// deno-lint-ignore-file no-window -- a browser script: window is its global
"use strict";
/* Pictures: the per-host timeline (SVG Gantt), utilisation and queue depth (uPlot), the wait-time histogram (SVG bars). */

const SVG = "http://www.w3.org/2000/svg";
const HOUR = 3_600_000;
const PALETTE = ["#3b74d9", "#d93025", "#188038", "#e37400", "#9334e6", "#12b5cb", "#b06000", "#5f6368"];

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** rows: [{ host, entries: [{ session_id, kind, from, to, ended, client }] }] over [now - 24 h, now + 72 h]. */
LB.renderTimeline = function renderTimeline(container, rows, now) {
  const start = now - 24 * HOUR;
  const end = now + 72 * HOUR;
  const width = Math.max(380, container.clientWidth - 10);
  const label = Math.min(120, width * 0.22);
  const rowHeight = 28;
  const height = rows.length * rowHeight + 24;
  const x = (time) => label + ((Math.min(Math.max(time, start), end) - start) / (end - start)) * (width - label - 4);
  const chart = svg("svg", {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Timeline of ${rows.length} hosts: holds of the last 24 hours and bookings of the next 3 days`,
  });
  const step = (width < 700 ? 24 : 12) * HOUR;
  for (let tick = Math.ceil(start / step) * step; tick <= end; tick += step) {
    chart.append(svg("line", { class: "grid", x1: x(tick), x2: x(tick), y1: 0, y2: height - 16 }));
    const date = new Date(tick);
    chart.append(
      svg(
        "text",
        { x: x(tick) + 2, y: height - 4 },
        `${date.toLocaleDateString([], { weekday: "short" })} ${LB.clock(date.toISOString())}`,
      ),
    );
  }
  rows.forEach((row, index) => {
    const y = index * rowHeight + 4;
    chart.append(svg("text", { x: 2, y: y + 15 }, row.host));
    for (const entry of row.entries) {
      const from = Date.parse(entry.from);
      const to = entry.to ? Date.parse(entry.to) : now;
      const kind = entry.kind === "booking" ? "booking" : entry.ended ? "ended" : "hold";
      const who = entry.client.name || entry.client.ci_job_id || entry.session_id;
      const bar = svg("rect", {
        class: `bar ${kind}`,
        x: x(from),
        y,
        width: Math.max(2, x(to) - x(from)),
        height: rowHeight - 8,
        rx: 3,
        "data-session": entry.session_id,
      });
      bar.append(
        svg(
          "title",
          {},
          `${kind === "booking" ? "booked" : kind === "ended" ? "held" : "holding"} by ${who}: ${LB.when(entry.from)} – ${
            entry.to ? LB.when(entry.to) : "until released"
          }`,
        ),
      );
      chart.append(bar);
    }
  });
  chart.append(svg("line", { class: "now", x1: x(now), x2: x(now), y1: 0, y2: height - 16 }));
  container.replaceChildren(rows.length ? chart : LB.el("p", { class: "empty" }, "No hosts yet"));
};

const charts = new Map();

/** A uPlot line chart in `container`, replaced on every call (times in ms, series: [{ label, values }]). */
LB.renderSeries = function renderSeries(container, times, series, yRange) {
  charts.get(container.id)?.destroy();
  container.replaceChildren();
  const axis = { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") }, ticks: { stroke: cssVar("--line") } };
  const options = {
    width: Math.max(300, container.clientWidth),
    height: 200,
    scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis, axis],
    series: [
      {},
      ...series.map((line, index) => ({ label: line.label, stroke: PALETTE[index % PALETTE.length], width: 2, spanGaps: false })),
    ],
  };
  const data = [times.map((time) => Date.parse(time) / 1000), ...series.map((line) => line.values)];
  charts.set(container.id, new window.uPlot(options, data, container));
};

/** The wait-time distribution as bars over the histogram's bins. */
LB.renderWaits = function renderWaits(container, waits) {
  const labels = waits.bins.map((
    bin,
    index,
  ) => (bin.up_to_s === null ? `> ${short(waits.bins[index - 1].up_to_s)}` : `≤ ${short(bin.up_to_s)}`));
  const width = Math.max(300, container.clientWidth);
  const height = 200;
  const most = Math.max(1, ...waits.bins.map((bin) => bin.count));
  const slot = (width - 10) / waits.bins.length;
  const chart = svg("svg", {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `Wait times of ${waits.count} sessions`,
  });
  waits.bins.forEach((bin, index) => {
    const barHeight = ((height - 40) * bin.count) / most;
    const rect = svg("rect", { x: 5 + index * slot + 2, y: height - 24 - barHeight, width: slot - 4, height: barHeight, rx: 2 });
    rect.append(svg("title", {}, `${labels[index]}: ${bin.count} sessions`));
    chart.append(rect, svg("text", { x: 5 + index * slot + 2, y: height - 8 }, labels[index]));
    if (bin.count) chart.append(svg("text", { x: 5 + index * slot + 2, y: height - 28 - barHeight }, bin.count));
  });
  container.replaceChildren(chart);
};

function short(seconds) {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${seconds / 60}m`;
  return `${seconds / 3600}h`;
}
