// deno-lint-ignore-file no-window -- a browser script: window is its global
"use strict";
/*
 * Every call the console makes goes through api(): same-origin credentials, and a 401 opens the
 * sign-in form, which posts the token to /v1/login (the broker then sets its session cookie) and
 * retries. Event streams are read through the same helper (fetch, not EventSource) so they share that.
 */
const LB = (window.LB = {});

LB.UnauthorizedError = class extends Error {};

let loginWaiters = null;

/** Opens the sign-in form once, however many calls are waiting for it; resolves when signed in. */
function signIn() {
  if (loginWaiters) return loginWaiters.promise;
  let resolve;
  const promise = new Promise((done) => (resolve = done));
  loginWaiters = { promise };
  const dialog = document.getElementById("login");
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  error.textContent = "";
  form.onsubmit = async (submitted) => {
    submitted.preventDefault();
    const token = document.getElementById("login-token").value;
    const response = await fetch("/v1/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }).catch(() => null);
    if (!response || !response.ok) {
      error.textContent = response ? `Sign-in refused (${response.status})` : "The broker cannot be reached";
      return;
    }
    dialog.close();
    loginWaiters = null;
    resolve();
  };
  dialog.showModal();
  return promise;
}

/**
 * The one-click link the broker prints at its first start (`/#token=…`): signs in with it and takes
 * it out of the address bar and history at once. Calls wait for this first.
 */
const oneClickSignIn = (async () => {
  const match = /^#token=(.+)$/.exec(location.hash);
  if (!match) return;
  history.replaceState(null, "", location.pathname + location.search);
  await fetch("/v1/login", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: decodeURIComponent(match[1]) }),
  }).catch(() => null);
})();

/** fetch() for the console: credentials sent, 401 → sign in and retry once. */
LB.api = async function api(path, options = {}) {
  await oneClickSignIn;
  const request = { credentials: "same-origin", ...options, headers: { accept: "application/json", ...(options.headers || {}) } };
  let response = await fetch(path, request);
  if (response.status === 401) {
    await signIn();
    response = await fetch(path, request);
  }
  return response;
};

/** JSON from the broker; a problem answer becomes an Error with its detail. */
LB.json = async function json(path, options = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const response = await LB.api(path, { ...options, body, headers: body ? { "content-type": "application/json" } : {} });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Error((data && (data.detail || data.title)) || `${response.status} ${response.statusText}`);
  return data;
};

/**
 * Reads a server-sent event stream through api(). Calls onEvent({ id, event, data }) per event and
 * resolves when the stream ends (or rejects when it breaks). `idleMs`: no byte for that long
 * (the broker sends a keepalive every 15 s) counts as a broken connection.
 */
LB.readStream = async function readStream(path, { lastEventId, signal, onOpen, onEvent, idleMs = 40_000 }) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal && signal.addEventListener("abort", abort, { once: true });
  let idle = setTimeout(abort, idleMs);
  try {
    const headers = { accept: "text/event-stream" };
    if (lastEventId !== undefined && lastEventId !== null) headers["last-event-id"] = String(lastEventId);
    const response = await LB.api(path, { headers, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`${path}: ${response.status}`);
    onOpen && onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let event = { data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      clearTimeout(idle);
      idle = setTimeout(abort, idleMs);
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, "");
        buffer = buffer.slice(newline + 1);
        if (line === "") {
          if (event.data.length) onEvent({ id: event.id, event: event.event || "message", data: event.data.join("\n") });
          event = { data: [] };
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") event.data.push(text);
          else if (field === "id") event.id = text;
          else if (field === "event") event.event = text;
        }
      }
    }
  } finally {
    clearTimeout(idle);
    signal && signal.removeEventListener("abort", abort);
  }
};
