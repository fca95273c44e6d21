import { afterEach, expect, test } from "bun:test";
import { DASHBOARD_SCRIPT } from "../../src/routes/dashboard/dashboard-page.ts";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/test-broker.ts";
import { eventually } from "../support/http.ts";

let broker: TestApp;
afterEach(() => broker?.close());

/** Runs the dashboard's script with the page at `hash`, against the broker as a browser would (no token but the cookie it gets). */
async function openDashboard(hash: string) {
  const elements: Record<string, { innerHTML: string; textContent: string; hidden: boolean; value: string; addEventListener: () => void }> = {};
  const document = { getElementById: (id: string) => (elements[id] ??= { innerHTML: "", textContent: "", hidden: false, value: "", addEventListener: () => {} }) };
  let cookie = "";
  const requests: string[] = [];
  const browserFetch = async (path: string, init: RequestInit = {}) => {
    requests.push(`${init.method ?? "GET"} ${path}`);
    const response = await broker.anonymousApp.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    cookie = response.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    return response;
  };
  const address = { hash, pathname: "/" };
  const history = { replaceState: () => void (address.hash = "") };
  new Function("document", "fetch", "setInterval", "location", "history", DASHBOARD_SCRIPT)(document, browserFetch, () => 0, address, history);
  return { elements, requests, address };
}

test("the one-click link logs the browser in with the token from the fragment, drops it from the address bar, and the page then lists", async () => {
  broker = await createTestApp();
  const page = await openDashboard(`#token=${TEST_ADMIN_TOKEN}`);
  await eventually(async () => page.elements.who?.textContent === "signed in as admin (admin)", "the dashboard to sign in");
  expect(page.address.hash).toBe("");
  expect(page.requests.slice(0, 2)).toEqual(["POST /v1/login", "GET /v1/whoami"]);
  await eventually(async () => page.requests.includes("GET /v1/sessions"), "the dashboard to list sessions");
});

test("without a token the page shows the login form and lists nothing", async () => {
  broker = await createTestApp();
  const page = await openDashboard("");
  await eventually(async () => page.requests.includes("GET /v1/whoami"), "the dashboard to ask who it is");
  await Bun.sleep(50);
  expect(page.elements.login?.hidden).toBe(false);
  expect(page.requests).toEqual(["GET /v1/whoami"]);
});
