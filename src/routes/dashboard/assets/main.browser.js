// deno-lint-ignore-file no-window -- a browser script: window is its global
"use strict";
/*
 * Keeps the console live: one event stream (GET /v1/events) drives every refresh; nothing is polled.
 * When the stream breaks, a banner says since when the data is stale and the stream is reopened
 * with backoff, resuming after the last event seen.
 */
const state = { hosts: [], sessions: [], labs: [], lastData: null, lastEventId: undefined, historyQuery: "", streaming: false };
const DAY = 86_400_000;
const timers = new Map();

/** A refresh that failed: the broker being away is the event stream's to show (the banner); anything else is a bug worth logging. */
function reportFailure(error) {
  if (!(error instanceof TypeError && /fetch/i.test(error.message))) console.error(error);
}

/** Runs `task` once, `ms` after the last call for the same name (events come in bursts). */
function soon(name, ms, task) {
  clearTimeout(timers.get(name));
  timers.set(name, setTimeout(() => task().catch(reportFailure), ms));
}

function render() {
  LB.renderHosts(state.hosts, state.sessions, state.labs);
  LB.renderQueue(state.sessions);
  LB.renderLabs(state.labs, state.hosts);
}

async function refreshLive() {
  const [hosts, sessions, labs] = await Promise.all([
    LB.json("/v1/hosts"),
    LB.json("/v1/sessions?limit=1000"),
    LB.json("/v1/labs?limit=1000"),
  ]);
  Object.assign(state, { hosts: hosts.items, sessions: sessions.items, labs: labs.items, lastData: Date.now() });
  render();
  // Fresh data over an open stream: live again (also when the refresh on opening had failed).
  if (state.streaming) setBanner(null);
}

async function refreshTimeline() {
  const now = Date.now();
  const window = `from=${new Date(now - DAY).toISOString()}&to=${new Date(now + 3 * DAY).toISOString()}`;
  const rows = await Promise.all(
    state.hosts.map(async (host) => ({
      host: host.name,
      entries: (await LB.json(`/v1/hosts/${encodeURIComponent(host.id)}/calendar?${window}`)).entries,
    })),
  );
  LB.renderTimeline(document.getElementById("timeline-chart"), rows, now);
}

async function refreshUsage() {
  const usage = await LB.json("/v1/stats/usage?bucket_s=900");
  LB.renderSeries(
    document.getElementById("chart-utilisation"),
    usage.times,
    usage.hosts.map((host) => ({ label: host.name, values: host.busy })),
    [0, 1],
  );
  LB.renderSeries(document.getElementById("chart-queue"), usage.times, [{ label: "waiting", values: usage.queue_depth }]);
  LB.renderWaits(document.getElementById("chart-waits"), usage.waits);
  document.getElementById("wait-stats").textContent = usage.waits.count
    ? `(${usage.waits.count} sessions, median ${LB.duration(usage.waits.median_s * 1000)}, 90% within ${
      LB.duration(usage.waits.p90_s * 1000)
    })`
    : "(no session waited in the queue)";
}

async function refreshHistory() {
  const query = state.historyQuery ? `&q=${encodeURIComponent(state.historyQuery)}` : "";
  LB.renderHistory((await LB.json(`/v1/sessions?state=ended&limit=50${query}`)).items);
}

function onEvent(message) {
  if (message.event === "broker.restarting") return setBanner("The broker is restarting");
  if (message.id === undefined) return;
  state.lastEventId = message.id;
  const event = JSON.parse(message.data);
  LB.addEvent(event);
  soon("live", 200, refreshLive);
  if (/^(session|host)\./.test(event.type)) soon("timeline", 1000, refreshTimeline);
  if (event.type.startsWith("session.")) soon("usage", 5000, refreshUsage);
  if (event.type === "session.ended") soon("history", 1000, refreshHistory);
  const detail = document.getElementById("detail");
  if (!detail.hidden && event.session_id === detail.dataset.session) soon("detail", 500, () => LB.openSessionQuietly(event.session_id));
}

function setBanner(text) {
  const banner = document.getElementById("banner");
  const live = document.getElementById("live");
  banner.hidden = !text;
  banner.textContent = text || "";
  live.textContent = text ? "disconnected" : "live";
  live.classList.toggle("down", Boolean(text));
}

function disconnected() {
  setBanner(
    state.lastData
      ? `Disconnected — data from ${LB.clock(new Date(state.lastData).toISOString())}. Reconnecting…`
      : "Cannot reach the broker. Reconnecting…",
  );
}

async function follow() {
  let delayMs = 1000;
  for (;;) {
    try {
      await LB.readStream("/v1/events?tail=50", {
        lastEventId: state.lastEventId,
        onOpen: () => {
          delayMs = 1000;
          state.streaming = true;
          refreshLive().catch(disconnected);
          for (const refresh of [refreshTimeline, refreshUsage, refreshHistory]) refresh().catch(reportFailure);
        },
        onEvent,
      });
    } catch {
      // The stream broke: the broker stopped, or the network is gone. Say so and try again.
    }
    state.streaming = false;
    disconnected();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 10_000);
  }
}

LB.openSessionQuietly = (id) => {
  const y = window.scrollY;
  return LB.openSession(id).then(() => window.scrollTo(0, y));
};

/** Who the console is signed in as, and a way out (a token's cookie; anonymous access has none). */
async function showWho() {
  const who = await LB.json("/v1/whoami");
  document.getElementById("who").textContent = `${who.name} (${who.role})`;
  document.getElementById("logout").hidden = who.kind !== "token";
}
document.getElementById("logout").addEventListener("click", async () => {
  await fetch("/v1/logout", { method: "POST", credentials: "same-origin" });
  location.reload();
});

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem("labbroker-theme", theme);
}

applyTheme(localStorage.getItem("labbroker-theme") || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
document.getElementById("theme").addEventListener("click", () => {
  applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark");
  soon("usage", 0, refreshUsage);
});
document.getElementById("history-search").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  state.historyQuery = document.getElementById("history-q").value.trim();
  refreshHistory().catch(reportFailure);
});
addEventListener("resize", () => {
  soon("timeline", 300, refreshTimeline);
  soon("usage", 300, refreshUsage);
});
// Durations ("held for 12 min") move with the clock, not with events: redraw them from what is known.
setInterval(() => state.lastData && render(), 15_000);
showWho().catch(() => {});
follow();
