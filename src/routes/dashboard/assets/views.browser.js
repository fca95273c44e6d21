"use strict";
/* What the console shows: hosts, queue, labs, history, events, a session's jobs, and a live log. */
const { el } = LB;

LB.renderHosts = function renderHosts(hosts, sessions, labs) {
  const byId = new Map(sessions.map((session) => [session.id, session]));
  LB.fill(
    "host-cards",
    hosts.length
      ? hosts.map((host) => hostCard(host, byId, labs.filter((lab) => lab.host_id === host.id)))
      : el("p", { class: "empty" }, "No hosts have registered yet (start 'labbroker agent' on a lab host)"),
  );
};

function hostCard(host, sessions, labs) {
  const holders = host.holders.map((id) => sessions.get(id)).filter(Boolean);
  const facts = [
    [
      "holder",
      holders.length
        ? holders.map((session) =>
          el(
            "div",
            {},
            sessionButton(session),
            " ",
            LB.clientNode(session.client),
            ` since ${LB.when(session.activated_at)} (${LB.since(session.activated_at)})`,
          )
        )
        : "free",
    ],
    ["slots", `${host.used} / ${host.capacity}`],
    ["labs", labs.length ? labs.map((lab) => el("div", {}, `${lab.instance_name} `, labState(lab))) : "none"],
    ["contact", host.connected ? "connected" : `${LB.since(host.last_seen_at)} ago`],
    ["runtimes", host.runtimes.map((runtime) => runtime.name + (runtime.version ? ` ${runtime.version}` : "")).join(", ") || "—"],
  ];
  if (host.admin_reason_at) {
    facts.push([
      "why",
      `${host.admin_reason || "no reason given"} — ${host.admin_reason_by || "unknown"}, ${LB.when(host.admin_reason_at)}`,
    ]);
  }
  const actions = host.state === "draining" || host.state === "maintenance" ? [adminButton(host, "undrain")] : [adminButton(host, "drain")];
  if (host.state !== "maintenance") actions.push(adminButton(host, "maintenance"));
  return el(
    "article",
    { class: "card", "data-host": host.name, "aria-label": `host ${host.name}` },
    el("h3", {}, host.name, LB.badge(host.state)),
    el("dl", {}, facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])),
    el("div", { class: "actions" }, actions),
  );
}

/** A lab's state badge; while it is warm (reset, held by no session), until when it waits for a session to take it. */
function labState(lab) {
  return el(
    "span",
    {},
    LB.badge(lab.state),
    lab.warm_until ? el("span", { class: "muted" }, ` warm until ${LB.when(lab.warm_until)}`) : null,
  );
}

const ADMIN = {
  drain: {
    label: "Drain",
    patch: { drain: true },
    text: (name) => `Drain ${name}? Its sessions carry on; no new ones start on it.`,
    reason: true,
  },
  maintenance: {
    label: "Maintenance",
    patch: { maintenance: true },
    text: (name) => `Put ${name} in maintenance? No sessions start on it until it is back in service.`,
    reason: true,
  },
  undrain: {
    label: "Back in service",
    patch: { drain: false, maintenance: false },
    text: (name) => `Return ${name} to service?`,
    reason: false,
  },
};

function adminButton(host, action) {
  const spec = ADMIN[action];
  return el("button", {
    type: "button",
    class: action === "undrain" ? "" : "ghost",
    "data-action": action,
    "aria-label": `${spec.label} ${host.name}`,
    onclick: () => confirmAdmin(host, spec),
  }, spec.label);
}

/** Asks first (with a reason for drain and maintenance), then PATCHes the host. */
function confirmAdmin(host, spec) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-title").textContent = spec.label;
  document.getElementById("confirm-text").textContent = spec.text(host.name);
  const reason = document.getElementById("confirm-reason");
  reason.value = "";
  reason.hidden = document.getElementById("confirm-reason-label").hidden = !spec.reason;
  dialog.onclose = async () => {
    if (dialog.returnValue !== "ok") return;
    const body = { ...spec.patch, ...(spec.reason && reason.value.trim() ? { reason: reason.value.trim() } : {}) };
    try {
      await LB.json(`/v1/hosts/${encodeURIComponent(host.id)}`, { method: "PATCH", body });
    } catch (error) {
      alert(`${spec.label} ${host.name} failed: ${error.message}`);
    }
  };
  dialog.showModal();
  (spec.reason ? reason : document.getElementById("confirm-ok")).focus();
}

