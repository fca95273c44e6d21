/** The console's scripts and style sheets, served beside its page from the binary (dashboard-assets.ts). */
export const DASHBOARD_ASSET_NAMES = [
  "uPlot.iife.min.js",
  "uPlot.min.css",
  "console.css",
  "api.browser.js",
  "format.browser.js",
  "charts.browser.js",
  "views.browser.js",
  "main.browser.js",
] as const;
export type DashboardAssetName = (typeof DASHBOARD_ASSET_NAMES)[number];

/** The console page. */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>labbroker console</title>
<link rel="stylesheet" href="/dashboard/uPlot.min.css">
<link rel="stylesheet" href="/dashboard/console.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <h1>labbroker</h1>
  <nav aria-label="Sections">
    <a href="#hosts">Hosts</a><a href="#queue">Queue</a><a href="#timeline">Timeline</a><a href="#usage">Usage</a><a href="#labs">Labs</a><a href="#history">History</a><a href="#events">Events</a><a href="/docs">API</a>
  </nav>
  <span id="live" class="live" role="status" aria-live="polite">connecting…</span>
  <span id="who" class="who"></span>
  <button id="logout" type="button" class="ghost" hidden>sign out</button>
  <button id="theme" type="button" class="ghost" aria-label="Switch between dark and light theme">◐ theme</button>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<main id="main">
  <section id="hosts" aria-labelledby="hosts-title"><h2 id="hosts-title">Hosts</h2><div id="host-cards" class="cards"></div></section>
  <section id="queue" aria-labelledby="queue-title"><h2 id="queue-title">Queue</h2>
    <h3>Active sessions</h3><div id="active-table"></div>
    <h3>Waiting, in the order the scheduler serves them</h3><div id="waiting-table"></div>
  </section>
  <section id="timeline" aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>
    <p class="muted">Holds of the last 24 hours and bookings of the next 3 days per host; the red line is now.</p>
    <div id="timeline-chart" class="timeline"></div>
  </section>
  <section id="usage" aria-labelledby="usage-title"><h2 id="usage-title">Usage, last 24 hours</h2>
    <div class="charts">
      <figure><figcaption>Host utilisation (share of slots held)</figcaption><div id="chart-utilisation" class="chart"></div></figure>
      <figure><figcaption>Queue depth (waiting sessions)</figcaption><div id="chart-queue" class="chart"></div></figure>
      <figure><figcaption>Wait until active <span id="wait-stats" class="muted"></span></figcaption><div id="chart-waits" class="chart"></div></figure>
    </div>
  </section>
  <section id="labs" aria-labelledby="labs-title"><h2 id="labs-title">Labs</h2><div id="labs-table"></div></section>
  <section id="detail" aria-labelledby="detail-title" hidden><h2 id="detail-title">Session</h2><div id="detail-body"></div></section>
  <section id="log" aria-labelledby="log-title" hidden>
    <h2 id="log-title">Log</h2>
    <div class="log-head"><span id="log-what" class="muted"></span><button id="log-close" type="button" class="ghost">Close</button></div>
    <pre id="log-text" class="log" tabindex="0" aria-live="polite"></pre>
  </section>
  <section id="history" aria-labelledby="history-title"><h2 id="history-title">History</h2>
    <form id="history-search" class="search" role="search"><label for="history-q">Search ended sessions</label>
      <input id="history-q" type="search" placeholder="id, client, CI job, end reason, host"><button type="submit">Search</button></form>
    <div id="history-table"></div>
  </section>
  <section id="events" aria-labelledby="events-title"><h2 id="events-title">Recent events</h2><ol id="event-feed" class="feed"></ol></section>
</main>
<dialog id="confirm" aria-labelledby="confirm-title">
  <form method="dialog" id="confirm-form">
    <h2 id="confirm-title">Confirm</h2>
    <p id="confirm-text"></p>
    <label id="confirm-reason-label" for="confirm-reason">Reason</label>
    <input id="confirm-reason" maxlength="500" placeholder="why (shown with the host)">
    <div class="actions"><button id="confirm-ok" value="ok" type="submit">Confirm</button><button value="cancel" type="submit" class="ghost" formnovalidate>Cancel</button></div>
  </form>
</dialog>
<dialog id="login" aria-labelledby="login-title">
  <form id="login-form">
    <h2 id="login-title">Sign in</h2>
    <p>The broker asks for a token.</p>
    <label for="login-token">Token</label><input id="login-token" type="password" autocomplete="current-password" required>
    <p id="login-error" class="error" role="alert"></p>
    <div class="actions"><button type="submit">Sign in</button></div>
  </form>
</dialog>
<script src="/dashboard/uPlot.iife.min.js"></script>
<script src="/dashboard/api.browser.js"></script>
<script src="/dashboard/format.browser.js"></script>
<script src="/dashboard/charts.browser.js"></script>
<script src="/dashboard/views.browser.js"></script>
<script src="/dashboard/main.browser.js"></script>
</body>
</html>
`;
