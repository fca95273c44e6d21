"use strict";
/* Small helpers: building elements (text is never parsed as HTML), times and durations. */

/** el("td", { class: "x", "data-label": "state" }, "text", otherNode) */
LB.el = function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
};

/**
 * Replaces the children of the element with this id. Live updates redraw often, so the focused
 * control (found again by its aria-label) keeps the focus: a keyboard user is not thrown out.
 */
LB.fill = function fill(id, ...children) {
  const container = document.getElementById(id);
  const focused = container.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : null;
  container.replaceChildren(...children.flat().filter(Boolean));
  if (focused) [...container.querySelectorAll("[aria-label]")].find((node) => node.getAttribute("aria-label") === focused)?.focus();
};

/** A table that turns into stacked rows on a narrow screen; each row: { cells: [..], onOpen?, label? }. */
LB.table = function table(head, rows, empty) {
  if (rows.length === 0) return LB.el("p", { class: "empty" }, empty);
  const body = rows.map((row) => {
    const cells = row.cells.map((cell, index) =>
      LB.el("td", { "data-label": head[index], class: cell && cell.numeric ? "num" : null }, cell && cell.numeric ? cell.text : cell)
    );
    if (!row.onOpen) return LB.el("tr", {}, cells);
    // The first cell holds a button, so the row opens from the keyboard too.
    cells[0].replaceChildren(
      LB.el("button", { type: "button", class: "ghost", "aria-label": row.label, onclick: row.onOpen }, cells[0].textContent),
    );
    return LB.el("tr", { class: "clickable" }, cells);
  });
  return LB.el(
    "table",
    { class: "stack" },
    LB.el("thead", {}, LB.el("tr", {}, head.map((title) => LB.el("th", { scope: "col" }, title)))),
    LB.el("tbody", {}, body),
  );
};

LB.badge = (state) => LB.el("span", { class: `badge s-${state}` }, state);

LB.clock = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) : "");

LB.when = (iso) => {
  if (!iso) return "";
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? LB.clock(iso)
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
};

/** 45 s, 12 min, 3 h 20 min, 2 d 4 h */
LB.duration = (ms) => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
};

LB.since = (iso) => (iso ? LB.duration(Date.now() - Date.parse(iso)) : "");

LB.shortId = (id) => (id ? id.slice(-8) : "");

LB.requirementText = (requirement) => {
  const parts = [];
  if (requirement.host) parts.push(`host ${requirement.host}`);
  if (requirement.runtime) parts.push(`runtime ${requirement.runtime}`);
  const labels = Object.entries(requirement.labels || {}).map(([key, value]) => `${key}=${value}`);
  if (labels.length) parts.push(labels.join(","));
  return `${requirement.role}: ${parts.join(", ") || "any host"}`;
};

/** A link to a client-supplied URL, only when it is http(s): a `javascript:` URL must never become one. */
const outsideLink = (
  url,
  label,
) => (/^https?:\/\//i.test(url || "") ? LB.el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, label) : null);

/** Who asked: the name (linked to the CI job), the pipeline, and branch @ commit. */
LB.clientNode = (client) => {
  const name = client.name || client.ci_job_id || "—";
  const pipeline = outsideLink(client.ci_pipeline_url, client.ci_pipeline || "pipeline");
  const revision = [client.ci_branch, (client.ci_commit || "").slice(0, 10)].filter(Boolean).join(" @ ");
  return LB.el(
    "span",
    { class: "client" },
    outsideLink(client.ci_job_url, name) || name,
    pipeline && " · ",
    pipeline,
    revision && ` · ${revision}`,
  );
};