function sessionButton(session) {
  return el(
    "button",
    { type: "button", class: "ghost", "aria-label": `session ${session.id}`, onclick: () => LB.openSession(session.id) },
    LB.shortId(session.id),
  );
}

LB.renderQueue = function renderQueue(sessions) {
  const now = Date.now();
  const active = sessions.filter((session) => session.state === "active");
  const waiting = sessions.filter((session) => session.state === "waiting");
  const hostsText = (session) => Object.entries(session.hosts).map(([role, host]) => `${role}=${host.name}`).join(" ");
  LB.fill(
    "active-table",
    LB.table(
      ["session", "client", "hosts", "since", "held for", "walltime left"],
      active.map((session) => ({
        label: `open session ${session.id}`,
        onOpen: () => LB.openSession(session.id),
        cells: [
          LB.shortId(session.id),
          LB.clientNode(session.client),
          hostsText(session) + (session.degraded ? " (a host is offline)" : ""),
          LB.when(session.activated_at),
          LB.since(session.activated_at),
          session.ends_at ? LB.duration(Date.parse(session.ends_at) - now) : "no walltime",
        ],
      })),
      "No active sessions",
    ),
  );
  LB.fill(
    "waiting-table",
    LB.table(
      ["#", "session", "needs", "why it waits", "held by", "estimated start", "client"],
      waiting.map((session) => ({
        cells: [
          { numeric: true, text: String(session.queue_position) },
          LB.shortId(session.id),
          session.requirements.map(LB.requirementText).join("; "),
          session.wait_reason || "",
          session.held_by.map((holder) => `${holder.host}: ${holder.client.name || LB.shortId(holder.session_id)}`).join(", ") || "—",
          session.estimated_start_at
            ? el(
              "span",
              { title: session.estimate_basis || "" },
              `${LB.when(session.estimated_start_at)} (in ${LB.duration(Date.parse(session.estimated_start_at) - now)})`,
            )
            : "unknown",
          LB.clientNode(session.client),
        ],
      })),
      "Nobody is waiting",
    ),
  );
};

LB.renderLabs = function renderLabs(labs, hosts) {
  const hostName = new Map(hosts.map((host) => [host.id, host.name]));
  LB.fill(
    "labs-table",
    LB.table(
      ["lab", "state", "host", "session", "nodes", "error and notes", "log"],
      labs.map((lab) => ({
        cells: [
          lab.instance_name,
          labState(lab),
          hostName.get(lab.host_id) || lab.host_id,
          LB.shortId(lab.session_id),
          lab.nodes.map((node) => `${node.name}${node.mgmtIpv4 ? ` ${node.mgmtIpv4}` : ""}`).join(", ") || "—",
          el(
            "div",
            {},
            lab.error ? el("div", { class: "error" }, lab.error) : null,
            lab.notes.map((note) => el("div", { class: "muted" }, note)),
          ),
          el("button", {
            type: "button",
            class: "ghost",
            "aria-label": `log of lab ${lab.instance_name}`,
            onclick: () => LB.openLog(`lab ${lab.instance_name}`, `/v1/labs/${encodeURIComponent(lab.id)}/logs`),
          }, "Log"),
        ],
      })),
      "No live labs",
    ),
  );
};

LB.renderHistory = function renderHistory(sessions) {
  LB.fill(
    "history-table",
    LB.table(
      ["session", "client", "hosts", "ended", "reason", "held for"],
      sessions.map((session) => ({
        label: `open session ${session.id}`,
        onOpen: () => LB.openSession(session.id),
        cells: [
          LB.shortId(session.id),
          LB.clientNode(session.client),
          Object.values(session.hosts).map((host) => host.name).join(" ") || "—",
          LB.when(session.ended_at),
          session.end_reason,
          session.activated_at ? LB.duration(Date.parse(session.ended_at) - Date.parse(session.activated_at)) : "never active",
        ],
      })),
      "No ended sessions match",
    ),
  );
};

