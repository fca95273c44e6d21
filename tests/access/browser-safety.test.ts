import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
afterEach(() => broker?.close());

const TOPOLOGY = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");

/** The audit's attack: a page on another site posts a multipart lab to the broker the victim's browser can reach. */
function crossSiteLabPost(sessionId: string, headers: Record<string, string>) {
  const form = new FormData();
  form.append("topology", new File([TOPOLOGY], "line3.clab.yml"));
  return broker.anonymousApp.request("http://localhost:8000/lab", {
    method: "POST",
    headers: { "x-session-id": sessionId, ...headers },
    body: form,
  });
}

describe("state-changing requests from browsers", () => {
  test("a cross-site multipart POST /lab is refused (403) before anything is read, even for an anonymous user policy or a logged-in cookie", async () => {
    broker = await createTestApp({}, ":memory:", { access: { anonymous: "user" } });
    await registerHost(broker, "lab-1");
    const session = (await call(broker, "POST", "/session")).json.session_id as string;
    const login = await broker.anonymousApp.request("http://localhost:8000/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    for (
      const headers of [{ origin: "http://evil.example" }, { origin: "http://evil.example", cookie }, {
        "sec-fetch-site": "cross-site",
        cookie,
      }] as Record<string, string>[]
    ) {
      const refused = await crossSiteLabPost(session, headers);
      expect([refused.status, (await refused.json()).detail]).toEqual([403, expect.stringContaining("Cross-site request refused")]);
    }
    expect((await call(broker, "GET", "/v1/labs")).json.items).toEqual([]);
    // The same form from the broker's own pages is let through (to the deploy, which waits for the agent).
    const sameSite = await Promise.race([
      Promise.resolve(crossSiteLabPost(session, { origin: "http://localhost:8000", cookie })).then((response) => response.status),
      Bun.sleep(200).then(() => "deploying"),
    ]);
    expect(sameSite).toBe("deploying");
  });

  test("--public-url names the origin browsers may send from, also behind a proxy that rewrites Host", async () => {
    broker = await createTestApp({}, ":memory:", { access: { anonymous: "none", publicUrl: "https://lab.example/broker" } });
    const logout = (origin: string) =>
      broker.anonymousApp.request("http://10.0.0.5:8000/v1/logout", { method: "POST", headers: { origin } });
    expect((await logout("https://lab.example")).status).toBe(204);
    expect((await logout("https://evil.example")).status).toBe(403);
  });

  test("login sets the token as an HttpOnly, SameSite=Strict cookie that authenticates /v1 calls; a wrong token sets nothing", async () => {
    broker = await createTestApp();
    const login = (token: string) =>
      broker.anonymousApp.request("/v1/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
    const wrong = await login("lbt_wrong");
    expect([wrong.status, wrong.headers.get("set-cookie")]).toEqual([401, null]);
    const ok = await login(TEST_ADMIN_TOKEN);
    const cookie = ok.headers.get("set-cookie")!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    const whoami = await broker.anonymousApp.request("/v1/whoami", { headers: { cookie: cookie.split(";")[0]! } });
    expect(await whoami.json()).toMatchObject({ kind: "token", name: "admin", role: "admin" });
    expect((await broker.anonymousApp.request("/v1/whoami")).status).toBe(401);
  });

  test("no CORS: a preflight gets no Access-Control-Allow-Origin", async () => {
    broker = await createTestApp();
    const preflight = await broker.anonymousApp.request("/v1/sessions", {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});
