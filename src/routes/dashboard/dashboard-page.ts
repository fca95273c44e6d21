/**
 * The live dashboard: one self-contained page (no CDN, it must work on an offline lab network)
 * that reads the /v1 API every two seconds. It logs in with a token (a form, or the one-click link
 * `/#token=…` the broker prints at its first start): POST /v1/login turns it into an HttpOnly,
 * SameSite=Strict cookie, so the page's script never holds it.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>labbroker</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d232a; background: #f6f7f9; }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; } h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
  th { font-weight: 600; background: #eef0f3; }
  .state { font-weight: 600; } .online, .active, .running { color: #137333; } .offline, .failed { color: #b3261e; }
  .waiting, .deploying, .draining, .scheduled { color: #9a6700; } .muted { color: #6b7280; }
  a { color: #0b57d0; }
</style>
</head>
<body>
<h1>labbroker <span class="muted" id="updated"></span></h1>
<p class="muted">API reference: <a href="/docs">/docs</a> · <span id="who"></span> <button id="logout" hidden>log out</button></p>
<form id="login" hidden><label>Token <input id="token" type="password" autocomplete="off" size="50"></label> <button>log in</button> <span id="login-error" class="failed"></span></form>
<h2>Hosts</h2><table id="hosts"></table>
<h2>Sessions</h2><table id="sessions"></table>
<h2>Labs</h2><table id="labs"></table>
<script src="/dashboard.js"></script>
</body>
</html>
`;

export const DASHBOARD_SCRIPT = `"use strict";
const text = (value) => String(value ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const cell = (value, cls) => "<td" + (cls ? " class=\\"" + cls + "\\"" : "") + ">" + text(value) + "</td>";
// Only http(s) URLs become links: a client-supplied javascript: URL must not.
const link = (url, label) => ["http:", "https:"].includes(String(url ?? "").split("//")[0]) ? "<a href=\\"" + text(url) + "\\">" + text(label) + "</a>" : "";
function clientCell(client) {
  const parts = [text(client.name ?? ""), link(client.ci_job_url, "job"), link(client.ci_pipeline_url, client.ci_pipeline ?? "pipeline"),
    text([client.ci_branch, (client.ci_commit ?? "").slice(0, 10)].filter(Boolean).join(" @ "))];
  return "<td>" + parts.filter(Boolean).join(" · ") + "</td>";
}
function render(id, head, rows) {
  document.getElementById(id).innerHTML = "<tr>" + head.map((h) => "<th>" + h + "</th>").join("") + "</tr>" +
    (rows.length ? rows.join("") : "<tr><td class=\\"muted\\" colspan=\\"" + head.length + "\\">none</td></tr>");
}
async function json(path) {
  const response = await fetch(path);
  if (response.status === 401) throw new Error("login");
  return response.json();
}
const post = (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
async function login(token) {
  const response = await post("/v1/login", { token });
  document.getElementById("login-error").textContent = response.ok ? "" : "that token is unknown, revoked or expired";
  return response.ok;
}
async function whoami() {
  const response = await fetch("/v1/whoami");
  const known = response.ok ? await response.json() : null;
  document.getElementById("login").hidden = known !== null;
  document.getElementById("logout").hidden = known === null || known.kind !== "token";
  document.getElementById("who").textContent = known ? "signed in as " + known.name + " (" + known.role + ")" : "";
  return known;
}
async function refresh() {
  const [hosts, sessions, labs] = await Promise.all([json("/v1/hosts"), json("/v1/sessions"), json("/v1/labs")]);
  render("hosts", ["name", "state", "runtimes", "labels", "used", "agent"], hosts.items.map((h) => "<tr>" + cell(h.name) + cell(h.state, "state " + h.state) +
    cell(h.runtimes.map((r) => r.name + (r.version ? " " + r.version : "")).join(", ")) + cell(Object.entries(h.labels).map(([k, v]) => k + "=" + v).join(" ")) +
    cell(h.used + " / " + h.capacity) + cell(h.agent_version) + "</tr>"));
  render("sessions", ["session", "state", "hosts", "position / reason", "client", "since"], sessions.items.map((s) => "<tr>" + cell(s.id.slice(-12)) +
    cell(s.state, "state " + s.state) + cell(Object.entries(s.hosts).map(([role, h]) => role + ": " + h.name).join(", ")) +
    cell(s.state === "waiting" ? "#" + s.queue_position + " — " + s.wait_reason : (s.wait_reason ?? "")) + clientCell(s.client) + cell(s.activated_at ?? s.created_at) + "</tr>"));
  render("labs", ["lab", "state", "runtime", "instance", "holders", "nodes"], labs.items.map((l) => "<tr>" + cell(l.topology_name) + cell(l.state, "state " + l.state) +
    cell(l.runtime) + cell(l.instance_name) + cell(l.ref_count) + cell(l.devices.map((d) => d.name + (d.raw.ansible_host ? " " + d.raw.ansible_host : "")).join(", ")) + "</tr>"));
  document.getElementById("updated").textContent = "· " + new Date().toLocaleTimeString();
}
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (await login(document.getElementById("token").value)) start();
});
document.getElementById("logout").addEventListener("click", async () => { await post("/v1/logout"); location.reload(); });
let timer = null;
async function start() {
  if (!(await whoami())) return;
  const tick = () => refresh().catch((error) => { if (error.message === "login") { clearInterval(timer); whoami(); } });
  tick();
  timer ??= setInterval(tick, 2000);
}
// The one-click link: the token travels in the fragment (never sent to a server) and is dropped from the address bar.
const linked = new URLSearchParams(location.hash.slice(1)).get("token");
if (linked) history.replaceState(null, "", location.pathname);
(linked ? login(linked) : Promise.resolve()).then(start);
`;