LB.addEvent = function addEvent(event) {
  const feed = document.getElementById("event-feed");
  const refs = [["session", event.session_id], ["host", event.host_id], ["lab", event.lab_id], ["job", event.job_id]].filter(([, id]) => id)
    .map(([name, id]) => `${name} ${LB.shortId(id)}`);
  const data = Object.entries(event.data || {}).filter(([, value]) => typeof value !== "object").map(([key, value]) => `${key}=${value}`);
  feed.prepend(
    el(
      "li",
      { "data-type": event.type },
      el("time", { datetime: event.at }, LB.clock(event.at)),
      el("span", { class: "type" }, event.type),
      [...refs, ...data].join(" · "),
    ),
  );
  while (feed.children.length > 100) feed.lastChild.remove();
};

/** A session in full: its state, its jobs with PASS/FAIL and live output, and the summary. */
LB.openSession = async function openSession(id) {
  const section = document.getElementById("detail");
  section.hidden = false;
  section.dataset.session = id;
  const [session, jobs, summary] = await Promise.all([
    LB.json(`/v1/sessions/${encodeURIComponent(id)}`),
    LB.json(`/v1/sessions/${encodeURIComponent(id)}/jobs`),
    LB.api(`/v1/sessions/${encodeURIComponent(id)}/summary?format=text&view=chronological`).then((
      response,
    ) => (response.ok ? response.text() : "")),
  ]);
  const verdict = (job) => (job.state !== "finished" ? "RUNNING" : job.passed ? "PASS" : "FAIL");
  LB.fill(
    "detail-body",
    el(
      "p",
      {},
      `${session.id} `,
      LB.badge(session.state),
      " ",
      LB.clientNode(session.client),
      session.end_reason ? ` — ended ${session.end_reason}` : "",
    ),
    LB.table(
      ["job", "role", "verdict", "command", "description", "output"],
      jobs.items.map((job) => ({
        cells: [
          String(job.number),
          job.node ? `${job.role}/${job.node}` : job.role,
          LB.badge(verdict(job)),
          job.shell || (job.argv || []).join(" "),
          job.description || "",
          el("button", {
            type: "button",
            class: "ghost",
            "aria-label": `output of job ${job.number}`,
            onclick: () => LB.openLog(`job ${job.number} (${job.role})`, `/v1/jobs/${encodeURIComponent(job.id)}/output`),
          }, "Output"),
        ],
      })),
      "No jobs in this session",
    ),
    el("h3", {}, "Summary"),
    el("pre", { class: "log", tabindex: "0" }, summary || "nothing yet"),
  );
  section.scrollIntoView({ block: "start" });
};

let logStream = null;

/** Streams a lab log or a job's output into the log panel until it ends or another is opened. */
LB.openLog = function openLog(what, path) {
  logStream?.abort();
  logStream = new AbortController();
  const section = document.getElementById("log");
  const text = document.getElementById("log-text");
  section.hidden = false;
  document.getElementById("log-what").textContent = what;
  text.replaceChildren();
  section.scrollIntoView({ block: "start" });
  text.focus();
  LB.readStream(path, {
    signal: logStream.signal,
    idleMs: 60_000,
    onEvent: (event) => {
      if (event.event !== "output") return;
      const line = JSON.parse(event.data);
      text.append(
        el(
          "span",
          { class: line.stream === "stderr" ? "stderr" : null },
          line.node ? el("span", { class: "node" }, `[${line.node}] `) : null,
          line.text.endsWith("\n") ? line.text : `${line.text}\n`,
        ),
      );
      text.scrollTop = text.scrollHeight;
    },
  }).catch(() => {});
};

document.getElementById("log-close").addEventListener("click", () => {
  logStream?.abort();
  document.getElementById("log").hidden = true;
});
